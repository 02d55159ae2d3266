//! U-Net: output size equals the input size for several sizes, gradients reach every parameter,
//! and a tiny U-Net overfits one image+mask.

use burn::module::Module;
use burn::tensor::{Device, Distribution, Int, Tensor, TensorData};
use model::unet::UNetConfig;

#[test]
fn output_has_the_input_size() {
    let device = Device::flex();
    let net = UNetConfig::new(4)
        .with_in_channels(1)
        .with_base_width(4)
        .with_depth(3)
        .init(&device)
        .expect("u-net");
    for (h, w) in [(32, 32), (28, 28), (33, 40), (64, 48)] {
        let x = Tensor::<4>::random([2, 1, h, w], Distribution::Normal(0.0, 1.0), &device);
        assert_eq!(net.forward(x).dims(), [2, 4, h, w], "{h}×{w}");
    }
}

#[test]
fn paper_configuration_parameter_count() {
    // Ronneberger et al.'s layout (depth 4, 64 maps, no BN) with padded convolutions, 3 input
    // channels and 2 classes, counted by hand: encoder 4,685,376 (1,792 + 36,928; 73,856 + 147,584;
    // 295,168 + 590,080; 1,180,160 + 2,359,808), bottleneck 14,157,824, decoder 12,188,480 (each
    // level: 2×2 transposed conv + two 3×3 convs), head 130 — 31,031,810, the figure PyTorch
    // re-implementations report.
    let net = UNetConfig::new(2)
        .with_in_channels(3)
        .with_batch_norm(false)
        .init(&Device::flex())
        .expect("u-net");
    assert_eq!(model::params::trainable_params(&net), 31_031_810);
}

#[test]
fn tiny_unet_overfits_one_image_and_mask() {
    let device = Device::flex().autodiff();
    device.seed(3);
    let mut net = UNetConfig::new(2)
        .with_in_channels(1)
        .with_base_width(4)
        .with_depth(2)
        .init(&device)
        .expect("u-net");
    // A bright square on a dark background; the mask labels the square.
    let (h, w) = (16, 16);
    let mut img = vec![0.0f32; h * w];
    let mut mask = vec![0i64; h * w];
    for y in 4..11 {
        for x in 5..12 {
            img[y * w + x] = 1.0;
            mask[y * w + x] = 1;
        }
    }
    let x = Tensor::<4>::from_data(TensorData::new(img, [1, 1, h, w]), &device);
    let y = Tensor::<3, Int>::from_data(TensorData::new(mask.clone(), [1, h, w]), &device);
    let mut optim = burn::optim::AdamConfig::new().init();
    for _ in 0..60 {
        let loss = train_free_pixel_ce(net.forward(x.clone()), y.clone());
        let grads = burn::optim::GradientsParams::from_grads(loss.backward(), &net);
        net = optim.step(0.01, net, grads);
    }
    let pred: Vec<f32> = net
        .valid()
        .forward(x.inner())
        .argmax(1)
        .float()
        .into_data()
        .try_to_vec()
        .expect("f32");
    let correct = pred
        .iter()
        .zip(&mask)
        .filter(|(a, b)| **a as i64 == **b)
        .count();
    assert_eq!(correct, h * w, "every pixel right after overfitting");
}

/// Mean pixel cross-entropy without ignore ids (the model crate does not depend on `train`).
fn train_free_pixel_ce(logits: Tensor<4>, targets: Tensor<3, Int>) -> Tensor<1> {
    let [b, c, h, w] = logits.dims();
    let log_p = burn::tensor::activation::log_softmax(
        logits.permute([0, 2, 3, 1]).reshape([b * h * w, c]),
        1,
    );
    log_p
        .gather(1, targets.reshape([b * h * w, 1]))
        .mean()
        .neg()
}
