//! FCN-8s / FCN-32s: output size equals the input size for several sizes, bad strides are errors,
//! and a few optimiser steps through the whole network lower a loss.

use burn::tensor::{Device, Distribution, Tensor};
use model::fcn::FcnConfig;

fn small(stride: usize, device: &Device) -> model::fcn::Fcn {
    FcnConfig::new(3)
        .with_in_channels(1)
        .with_stride(stride)
        .with_base_width(4)
        .with_fc_width(16)
        .init(device)
        .expect("fcn")
}

#[test]
fn output_has_the_input_size() {
    let device = Device::flex();
    for stride in [8, 32] {
        let net = small(stride, &device);
        for (h, w) in [(32, 32), (28, 28), (64, 40)] {
            let x = Tensor::<4>::random([2, 1, h, w], Distribution::Normal(0.0, 1.0), &device);
            assert_eq!(net.forward(x).dims(), [2, 3, h, w], "FCN-{stride}s {h}×{w}");
        }
    }
}

#[test]
fn invalid_stride_is_an_error() {
    let err = FcnConfig::new(3)
        .with_stride(16)
        .init(&Device::flex())
        .expect_err("16 is not 8 or 32");
    assert!(err.to_string().contains("stride"), "{err}");
}

#[test]
fn gradients_flow_and_the_loss_falls() {
    let device = Device::flex().autodiff();
    device.seed(1);
    let mut net = small(8, &device);
    let x = Tensor::<4>::random([2, 1, 32, 32], Distribution::Normal(0.0, 1.0), &device);
    let mut optim = burn::optim::AdamConfig::new().init();
    let mut losses = Vec::new();
    for _ in 0..15 {
        // Push class 0 up everywhere: a loss every parameter of the path influences.
        let loss = net.forward(x.clone()).narrow(1, 0, 1).neg().mean();
        losses.push(loss.clone().into_scalar::<f32>());
        let grads = burn::optim::GradientsParams::from_grads(loss.backward(), &net);
        assert!(!grads.is_empty());
        net = optim.step(1e-3, net, grads);
    }
    assert!(losses[14] < losses[0], "{losses:?}");
}
