//! DeconvNet: output size equals the input size, and a tiny DeconvNet overfits two images+masks
//! (gradients flow through the unpooling switches and every deconvolution).

mod common;

use burn::tensor::{Device, Distribution, Tensor};
use model::deconvnet::DeconvNetConfig;
use model::segmentation::SegForward;

#[test]
fn output_has_the_input_size() {
    let _serial = common::serial();
    let device = Device::flex();
    let net = DeconvNetConfig::new(3)
        .with_in_channels(1)
        .with_base_width(4)
        .with_fc_width(16)
        .init(&device)
        .expect("deconvnet");
    for (h, w) in [(32, 32), (28, 28), (64, 36)] {
        let x = Tensor::<4>::random([2, 1, h, w], Distribution::Normal(0.0, 1.0), &device);
        assert_eq!(net.forward(x).dims(), [2, 3, h, w], "{h}×{w}");
    }
}

#[test]
fn tiny_deconvnet_overfits_two_images_and_masks() {
    let _serial = common::serial();
    let device = Device::flex().autodiff();
    device.seed(9);
    let net = DeconvNetConfig::new(2)
        .with_in_channels(1)
        .with_base_width(8)
        .with_fc_width(16)
        .init(&device)
        .expect("deconvnet");
    // Two 64×64 images (batch norm needs more than one value per map at the 2×2 pool5 resolution).
    let scene = common::rectangles(64, 64, &[(10, 12, 20, 24), (30, 26, 20, 24)], &device);
    let correct = common::fit_and_count(net, |n, x| n.forward(x), scene, 100);
    assert!(
        correct as f64 >= 0.99 * (2 * 64 * 64) as f64,
        "{correct} of {}",
        2 * 64 * 64
    );
}
