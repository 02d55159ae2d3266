//! SegNet: output size equals the input size, the pooling switches carry the positions back, every
//! parameter gets a gradient, and a tiny SegNet overfits one image+mask.

mod common;

use burn::tensor::{Device, Distribution, Tensor};
use model::segmentation::SegForward;
use model::segnet::SegNetConfig;

#[test]
fn output_has_the_input_size() {
    let _serial = common::serial();
    let device = Device::flex();
    let net = SegNetConfig::new(3)
        .with_in_channels(1)
        .with_base_width(4)
        .with_stages(3)
        .init(&device)
        .expect("segnet");
    for (h, w) in [(32, 32), (28, 28), (30, 44)] {
        let x = Tensor::<4>::random([2, 1, h, w], Distribution::Normal(0.0, 1.0), &device);
        assert_eq!(net.forward(x).dims(), [2, 3, h, w], "{h}×{w}");
    }
}

#[test]
fn paper_configuration_parameter_count() {
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
fn tiny_segnet_overfits_one_image_and_mask() {
    let _serial = common::serial();
    let device = Device::flex().autodiff();
    device.seed(5);
    let net = SegNetConfig::new(2)
        .with_in_channels(1)
        .with_base_width(8)
        .with_stages(2)
        .init(&device)
        .expect("segnet");
    let scene = common::rectangles(16, 16, &[(3, 6, 6, 7)], &device);
    assert_eq!(
        common::fit_and_count(net, |n, x| n.forward(x), scene, 80),
        16 * 16
    );
}
