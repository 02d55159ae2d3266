//! One sweep over every registered model: forward shapes, finiteness, a gradient for every
//! trainable parameter after one backward pass, and train/eval behaviour of dropout and batch norm.
//!
//! ImageNet forms run at 64 px (their smallest comfortable size) to keep the sweep fast; the
//! small forms run at 28 px with one channel and at 32 px with three.

mod common;

use burn::module::Module;
use burn::tensor::{Device, Distribution, Tensor};
use model::Network;
use model::registry::{self, ModelArgs};

const CLASSES: usize = 7;

fn build(name: &str, in_channels: usize, input_size: usize, device: &Device) -> Network {
    let args = ModelArgs {
        num_classes: CLASSES,
        in_channels,
        input_size,
    };
    registry::config(name, args)
        .and_then(|c| c.init(device))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn sweep_one(name: &str, in_channels: usize, input_size: usize) {
    let device = Device::flex().autodiff();
    device.seed(7);
    let net = build(name, in_channels, input_size, &device).train();
    let x = Tensor::<4>::random(
        [2, in_channels, input_size, input_size],
        Distribution::Normal(0.0, 1.0),
        &device,
    );
    let (logits, aux) = net.forward_with_aux(x.clone());
    assert_eq!(logits.dims(), [2, CLASSES], "{name}");
    let values: Vec<f32> = logits
        .clone()
        .into_data()
        .try_to_vec::<f32>()
        .expect("f32 logits");
    assert!(
        values.iter().all(|v| v.is_finite()),
        "{name}: non-finite logits {values:?}"
    );
    let mut loss = logits.powi_scalar(2).mean();
    for a in aux {
        assert_eq!(a.dims(), [2, CLASSES], "{name} aux");
        loss = loss + a.powi_scalar(2).mean();
    }
    let grads = loss.backward();
    let (checked, missing) = common::missing_gradients(&net, &grads);
    assert!(checked > 0, "{name}: no parameters visited");
    assert!(missing.is_empty(), "{name}: no gradient for {missing:?}");

    // Evaluation mode: deterministic (dropout off) and per-sample (batch norm uses running stats).
    let eval = net.valid();
    let x = x.inner();
    let other = Tensor::<4>::random(
        [1, in_channels, input_size, input_size],
        Distribution::Normal(3.0, 2.0),
        &x.device(),
    );
    let first = x.clone().narrow(0, 0, 1);
    let a = eval
        .forward(Tensor::cat(
            vec![first.clone(), x.clone().narrow(0, 1, 1)],
            0,
        ))
        .narrow(0, 0, 1);
    let b = eval
        .forward(Tensor::cat(vec![first, other], 0))
        .narrow(0, 0, 1);
    let diff = (a - b).abs().max().into_scalar::<f32>();
    assert!(
        diff < 1e-4,
        "{name}: eval output of one sample depends on the batch ({diff})"
    );
}

fn sweep(filter: impl Fn(&str) -> bool) {
    for entry in registry::entries().into_iter().filter(|e| filter(&e.name)) {
        if entry.default_input <= 64 {
            sweep_one(&entry.name, 1, 28);
            sweep_one(&entry.name, 3, 32);
        } else {
            sweep_one(&entry.name, 3, 64);
        }
    }
}

#[test]
fn sweep_lenet_and_alexnet() {
    sweep(|n| n.starts_with("lenet") || n.starts_with("alexnet"));
}

#[test]
fn sweep_vgg() {
    sweep(|n| n.starts_with("vgg"));
}

#[test]
fn sweep_googlenet() {
    sweep(|n| n.starts_with("googlenet"));
}

#[test]
fn sweep_resnet() {
    sweep(|n| n.starts_with("resnet"));
}

#[test]
fn sweep_covers_every_family() {
    let names: Vec<String> = registry::entries().into_iter().map(|e| e.name).collect();
    for prefix in ["lenet", "alexnet", "vgg", "googlenet", "resnet"] {
        assert!(names.iter().any(|n| n.starts_with(prefix)), "{prefix}");
    }
}

#[test]
fn dropout_is_active_in_training_only() {
    let device = Device::flex().autodiff();
    let net = build("alexnet_small", 3, 32, &device).train();
    let x = Tensor::<4>::random([2, 3, 32, 32], Distribution::Normal(0.0, 1.0), &device);
    let a = net.forward(x.clone());
    let b = net.forward(x.clone());
    assert!(
        (a - b).abs().max().into_scalar::<f32>() > 0.0,
        "two training passes should differ"
    );
    let eval = net.valid();
    let x = x.inner();
    let a = eval.forward(x.clone());
    let b = eval.forward(x);
    assert_eq!((a - b).abs().max().into_scalar::<f32>(), 0.0);
}

#[test]
fn unknown_model_lists_valid_names() {
    let err = registry::lookup("resnet19")
        .expect_err("not registered")
        .to_string();
    assert!(err.contains("unknown model `resnet19`"), "{err}");
    assert!(
        err.contains("resnet18") && err.contains("vgg16_bn") && err.contains("lenet5"),
        "{err}"
    );
}

#[test]
fn too_small_input_is_an_error_not_a_panic() {
    let args = ModelArgs {
        num_classes: 10,
        in_channels: 1,
        input_size: 28,
    };
    for name in ["vgg16", "resnet50", "googlenet", "alexnet"] {
        let err = registry::config(name, args).and_then(|c| c.init(&Device::flex()).map(|_| ()));
        let msg = err.expect_err(name).to_string();
        assert!(msg.contains("28"), "{name}: {msg}");
    }
}
