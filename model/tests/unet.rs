//! U-Net: output size equals the input size for several sizes, gradients reach every parameter,
//! and a tiny U-Net overfits one image+mask.

mod common;

use burn::tensor::{Device, Distribution, Tensor};
use model::segmentation::SegForward;
use model::unet::UNetConfig;

#[test]
fn output_has_the_input_size() {
    let _serial = common::serial();
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
    let _serial = common::serial();
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
    let _serial = common::serial();
    let device = Device::flex().autodiff();
    device.seed(3);
    let net = UNetConfig::new(2)
        .with_in_channels(1)
        .with_base_width(4)
        .with_depth(2)
        .init(&device)
        .expect("u-net");
    let scene = common::rectangles(16, 16, &[(4, 5, 7, 7)], &device);
    assert_eq!(
        common::fit_and_count(net, |n, x| n.forward(x), scene, 60),
        16 * 16
    );
}
