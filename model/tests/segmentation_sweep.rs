//! One sweep over every registered segmentation network: output `[B, classes, H, W]` at the input
//! size for several sizes, finite scores, and a gradient for every trainable parameter.

mod common;

use burn::tensor::{Device, Distribution, Tensor};
use model::segmentation::{SEGMENTATION_MODELS, segmentation_config};

#[test]
fn every_segmentation_network_keeps_the_input_size_and_trains() {
    let device = Device::flex().autodiff();
    for name in SEGMENTATION_MODELS {
        let small = name.ends_with("_small");
        let net = segmentation_config(name, 5, 1)
            .and_then(|c| c.init(&device))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let sizes: &[(usize, usize)] = if small {
            &[(28, 28), (32, 40)]
        } else {
            &[(64, 64)]
        };
        for &(h, w) in sizes {
            let x = Tensor::<4>::random([2, 1, h, w], Distribution::Normal(0.0, 1.0), &device);
            let scores = net.forward(x);
            assert_eq!(scores.dims(), [2, 5, h, w], "{name} at {h}×{w}");
            let loss = scores.powi_scalar(2).mean();
            assert!(
                loss.clone().into_scalar::<f32>().is_finite(),
                "{name}: non-finite scores"
            );
            let grads = loss.backward();
            let (checked, missing) = common::missing_gradients(&net, &grads);
            assert!(checked > 0, "{name}: no parameters visited");
            assert!(missing.is_empty(), "{name}: no gradient for {missing:?}");
        }
    }
}

#[test]
fn unknown_segmentation_model_lists_the_valid_names() {
    let err = segmentation_config("pspnet", 2, 3)
        .expect_err("not registered")
        .to_string();
    assert!(
        err.contains("pspnet") && err.contains("unet") && err.contains("fcn8s"),
        "{err}"
    );
}
