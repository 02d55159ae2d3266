//! One SGD-momentum step from the same weights and batch as PyTorch (the fixtures of
//! `xtask/scripts/torch_fixtures.py`, lr 0.1, momentum 0.9, no dampening, cross-entropy): the
//! updated weights and the batch-norm running statistics match PyTorch's within 1e-4.

use std::path::{Path, PathBuf};

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::store::{BurnToPyTorchAdapter, ModuleSnapshot};
use burn::tensor::{Device, Int, Tensor, TensorData};
use model::interop::{self, KeyMap, StateDict};
use model::registry::{self, ModelArgs};
use serde_json::{Map, Value};
use train::classifier::Classifier;
use train::optimizer::OptimizerConfig;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/torch")
}

fn step_fixture(name: &str) -> (f32, String) {
    let manifest: Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("manifest.json")).unwrap())
            .unwrap();
    let entry = &manifest[name];
    let model = entry["model"].as_str().unwrap();
    let args = ModelArgs {
        num_classes: entry["num_classes"].as_u64().unwrap() as usize,
        in_channels: 3,
        input_size: entry["input_size"].as_u64().unwrap() as usize,
    };
    let mut changes = Map::new();
    for key in ["width_divisor", "dropout"] {
        if let Some(v) = entry.get(key) {
            changes.insert(key.into(), v.clone());
        }
    }
    let config = interop::config_with(&registry::config(model, args).unwrap(), &changes).unwrap();
    let device = Device::flex().autodiff();
    let weights = fixtures().join(entry["weights"].as_str().unwrap());
    let (net, _) = interop::import(model, &config, &weights, &device).unwrap();
    let net = net.train();
    let io = StateDict::read(&fixtures().join(entry["io"].as_str().unwrap())).unwrap();
    let (batch, shape) = io.floats("batch").unwrap();
    let shape: [usize; 4] = shape.try_into().unwrap();
    let x = Tensor::<4>::from_data(TensorData::new(batch, shape), &device);
    let (targets, _) = io.floats("targets").unwrap();
    let targets: Vec<i64> = targets.iter().map(|&t| t as i64).collect();
    let n = targets.len();
    let y = Tensor::<1, Int>::from_data(TensorData::new(targets, [n]), &device);

    let step = &entry["step"];
    let mut optim = OptimizerConfig::momentum(step["momentum"].as_f64().unwrap())
        .init()
        .unwrap();
    let loss = Classifier::cross_entropy(net.forward(x), y);
    let loss_value = loss.clone().into_data().try_to_vec::<f32>().unwrap()[0];
    let (torch_loss, _) = io.floats("loss").unwrap();
    assert!(
        (loss_value - torch_loss[0]).abs() < 1e-4,
        "{name}: loss {loss_value} vs {}",
        torch_loss[0]
    );
    let grads = GradientsParams::from_grads(loss.backward(), &net);
    let net = optim.step(step["lr"].as_f64().unwrap(), net, grads);
    let net = net.valid();

    let map = KeyMap::of(model, &config, &net).unwrap();
    let mut worst = (0.0f32, String::new());
    let mut checked = 0;
    for t in net.collect(None, Some(Box::new(BurnToPyTorchAdapter)), true) {
        let key = &map.entries.iter().find(|e| e.path == t.name).unwrap().key;
        let ours: Vec<f32> = t
            .to_bytes()
            .unwrap()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let (theirs, _) = io.floats(&format!("after.{key}")).unwrap();
        let diff = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert_eq!(ours.len(), theirs.len(), "{name}: {key}");
        assert!(
            diff < 1e-4,
            "{name}: {key} differs by {diff} after the step"
        );
        if diff >= worst.0 {
            let scale = theirs.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            worst = (diff, format!("{key}, values up to {scale:.3}"));
        }
        checked += 1;
    }
    assert_eq!(checked, map.entries.len());
    worst
}

#[test]
fn one_sgd_momentum_step_matches_pytorch_weights_and_running_statistics() {
    let mut report = Vec::new();
    for name in ["resnet18_d32", "vgg11_bn_d64"] {
        let (worst, at) = step_fixture(name);
        report.push(format!(
            "{name}: max |difference| after one step {worst:.2e} ({at})"
        ));
    }
    eprintln!("{}", report.join("\n"));
}
