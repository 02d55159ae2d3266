//! A checkpoint written before the CPU kernels existed (commit e71b8ec, Burn's own convolution and
//! batch norm everywhere) still loads, and gives the same logits with our kernels: the networks
//! kept their parameters and record names.
//!
//! The fixture `fixtures/resnet20_e71b8ec.bpk` (+ `.json`: the input and the logits then) was made
//! by the ignored test below, run at that commit:
//! `cargo test --release -p train --test pre_kernel_checkpoint -- --ignored`.

use std::path::PathBuf;

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Distribution, Int, Tensor, TensorData};
use model::registry::{self, ModelArgs};
use train::classifier::Classifier;
use train::load::load_classifier;
use train::optimizer::OptimizerConfig;

const SHAPE: [usize; 4] = [4, 1, 28, 28];

fn fixture(ext: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/resnet20_e71b8ec.{ext}"))
}

fn config() -> model::NetworkConfig {
    let args = ModelArgs {
        num_classes: 10,
        in_channels: 1,
        input_size: 28,
    };
    registry::config("resnet20", args).expect("resnet20 is registered")
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Expected {
    input: Vec<f32>,
    logits: Vec<f32>,
}

#[test]
#[ignore = "writes the fixture; run at the commit the fixture names"]
fn write_fixture() {
    let device = Device::flex().autodiff();
    device.seed(2026);
    let mut model = Classifier::new(
        config().init(&device).expect("init"),
        Default::default(),
        0.0,
    )
    .train();
    let mut optim = OptimizerConfig::momentum(0.9).init().expect("optimizer");
    // A few steps, so that weights and batch-norm running statistics are not the initial ones.
    for _ in 0..3 {
        let x = Tensor::<4>::random([16, 1, 28, 28], Distribution::Normal(0.0, 1.0), &device);
        let y = Tensor::<1, Int>::random([16], Distribution::Uniform(0.0, 10.0), &device);
        let loss = Classifier::cross_entropy(model.network.forward(x), y);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optim.step(0.05, model, grads);
    }
    let eval = model.valid();
    eval.clone().save_file(fixture("bpk")).expect("save");
    let input = Tensor::<4>::random(SHAPE, Distribution::Normal(0.0, 1.0), &Device::flex());
    let logits = eval.network.forward(input.clone());
    let expected = Expected {
        input: input.into_data().try_to_vec::<f32>().expect("f32"),
        logits: logits.into_data().try_to_vec::<f32>().expect("f32"),
    };
    std::fs::write(
        fixture("json"),
        serde_json::to_string(&expected).expect("json"),
    )
    .expect("write");
}

#[test]
fn checkpoint_from_before_the_kernels_loads_and_gives_the_same_logits() {
    let expected: Expected =
        serde_json::from_str(&std::fs::read_to_string(fixture("json")).expect("fixture json"))
            .expect("parse");
    let device = Device::flex();
    let model =
        load_classifier(&config(), &fixture("bpk"), &device).expect("the old checkpoint loads");
    let input = Tensor::<4>::from_data(TensorData::new(expected.input, SHAPE), &device);
    let logits = model
        .network
        .forward(input)
        .into_data()
        .try_to_vec::<f32>()
        .expect("f32");
    assert_eq!(logits.len(), expected.logits.len());
    for (i, (a, b)) in logits.iter().zip(&expected.logits).enumerate() {
        assert!(
            (a - b).abs() <= 1e-4 * (1.0 + b.abs()),
            "logit {i}: {a} now, {b} before"
        );
    }
}
