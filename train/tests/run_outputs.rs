//! End-to-end runs on a small subset of real MNIST: every output file, resume after an interrupted
//! epoch with the same learning-rate sequence, the same metrics for the same seed, and refusal to
//! overwrite a run.

#[path = "common/runs.rs"]
mod runs;

use runs::{assert_run_files, fresh_dir, new_run as opts, one_at_a_time, resume};
use train::metrics_csv::MetricsTable;
use train::schedule::{ScheduleConfig, TimeUnit};
use train::{ExperimentConfig, run_experiment};

fn small_config(epochs: usize) -> ExperimentConfig {
    ExperimentConfig {
        epochs,
        train_limit: Some(600),
        test_limit: Some(300),
        batch_size: 50,
        num_workers: 1,
        augment: train::experiment::AugmentChoice::Preset(train::experiment::AugmentPreset::None),
        // Step decay every epoch so the LR sequence visibly depends on the epoch.
        schedule: ScheduleConfig::step(0.05, 0.5, 1).with_unit(TimeUnit::Epoch),
        ..Default::default()
    }
}

#[test]
fn two_epoch_run_writes_every_output_and_resumes_after_a_lost_epoch() {
    let _guard = one_at_a_time();
    let dir = fresh_dir("resume");
    let summary = run_experiment(small_config(2), &opts(&dir)).expect("run");
    assert_run_files(&dir);
    for file in [
        "checkpoint/model-1.bpk",
        "checkpoint/optim-1.bpk",
        "checkpoint/scheduler-1.bpk",
        "checkpoint/model-2.bpk",
    ] {
        assert!(dir.join(file).is_file(), "missing {file}");
    }
    assert_eq!(summary.epochs, 2);
    assert_eq!(summary.test_images, 300);
    // Chance is 10 %: two short epochs must do clearly better.
    let scores = summary.classification().expect("classification scores");
    assert!(scores.test_accuracy > 0.3, "{summary:?}");
    assert_eq!(scores.top_k, 5);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).expect("read"))
            .expect("json");
    for key in [
        "test_accuracy",
        "best_valid_accuracy",
        "epochs",
        "wall_seconds",
        "backend",
    ] {
        assert!(json.get(key).is_some(), "summary.json lacks {key}");
    }
    let full = MetricsTable::load(&dir.join("metrics.csv")).expect("csv");
    assert_eq!(full.split("train").count(), 2);
    assert_eq!(full.split("valid").count(), 2);

    // Simulate a run killed during epoch 2: its checkpoint and outputs never got written.
    for kind in ["model", "optim", "scheduler"] {
        std::fs::remove_file(dir.join(format!("checkpoint/{kind}-2.bpk"))).expect("remove");
    }
    std::fs::remove_file(dir.join("summary.json")).expect("remove");

    let err =
        run_experiment(small_config(2), &opts(&dir)).expect_err("a run folder is not overwritten");
    assert!(err.to_string().contains("--resume"), "{err}");

    let resumed =
        run_experiment(small_config(2), &resume(&dir, Default::default())).expect("resume");
    assert_eq!(resumed.epochs, 2);
    let after = MetricsTable::load(&dir.join("metrics.csv")).expect("csv");
    assert_eq!(
        after.split("train").count(),
        2,
        "epoch 1 kept, epoch 2 redone once"
    );
    let lrs = |t: &MetricsTable| t.split("train").map(|r| r.lr).collect::<Vec<_>>();
    assert_eq!(
        lrs(&after),
        lrs(&full),
        "the resumed run continues the same LR sequence"
    );
    assert!(
        (lrs(&full)[1] - 0.025).abs() < 1e-12,
        "step decay halves the LR at epoch 2"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn same_seed_gives_the_same_metrics() {
    let _guard = one_at_a_time();
    let a = fresh_dir("seed-a");
    let b = fresh_dir("seed-b");
    let mut config = small_config(1);
    config.augment =
        train::experiment::AugmentChoice::Preset(train::experiment::AugmentPreset::Default);
    let sa = run_experiment(config.clone(), &opts(&a)).expect("run a");
    let sb = run_experiment(config, &opts(&b)).expect("run b");
    let ta = MetricsTable::load(&a.join("metrics.csv")).expect("csv a");
    let tb = MetricsTable::load(&b.join("metrics.csv")).expect("csv b");
    let key = |t: &MetricsTable| {
        t.rows
            .iter()
            .map(|r| (r.loss, r.top1, r.top5))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&ta), key(&tb));
    let accuracy = |s: &train::RunSummary| s.classification().map(|c| c.test_accuracy);
    assert_eq!(accuracy(&sa), accuracy(&sb));
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

#[test]
fn resume_without_a_run_is_a_clear_error() {
    let _guard = one_at_a_time();
    let dir = fresh_dir("nothing");
    let err = run_experiment(small_config(1), &resume(&dir, Default::default()))
        .expect_err("nothing to resume");
    assert!(err.to_string().contains("nothing to resume"), "{err}");
}
