//! The encoder-decoder segmentation nets (DeconvNet, SegNet, U-Net): each output has the input's
//! size for several sizes, the paper configurations have their published parameter counts, and a
//! tiny net of each kind overfits a scene of rectangles (gradients reach every layer through the
//! pooling switches, deconvolutions and skip connections).

mod common;

use burn::tensor::{Device, Distribution, Tensor};
use model::deconvnet::DeconvNetConfig;
use model::segmentation::SegForward;
use model::segnet::SegNetConfig;
use model::unet::UNetConfig;

/// Asserts that `net` maps `[2, 1, h, w]` to `[2, classes, h, w]` for every size.
fn assert_keeps_size(
    net: &impl SegForward,
    classes: usize,
    sizes: &[(usize, usize)],
    device: &Device,
) {
    for &(h, w) in sizes {
        let x = Tensor::<4>::random([2, 1, h, w], Distribution::Normal(0.0, 1.0), device);
        assert_eq!(net.forward(x).dims(), [2, classes, h, w], "{h}×{w}");
    }
}

#[test]
fn outputs_have_the_input_size() {
    let _serial = common::serial();
    let device = Device::flex();
    let deconvnet = DeconvNetConfig::new(3)
        .with_in_channels(1)
        .with_base_width(4);
    let deconvnet = deconvnet
        .with_fc_width(16)
        .init(&device)
        .expect("deconvnet");
    assert_keeps_size(&deconvnet, 3, &[(32, 32), (28, 28), (64, 36)], &device);
    let segnet = SegNetConfig::new(3).with_in_channels(1).with_base_width(4);
    let segnet = segnet.with_stages(3).init(&device).expect("segnet");
    assert_keeps_size(&segnet, 3, &[(32, 32), (28, 28), (30, 44)], &device);
    let unet = UNetConfig::new(4).with_in_channels(1).with_base_width(4);
    let unet = unet.with_depth(3).init(&device).expect("u-net");
    assert_keeps_size(&unet, 4, &[(32, 32), (28, 28), (33, 40), (64, 48)], &device);
}

#[test]
fn segnet_paper_configuration_parameter_count() {
    let _serial = common::serial();
    // VGG-16's 13 encoder convolutions (no bias, batch norm) mirrored by 13 decoder convolutions and
    // a 3×3 head, for 3 channels and 12 classes (CamVid), counted by hand:
    // encoder weights Σ c_in·c_out·9 = 14,710,464; decoder weights 7,077,888 + 5,898,240 +
    // 1,474,560 + 221,184 + 73,728 = 14,745,600; batch norm 2·(4,224 + 3,776) = 16,000 (maps after
    // each encoder and decoder convolution); head 64·12·9 + 12 = 6,924.
    let net = SegNetConfig::new(12).init(&Device::flex()).expect("segnet");
    assert_eq!(
        model::params::trainable_params(&net),
        14_710_464 + 14_745_600 + 16_000 + 6_924
    );
}

#[test]
fn unet_paper_configuration_parameter_count() {
    let _serial = common::serial();
    // Ronneberger et al.'s layout (depth 4, 64 maps, no BN) with padded convolutions, 3 input
    // channels and 2 classes, counted by hand: encoder 4,685,376 (1,792 + 36,928; 73,856 + 147,584;
    // 295,168 + 590,080; 1,180,160 + 2,359,808), bottleneck 14,157,824, decoder 12,188,480 (each
    // level: 2×2 transposed conv + two 3×3 convs), head 130 — 31,031,810, the figure PyTorch
    // re-implementations report.
    let net = UNetConfig::new(2)
        .with_in_channels(3)
        .with_batch_norm(false);
    let net = net.init(&Device::flex()).expect("u-net");
    assert_eq!(model::params::trainable_params(&net), 31_031_810);
}

#[test]
fn tiny_deconvnet_overfits_two_images_and_masks() {
    let _serial = common::serial();
    let device = Device::flex().autodiff();
    device.seed(9);
    let net = DeconvNetConfig::new(2)
        .with_in_channels(1)
        .with_base_width(8);
    let net = net.with_fc_width(16).init(&device).expect("deconvnet");
    // Two 64×64 images (batch norm needs more than one value per map at the 2×2 pool5 resolution).
    let scene = common::rectangles(64, 64, &[(10, 12, 20, 24), (30, 26, 20, 24)], &device);
    let correct = common::fit_and_count(net, |n, x| n.forward(x), scene, 100);
    assert!(
        correct as f64 >= 0.99 * (2 * 64 * 64) as f64,
        "{correct} of {}",
        2 * 64 * 64
    );
}

#[test]
fn tiny_segnet_and_unet_overfit_one_image_and_mask() {
    let _serial = common::serial();
    let device = Device::flex().autodiff();
    device.seed(5);
    let segnet = SegNetConfig::new(2).with_in_channels(1).with_base_width(8);
    let segnet = segnet.with_stages(2).init(&device).expect("segnet");
    let scene = common::rectangles(16, 16, &[(3, 6, 6, 7)], &device);
    let segnet_correct = common::fit_and_count(segnet, |n, x| n.forward(x), scene, 80);
    device.seed(3);
    let unet = UNetConfig::new(2).with_in_channels(1).with_base_width(4);
    let unet = unet.with_depth(2).init(&device).expect("u-net");
    let scene = common::rectangles(16, 16, &[(4, 5, 7, 7)], &device);
    let unet_correct = common::fit_and_count(unet, |n, x| n.forward(x), scene, 60);
    assert_eq!(
        (segnet_correct, unet_correct),
        (16 * 16, 16 * 16),
        "SegNet, U-Net"
    );
}
