//! Model summaries: shapes, parameter and MAC accounting against hand computation.

use burn::tensor::Device;
use model::registry::{self, ModelArgs};
use model::summary::summarize;

fn lenet_summary() -> model::summary::Summary {
    let args = ModelArgs {
        num_classes: 10,
        in_channels: 1,
        input_size: 28,
    };
    let config = registry::config("lenet5", args).expect("registered");
    summarize(&config, [1, 28, 28], &Device::flex()).expect("summary")
}

#[test]
fn lenet_layers_match_the_paper_table() {
    let s = lenet_summary();
    let row = |name: &str| {
        s.layers
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(row("c1").output_shape, vec![1, 6, 28, 28]);
    assert_eq!(row("s2").output_shape, vec![1, 6, 14, 14]);
    assert_eq!(row("c3").output_shape, vec![1, 16, 10, 10]);
    assert_eq!(row("s4").output_shape, vec![1, 16, 5, 5]);
    assert_eq!(row("c5").output_shape, vec![1, 120]);
    assert_eq!(row("output").output_shape, vec![1, 10]);
    assert_eq!(row("c1").params, 156);
    assert_eq!(row("c3").params, 2_416);
    assert_eq!(row("c5").params, 48_120);
    // C1: 6·28·28 outputs × 25 taps; C3: 16·10·10 × 150 taps.
    assert_eq!(row("c1").macs, 6 * 28 * 28 * 25);
    assert_eq!(row("c3").macs, 16 * 10 * 10 * 150);
    assert_eq!(row("c5").macs, 400 * 120);
    assert_eq!(s.total_params, 61_706);
    assert_eq!(s.output_shape, vec![1, 10]);
}

#[test]
fn rows_add_up_to_the_totals() {
    for name in [
        "lenet5",
        "resnet18_small",
        "googlenet_small",
        "vgg11_bn_small",
        "alexnet_small",
    ] {
        let entry = registry::lookup(name).expect("registered");
        let args = entry.default_args();
        let config = entry.config(args);
        let s = summarize(
            &config,
            [args.in_channels, args.input_size, args.input_size],
            &Device::flex(),
        )
        .expect("summary");
        let sum: usize = s.layers.iter().map(|r| r.params).sum();
        assert_eq!(
            sum, s.total_params,
            "{name}: rows must account for every parameter"
        );
        assert_eq!(s.total_macs, s.layers.iter().map(|r| r.macs).sum::<u64>());
    }
}

#[test]
fn dense_comparison_shows_weight_sharing() {
    let s = lenet_summary();
    let cmp = s.first_conv.expect("LeNet starts with a convolution");
    assert_eq!(cmp.conv_params, 156);
    // 784 inputs to 6·28·28 = 4704 outputs.
    assert_eq!(cmp.dense_weights, 784 * 4704);
}

#[test]
fn resnet50_imagenet_summary_matches_torchvision() {
    let config = registry::config(
        "resnet50",
        ModelArgs {
            num_classes: 1000,
            in_channels: 3,
            input_size: 224,
        },
    )
    .expect("registered");
    let s = summarize(&config, [3, 224, 224], &Device::flex()).expect("summary");
    assert_eq!(s.total_params, 25_557_032);
    let conv1 = &s.layers[0];
    assert_eq!(
        (conv1.name.as_str(), conv1.output_shape.clone()),
        ("conv1", vec![1, 64, 112, 112])
    );
    // torchvision's ResNet-50 is commonly quoted at 4.1 GMACs for 224×224.
    let gmacs = s.total_macs as f64 / 1e9;
    assert!((4.0..4.2).contains(&gmacs), "{gmacs} GMACs");
}
