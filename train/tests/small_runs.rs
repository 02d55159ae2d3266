//! Short runs on a two-class image folder (the commonest real case): top-k never exceeds the
//! classes, early stopping on the validation metric, and a run folder written in the old
//! config format still resumes.

use std::path::Path;

#[path = "common/runs.rs"]
mod runs;

use image::{GrayImage, Luma};
use runs::{Scratch, new_run as opts, resume};
use train::metrics_csv::MetricsTable;
use train::schedule::ScheduleConfig;
use train::{ExperimentConfig, Overrides, RunDir, run_experiment};

/// `root/{train,test}/{dark,light}/*.png`: 28×28 grey squares, a dark or a light one.
fn two_class_folder(root: &Path) {
    for (split, n) in [("train", 24), ("test", 6)] {
        for (class, base) in [("dark", 40u8), ("light", 200u8)] {
            let dir = root.join(split).join(class);
            std::fs::create_dir_all(&dir).expect("dirs");
            for i in 0..n {
                let img = GrayImage::from_fn(28, 28, |x, y| {
                    Luma([base.wrapping_add(((x * 3 + y * 5 + i * 7) % 23) as u8)])
                });
                img.save(dir.join(format!("{i:03}.png"))).expect("png");
            }
        }
    }
}

fn setup(name: &str) -> Scratch {
    Scratch::new(name, two_class_folder)
}

fn config(data: &Path, epochs: usize) -> ExperimentConfig {
    ExperimentConfig {
        dataset: data::DatasetSpec::Folder(data.to_path_buf()),
        input_size: Some(28),
        channels: Some(1),
        epochs,
        batch_size: 8,
        valid_fraction: 0.25,
        augment: train::experiment::AugmentChoice::Preset(train::experiment::AugmentPreset::None),
        schedule: ScheduleConfig::constant(0.01),
        ..Default::default()
    }
}

#[test]
fn two_classes_train_with_top_k_of_two() {
    // Before: Burn's top-5 metric panicked ("requires k (5) to be no greater than the number of
    // classes") on any folder with fewer than five classes.
    let Scratch { data, run, .. } = &setup("two");
    let summary = run_experiment(config(data, 1), &opts(run)).expect("run");
    let scores = summary.classification().expect("classification");
    assert_eq!(scores.top_k, 2);
    assert_eq!(scores.test_top5, 1.0, "top-2 of 2 classes is always right");
    assert_eq!(summary.test_images, 12);
    let table = MetricsTable::load(&run.join("metrics.csv")).expect("csv");
    assert!(table.split("valid").all(|r| (r.top5 - 1.0).abs() < 1e-9));
}

#[test]
fn early_stop_ends_the_run_when_validation_stalls() {
    let Scratch { data, run, .. } = &setup("early");
    let mut c = config(data, 6);
    // A learning rate too small to move any weight: validation accuracy cannot improve.
    c.schedule = ScheduleConfig::constant(1e-30);
    c.optimizer = train::optimizer::OptimizerConfig::sgd();
    c.early_stop = Some(2);
    let summary = run_experiment(c, &opts(run)).expect("run");
    assert_eq!(
        summary.epochs, 3,
        "epoch 1 is the best; two epochs without progress"
    );
    assert!(summary.stopped_early);
    let json = std::fs::read_to_string(run.join("summary.json")).expect("summary");
    assert!(json.contains("\"stopped_early\": true"), "{json}");
}

#[test]
fn a_run_folder_in_the_old_format_resumes_and_opens() {
    let Scratch { data, run, .. } = &setup("old");
    let mut c = config(data, 1);
    c.schedule = ScheduleConfig::cosine_over_run(0.01);
    run_experiment(c.clone(), &opts(run)).expect("first epoch");
    // Rewrite config.json as runs wrote it before: `"period": 0` for "the whole run".
    let dir = RunDir::open(run).expect("run dir");
    let text = std::fs::read_to_string(dir.config_file()).expect("config");
    let old = text.replace(
        "\"kind\": \"cosine\",\n      \"min_lr\": 0.0\n",
        "\"kind\": \"cosine\",\n      \"min_lr\": 0.0,\n      \"period\": 0\n",
    );
    assert_ne!(old, text, "the rewrite found the cosine decay:\n{text}");
    std::fs::write(dir.config_file(), old).expect("write old config");
    assert_eq!(dir.config().expect("old config loads").schedule, c.schedule);
    assert_eq!(dir.task().expect("task"), train::Task::Classify);
    assert!(dir.weights(train::run_dir::CheckpointChoice::Best).is_ok());

    let more = Overrides {
        epochs: Some(2),
        ..Default::default()
    };
    let resumed = run_experiment(c, &resume(run, more)).expect("resume an old run");
    assert_eq!(resumed.epochs, 2);
    let other_lr = Overrides {
        epochs: Some(3),
        lr: Some(0.5),
        ..Default::default()
    };
    let refused =
        run_experiment(config(data, 3), &resume(run, other_lr)).expect_err("--lr on resume");
    assert!(refused.to_string().contains("--lr"), "{refused}");
}
