//! Parameter counts of the ImageNet configurations (1000 classes, 3×224×224) against torchvision's
//! published numbers, which are `sum(p.numel() for p in model.parameters())`:
//!
//! ```python
//! import torchvision.models as m
//! for name in ["alexnet", "vgg11", "vgg16", "vgg16_bn", "vgg19", "resnet18", "resnet34",
//!              "resnet50", "resnet101", "resnet152"]:
//!     print(name, sum(p.numel() for p in getattr(m, name)().parameters()))
//! print("googlenet", sum(p.numel() for p in m.googlenet(aux_logits=False, init_weights=True).parameters()))
//! ```

use burn::tensor::Device;
use model::params::trainable_params;
use model::registry::{self, ModelArgs};

fn count(name: &str, num_classes: usize, in_channels: usize, input_size: usize) -> usize {
    let args = ModelArgs {
        num_classes,
        in_channels,
        input_size,
    };
    let config = registry::config(name, args).expect("registered model");
    // Parameters are initialised lazily, so counting does not allocate the weights.
    let network = config.init(&Device::flex()).expect("valid config");
    trainable_params(&network)
}

#[test]
fn imagenet_counts_equal_torchvision() {
    let published = [
        ("alexnet", 61_100_840),
        ("vgg11", 132_863_336),
        ("vgg16", 138_357_544),
        ("vgg16_bn", 138_365_992),
        ("vgg19", 143_667_240),
        ("googlenet", 6_624_904),
        ("resnet18", 11_689_512),
        ("resnet34", 21_797_672),
        ("resnet50", 25_557_032),
        ("resnet101", 44_549_160),
        ("resnet152", 60_192_808),
    ];
    for (name, expected) in published {
        assert_eq!(count(name, 1000, 3, 224), expected, "{name}");
    }
}

#[test]
fn more_published_counts() {
    // torchvision: vgg11_bn 132,868,840; vgg13 133,047,848; vgg13_bn 133,053,736; vgg19_bn 143,678,248.
    for (name, expected) in [
        ("vgg11_bn", 132_868_840),
        ("vgg13", 133_047_848),
        ("vgg13_bn", 133_053_736),
        ("vgg19_bn", 143_678_248),
    ] {
        assert_eq!(count(name, 1000, 3, 224), expected, "{name}");
    }
}

#[test]
fn lenet5_has_61706_parameters() {
    assert_eq!(count("lenet5", 10, 1, 32), 61_706);
    assert_eq!(count("lenet5", 10, 1, 28), 61_706);
    assert_eq!(count("lenet5_classic", 10, 1, 32), 61_706);
}

#[test]
fn alexnet_paper_counts_match_the_two_tower_network() {
    // conv: 96·(3·121)+96 = 34,944; 256·(48·25)+256 = 307,456; 384·(256·9)+384 = 885,120;
    // 384·(192·9)+384 = 663,936; 256·(192·9)+256 = 442,624; fc: 9216·4096+4096 = 37,752,832;
    // 4096·4096+4096 = 16,781,312; 4096·1000+1000 = 4,097,000. Sum 60,965,224.
    assert_eq!(count("alexnet_paper", 1000, 3, 224), 60_965_224);
}

#[test]
fn googlenet_aux_heads_add_their_parameters() {
    // Each head: 1×1 conv to 128 (no bias) + BN(128) + 2048·1024+1024 + 1024·1000+1000.
    let head = |c_in: usize| c_in * 128 + 2 * 128 + 2048 * 1024 + 1024 + 1024 * 1000 + 1000;
    assert_eq!(
        count("googlenet_aux", 1000, 3, 224),
        6_624_904 + head(512) + head(528)
    );
}

#[test]
fn batch_norm_running_statistics_are_not_parameters() {
    let bn = burn::nn::BatchNormConfig::new(16).init(&Device::flex());
    assert_eq!(trainable_params(&bn), 32);
    // Burn's own count includes running mean and variance.
    assert_eq!(burn::module::Module::num_params(&bn), 64);
}

#[test]
fn resnet20_cifar_count_by_hand() {
    // Stem 3·16·9 + BN 32 = 464; stage 1: 6 × (16·16·9 + 32) = 14,016; stage 2: 16→32 conv, 32·32·9,
    // projection 16·32 (+ BNs) = 14,528, then 4 × (32·32·9 + 64) = 37,120; stage 3: 57,728 +
    // 4 × (64·64·9 + 128) = 147,968; fc 64·10 + 10 = 650. Total 272,474 (option-B shortcuts).
    assert_eq!(count("resnet20", 10, 3, 32), 272_474);
}
