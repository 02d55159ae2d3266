//! `infer` end to end on a small model trained on real MNIST and real exported test digits: its
//! accuracy equals the evaluation code's on the same images; resized, RGB and JPEG copies; every
//! bad input; JSON output; the binary's exit status.

#[path = "../../train/tests/common/runs.rs"]
mod runs;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use burn::data::dataset::Dataset;
use burn::tensor::Device;
use data::export::export_samples;
use data::{ClassificationBatcher, ImageItem, default_cache_dir, load_classification};
use infer::output::{Format, render};
use infer::{CheckpointChoice, TrainedRun, classify_files, files};
use train::split::Subset;
use train::{ExperimentConfig, run_experiment};

const N: usize = 100;

struct Fixture {
    run: PathBuf,
    digits: PathBuf,
    test: Arc<dyn Dataset<ImageItem>>,
}

/// One small run and the first N real test digits, shared by every test of this file.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let root = runs::fresh_dir("infer");
        let run = root.join("run");
        let config = ExperimentConfig {
            epochs: 2,
            batch_size: 32,
            augment: train::experiment::AugmentChoice::Preset(
                train::experiment::AugmentPreset::None,
            ),
            train_limit: Some(4000),
            test_limit: Some(500),
            ..Default::default()
        };
        run_experiment(config, &runs::new_run(&run)).expect("training the fixture");
        let data = load_classification(&"mnist".parse().expect("spec"), &default_cache_dir())
            .expect("MNIST");
        let digits = root.join("digits");
        export_samples(&*data.test, &data.classes, N, &digits).expect("export");
        Fixture {
            run,
            digits,
            test: data.test,
        }
    })
}

fn label_of(path: &Path) -> usize {
    let name = path.file_stem().and_then(|s| s.to_str()).expect("name");
    name.rsplit('_')
        .next()
        .and_then(|l| l.parse().ok())
        .expect("label in file name")
}

fn open(run: &Path) -> TrainedRun {
    TrainedRun::open(run, CheckpointChoice::Best, &Device::flex()).expect("open run")
}

#[test]
fn accuracy_through_infer_equals_the_evaluation_code() {
    let f = fixture();
    let trained = open(&f.run);
    let (paths, errors) = files::collect(std::slice::from_ref(&f.digits));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(paths.len(), N);
    let results = classify_files(&trained, &paths, 3, 32, &Device::flex(), |_| {});
    let correct = results
        .iter()
        .filter(|r| r.top[0].index == label_of(&r.path))
        .count();

    let subset = Subset::new(f.test.clone(), (0..N).collect());
    let batcher = ClassificationBatcher::new(trained.preprocessing.clone());
    let eval = train::evaluate::evaluate(&trained.model, &subset, &batcher, 50, &Device::flex())
        .expect("evaluate");
    assert_eq!(
        correct as f64 / N as f64,
        eval.top1,
        "infer and evaluation disagree"
    );
    assert!(
        eval.top1 > 0.8,
        "the fixture model should have learnt something: {}",
        eval.top1
    );
}

#[test]
fn resized_rgb_and_jpeg_copies_get_the_same_answers() {
    let f = fixture();
    let trained = open(&f.run);
    let (paths, _) = files::collect(std::slice::from_ref(&f.digits));
    let paths = &paths[..30];
    let copies = f.run.parent().expect("root").join("copies");
    std::fs::create_dir_all(&copies).expect("mkdir");
    let mut rgb = Vec::new();
    let mut big = Vec::new();
    let mut jpeg = Vec::new();
    for p in paths {
        let img = image::open(p).expect("png");
        let stem = p.file_stem().and_then(|s| s.to_str()).expect("stem");
        let q = copies.join(format!("{stem}_rgb.png"));
        image::DynamicImage::ImageRgb8(img.to_rgb8())
            .save(&q)
            .expect("save");
        rgb.push(q);
        let q = copies.join(format!("{stem}_200.png"));
        img.resize_exact(200, 200, image::imageops::FilterType::Triangle)
            .save(&q)
            .expect("save");
        big.push(q);
        let q = copies.join(format!("{stem}.jpg"));
        image::DynamicImage::ImageRgb8(img.to_rgb8())
            .save(&q)
            .expect("save");
        jpeg.push(q);
    }
    let classes = |files: &[PathBuf]| -> Vec<usize> {
        classify_files(&trained, files, 1, 16, &Device::flex(), |_| {})
            .iter()
            .map(|r| {
                assert!(r.error.is_none(), "{:?}", r.error);
                r.top[0].index
            })
            .collect()
    };
    let original = classes(paths);
    assert_eq!(
        classes(&rgb),
        original,
        "an RGB copy of a grey digit is the same input"
    );
    let agree = |other: Vec<usize>| other.iter().zip(&original).filter(|(a, b)| a == b).count();
    assert!(agree(classes(&big)) >= 27, "200×200 copies");
    assert!(agree(classes(&jpeg)) >= 27, "JPEG copies");
}

#[test]
fn bad_files_are_reported_and_the_others_still_classified() {
    let f = fixture();
    let trained = open(&f.run);
    let dir = f.run.parent().expect("root").join("bad");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let text = dir.join("notes.png");
    std::fs::write(&text, "this is not an image").expect("write");
    let good = f.digits.join("00000_7.png");
    let bytes = std::fs::read(&good).expect("read");
    let truncated = dir.join("truncated.png");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let missing = dir.join("missing.png");
    let (paths, errors) = files::collect(&[
        text.clone(),
        good.clone(),
        truncated.clone(),
        missing.clone(),
    ]);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].0 == missing && errors[0].1.contains("no such file"));
    let results = classify_files(&trained, &paths, 1, 8, &Device::flex(), |_| {});
    assert_eq!(results.len(), 3);
    for r in &results {
        if r.path == good {
            assert!(r.error.is_none() && r.top.len() == 1);
        } else {
            let e = r.error.as_deref().expect("an error");
            assert!(
                e.contains(r.path.to_str().expect("utf-8")),
                "the error names the file: {e}"
            );
        }
    }
    let json = render(&results, Format::Json);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON output parses");
    let list = parsed.as_array().expect("a top-level list");
    assert_eq!(list.len(), 3);
    assert!(list.iter().any(|v| v.get("error").is_some()));
    assert!(render(&results, Format::Csv).starts_with("path,rank,class,probability,error\n"));
}

#[test]
fn run_folder_problems_are_clear_errors() {
    let f = fixture();
    let root = f.run.parent().expect("root").join("broken-runs");
    let _ = std::fs::remove_dir_all(&root);
    // No checkpoint.
    let empty = root.join("no-checkpoint");
    std::fs::create_dir_all(&empty).expect("mkdir");
    for file in ["model.json", "preprocessing.json"] {
        std::fs::copy(f.run.join(file), empty.join(file)).expect("copy");
    }
    let err = TrainedRun::open(&empty, CheckpointChoice::Best, &Device::flex())
        .err()
        .expect("no checkpoint");
    assert!(format!("{err:#}").contains("best.bpk"), "{err:#}");
    // A checkpoint of another architecture.
    let other = root.join("other-architecture");
    std::fs::create_dir_all(&other).expect("mkdir");
    std::fs::copy(
        f.run.join("preprocessing.json"),
        other.join("preprocessing.json"),
    )
    .expect("copy");
    std::fs::copy(f.run.join("best.bpk"), other.join("best.bpk")).expect("copy");
    let alex = model::registry::config(
        "alexnet_small",
        model::registry::ModelArgs {
            num_classes: 10,
            in_channels: 1,
            input_size: 28,
        },
    )
    .expect("config");
    std::fs::write(
        other.join("model.json"),
        serde_json::to_string(&alex).expect("json"),
    )
    .expect("write");
    let err = TrainedRun::open(&other, CheckpointChoice::Best, &Device::flex())
        .err()
        .expect("wrong architecture");
    let msg = format!("{err:#}");
    assert!(
        msg.contains("best.bpk") && msg.contains("architecture"),
        "{msg}"
    );
    // Not a run folder at all.
    let err = TrainedRun::open(
        &root.join("nowhere"),
        CheckpointChoice::Last,
        &Device::flex(),
    )
    .err()
    .expect("missing");
    assert!(format!("{err:#}").contains("nowhere"));
}

#[test]
fn the_binary_exits_non_zero_when_a_file_fails_and_prints_the_others() {
    let f = fixture();
    let bad = f.run.parent().expect("root").join("garbage.jpg");
    std::fs::write(&bad, [0u8, 1, 2, 3]).expect("write");
    let good = f.digits.join("00001_2.png");
    let out = Command::new(env!("CARGO_BIN_EXE_infer"))
        .args([
            "--run",
            f.run.to_str().expect("utf-8"),
            "--format",
            "json",
            "--top-k",
            "2",
        ])
        .arg(&good)
        .arg(&bad)
        .output()
        .expect("run infer");
    assert_eq!(out.status.code(), Some(1));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[0]["top"].as_array().map(Vec::len), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.contains("garbage.jpg"))
        .expect("the bad file named on stderr");
    // Named once, not "error: F: F: …".
    assert_eq!(line.matches("garbage.jpg").count(), 1, "{line}");

    let out = Command::new(env!("CARGO_BIN_EXE_infer"))
        .args(["--run", "/nonexistent/run", "x.png"])
        .output()
        .expect("run infer");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/run"));
}
