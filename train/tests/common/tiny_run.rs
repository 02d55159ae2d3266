#![allow(dead_code)] // each test binary that includes this file uses part of it
//! A tiny real classification run for the tests that need a finished run folder: LeNet-5 on
//! 600 MNIST training and 200 test images, one epoch, no augmentation (a few seconds); and the
//! options of a `--quick` experiment.

use std::path::{Path, PathBuf};

use model::backend::BackendKind;
use train::lab::LabOptions;

use train::schedule::ScheduleConfig;
use train::{ExperimentConfig, RunOptions, RunSummary, run_experiment};

/// The tiny run's experiment.
pub fn tiny_config() -> ExperimentConfig {
    ExperimentConfig {
        train_limit: Some(600),
        test_limit: Some(200),
        epochs: 1,
        batch_size: 32,
        augment: train::experiment::AugmentChoice::Preset(train::experiment::AugmentPreset::None),
        schedule: ScheduleConfig::constant(0.05),
        ..Default::default()
    }
}

/// Trains the tiny run into `dir` (which must not hold a run yet).
pub fn tiny_run(dir: &Path) -> RunSummary {
    let opts = RunOptions {
        out: Some(dir.to_path_buf()),
        ..Default::default()
    };
    run_experiment(tiny_config(), &opts).expect("tiny run")
}

/// A `--quick` experiment on flex with seed 42 writing into `out`, studying `run` if given.
pub fn lab_options(out: &Path, run: Option<PathBuf>) -> LabOptions {
    LabOptions {
        dataset: None,
        epochs: None,
        seed: 42,
        backend: BackendKind::Flex,
        quick: true,
        out: out.to_path_buf(),
        cache: data::default_cache_dir(),
        run,
    }
}
