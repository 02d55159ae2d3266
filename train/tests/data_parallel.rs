//! Data parallelism on the CPU: Burn's multi-device strategy on two CPU devices gives the weights
//! of one device with the combined batch; the MPI training loop, run as a single rank (no MPI
//! needed), writes a complete run folder and resumes exactly; an uneven split is refused.

use std::path::Path;

#[path = "common/runs.rs"]
mod runs;

use data::idx::encode_idx;
use runs::{Scratch, assert_run_files, new_run, resume};
use train::distributed::weights::{max_abs_difference, run_weights};
use train::distributed::{Parallel, run_planned};
use train::experiment::{AugmentChoice, AugmentPreset};
use train::run_dir::plan_run;
use train::schedule::ScheduleConfig;
use train::{ExperimentConfig, Overrides, RunDir, RunOptions};

/// `dir/{train,t10k}-*-ubyte`: 28×28 grey images of four classes (a bright band at a class-
/// dependent row, over noise), 80 training and 16 test images.
fn write_idx(dir: &Path) {
    std::fs::create_dir_all(dir).expect("data dir");
    for (split, n) in [("train", 80usize), ("t10k", 16)] {
        let labels: Vec<u8> = (0..n).map(|i| (i * 7 % 4) as u8).collect();
        let pixels: Vec<u8> = labels
            .iter()
            .enumerate()
            .flat_map(|(i, &c)| {
                (0..784usize).map(move |p| {
                    let band = (p / 28) / 7 == c as usize;
                    let noise = ((p * 31 + i * 17) % 41) as u8;
                    if band { 190 + noise } else { 20 + noise }
                })
            })
            .collect();
        let write = |kind: &str, bytes: Vec<u8>| {
            std::fs::write(dir.join(format!("{split}-{kind}-ubyte")), bytes).expect("idx");
        };
        write("images-idx3", encode_idx(&[n, 28, 28], &pixels));
        write("labels-idx1", encode_idx(&[n], &labels));
    }
}

/// LeNet-5 (no batch norm, no dropout) on the four-class set: 64 training images, so that with
/// a batch of 64 every epoch is one step and the two devices' halves together are that batch.
fn config(data: &Path, epochs: usize) -> ExperimentConfig {
    ExperimentConfig {
        dataset: format!("idx:{}", data.display()).parse().expect("dataset"),
        channels: Some(1),
        augment: AugmentChoice::Preset(AugmentPreset::None),
        batch_size: 64,
        epochs,
        seed: 11,
        valid_fraction: 0.2,
        ..Default::default()
    }
}

fn setup(name: &str) -> Scratch {
    Scratch::new(name, write_idx)
}

fn train(config: ExperimentConfig, opts: &RunOptions, parallel: Parallel) -> RunDir {
    let plan = plan_run(config, opts).expect("plan");
    let dir = plan.dir.clone();
    run_planned(plan, parallel).expect("run");
    assert_run_files(dir.path());
    dir
}

fn last_weights(dir: &RunDir) -> Vec<f32> {
    run_weights(dir, &dir.file("last.bpk")).expect("weights")
}

#[test]
fn two_cpu_devices_give_the_weights_of_one_device_with_the_combined_batch() {
    let s = setup("dp-devices");
    let one = train(
        config(&s.data, 3),
        &new_run(&s.root.join("one")),
        Parallel::Single,
    );
    let two = train(
        config(&s.data, 3),
        &new_run(&s.root.join("two")),
        Parallel::Devices(vec![0, 1]),
    );
    let (a, b) = (last_weights(&one), last_weights(&two));
    assert!(
        a.len() > 60_000,
        "LeNet-5 has about 61k weights, got {}",
        a.len()
    );
    let moved = max_abs_difference(
        &a,
        &run_weights(&two, &two.checkpoint_file("model", 2)).expect("epoch 2"),
    );
    assert!(
        moved > 1e-4,
        "the third step must change the weights (moved {moved})"
    );
    let diff = max_abs_difference(&a, &b);
    assert!(diff < 1e-5, "two devices differ from one by {diff}");
}

/// A two-epoch run laid out as `parallel`, against the same run stopped after epoch 1 and
/// resumed (batch 16: four steps an epoch): the final weights must be identical.
fn assert_resume_is_exact(name: &str, parallel: Parallel) {
    let s = setup(name);
    let mut cfg = config(&s.data, 2);
    cfg.batch_size = 16;
    // A constant rate: the default cosine spans the run, which `--epochs` lengthens on resume.
    cfg.schedule = ScheduleConfig::constant(0.02);
    let whole = train(
        cfg.clone(),
        &new_run(&s.root.join("whole")),
        parallel.clone(),
    );
    let mut first = cfg.clone();
    first.epochs = 1;
    let part = train(first, &new_run(&s.root.join("part")), parallel.clone());
    let more = Overrides {
        epochs: Some(2),
        ..Default::default()
    };
    train(cfg, &resume(part.path(), more), parallel.clone());
    let diff = max_abs_difference(&last_weights(&whole), &last_weights(&part));
    assert!(
        diff == 0.0,
        "the resumed {parallel:?} run differs by {diff}"
    );
}

#[test]
fn two_cpu_devices_resume_exactly() {
    assert_resume_is_exact("dp-devices-resume", Parallel::Devices(vec![0, 1]));
}

#[test]
fn an_uneven_split_of_the_batch_is_refused() {
    let s = setup("dp-uneven");
    let plan = plan_run(config(&s.data, 1), &new_run(&s.root.join("run"))).expect("plan");
    let err = run_planned(plan, Parallel::Devices(vec![0, 1, 2]))
        .expect_err("64 over 3 devices")
        .to_string();
    assert!(err.contains("cannot be split evenly over 3"), "{err}");
    assert!(
        !s.root.join("run").exists(),
        "no run folder for a refused run"
    );
}

#[test]
fn the_rank_loop_alone_writes_a_run_and_resumes_exactly() {
    assert_resume_is_exact("dp-rank", Parallel::Mpi);
}
