//! `infer --logits` on a run imported from PyTorch: the LeNet-5 fixture of
//! `xtask/scripts/torch_fixtures.py`, imported as `cargo xtask import` does it, scores the
//! fixture's test PNG with PyTorch's logits (within 1e-4).

use std::path::{Path, PathBuf};
use std::process::Command;

use data::{DatasetSpec, Fit, InputSpec, Normalize, Preprocessing};
use model::interop::{self, StateDict};
use model::registry;
use train::imported::{ImportRecord, ImportedRun, write_imported_run};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/torch")
}

#[test]
fn logits_of_an_imported_run_are_pytorch_s() {
    let dir = tempfile::tempdir().unwrap();
    let entry = registry::lookup("lenet5").unwrap();
    let config = entry.config(entry.default_args());
    let weights = fixtures().join("lenet5.pth");
    let device = burn::tensor::Device::flex();
    let (network, tensors) = interop::import("lenet5", &config, &weights, &device).unwrap();
    let input = InputSpec::new(1, 32, 32).with_fit(Fit::Resize);
    let classes = (0..10).map(|d| format!("digit-{d}")).collect();
    let run = dir.path().join("imported");
    write_imported_run(
        ImportedRun {
            model: "lenet5".into(),
            config,
            network,
            preprocessing: Preprocessing::new(input, Normalize::None, classes).unwrap(),
            dataset: DatasetSpec::Mnist(None),
            record: ImportRecord {
                source: weights,
                format: "pytorch".into(),
                tensors,
            },
        },
        &run,
    )
    .unwrap();
    // The fixture's test image: 32×32 grey, pixel (y, x) = (7x + 13y) mod 256.
    let png = dir.path().join("pattern.png");
    image::GrayImage::from_fn(32, 32, |x, y| image::Luma([((7 * x + 13 * y) % 256) as u8]))
        .save(&png)
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_infer"))
        .args([
            "--run",
            run.to_str().unwrap(),
            "--logits",
            png.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours: Vec<f32> = json[0]["logits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    let io = StateDict::read(&fixtures().join("lenet5.io.safetensors")).unwrap();
    let (theirs, _) = io.floats("image_logits").unwrap();
    assert_eq!(ours.len(), 10);
    let diff = ours
        .iter()
        .zip(&theirs)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max);
    eprintln!("infer --logits vs PyTorch: max |difference| {diff:.2e}");
    assert!(diff < 1e-4, "infer --logits differs from PyTorch by {diff}");
    assert!(
        json[0]["top"][0]["class"]
            .as_str()
            .unwrap()
            .starts_with("digit-")
    );
}
