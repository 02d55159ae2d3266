//! MPI data parallelism end to end: `xtask` built with the `mpi` feature, started by `mpirun`
//! over loopback with one compute thread per rank. Two ranks for six steps give the weights of
//! one rank with the combined batch (LeNet-5, no batch norm, within 1e-5), the two-rank run
//! writes one complete run folder (and the other rank's temporary folder is gone), and a
//! two-rank run resumed after its first epoch ends with the weights of the uninterrupted one.
//!
//! Needs `mpirun` and the MPI headers (Debian: `openmpi-bin libopenmpi-dev libclang-dev`). Where
//! `mpirun` is missing the test says so and passes, unless `CI_REQUIRE_MPI=1` (set by `.ci/run`),
//! which makes it fail: CI must run it.

use std::path::{Path, PathBuf};
use std::process::Command;

mod harness;
#[path = "../../train/tests/common/runs.rs"]
mod runs;

use train::RunDir;
use train::distributed::weights::{max_abs_difference, run_weights};

fn mpirun_available() -> bool {
    Command::new("mpirun")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Build xtask with the `mpi` feature (the same target folder: only train and xtask recompile);
/// the error says why it failed.
fn build_with_mpi() -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["build", "--release", "-p", "xtask", "--features", "mpi"])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "building xtask with --features mpi failed (are libopenmpi-dev and libclang-dev installed?):\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(PathBuf::from(env!("CARGO_BIN_EXE_xtask")))
}

/// Whether CI demands the MPI test (`.ci/run` sets `CI_REQUIRE_MPI=1`).
fn required() -> bool {
    std::env::var("CI_REQUIRE_MPI").as_deref() == Ok("1")
}

/// Three classes of 28×28 digits-like blobs: 128 training images (96 train + 32 validation) and
/// 24 test images.
fn write_data(dir: &Path) {
    std::fs::create_dir_all(dir).expect("data dir");
    for (split, n) in [("train", 128usize), ("t10k", 24)] {
        let mut images = Vec::new();
        let mut labels = Vec::new();
        for i in 0..n {
            let class = (i * 5 % 3) as u8;
            labels.push(class);
            for y in 0..28usize {
                for x in 0..28usize {
                    let on = match class {
                        0 => x.abs_diff(14) < 3,
                        1 => y.abs_diff(14) < 3,
                        _ => x.abs_diff(y) < 3,
                    };
                    let jitter = ((x * 13 + y * 7 + i * 29) % 37) as u8;
                    images.push(if on { 200 + jitter / 2 } else { jitter });
                }
            }
        }
        harness::write_idx_split(dir, split, &images, &labels);
    }
}

struct Job {
    xtask: PathBuf,
    root: PathBuf,
}

impl Job {
    /// The flags of a new run of `epochs` epochs: LeNet-5 (no batch norm), 96 training images in
    /// batches of 32 (16 a rank on two ranks), no augmentation.
    fn fresh(&self, epochs: usize) -> Vec<String> {
        let config = self.root.join("experiment.json");
        let json = format!(
            r#"{{ "model": "lenet5", "dataset": "idx:{}", "augment": "none", "batch_size": 32,
                "seed": 3, "valid_fraction": 0.25, "epochs": {epochs},
                "schedule": {{ "lr0": 0.02, "decay": {{ "kind": "constant" }} }} }}"#,
            self.root.join("data").display()
        );
        std::fs::write(&config, json).expect("config");
        vec!["--config".into(), config.display().to_string()]
    }

    /// `mpirun -np ranks xtask train --distributed mpi --out ROOT/out args…` (one thread a
    /// rank), which must succeed.
    fn train(&self, ranks: usize, out: &str, args: &[String]) -> RunDir {
        let tmp = self.root.join("tmp");
        std::fs::create_dir_all(&tmp).expect("tmp");
        let run = self.root.join(out);
        let output = Command::new("mpirun")
            .args([
                "--allow-run-as-root",
                "--oversubscribe",
                "-np",
                &ranks.to_string(),
            ])
            .args([
                "-x",
                "RAYON_NUM_THREADS=1",
                "-x",
                &format!("TMPDIR={}", tmp.display()),
            ])
            .arg(&self.xtask)
            .args(["train", "--distributed", "mpi", "--out"])
            .arg(&run)
            .args(args)
            .output()
            .expect("run mpirun");
        assert!(
            output.status.success(),
            "{ranks}-rank run failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let leftovers: Vec<_> = std::fs::read_dir(&tmp)
            .expect("tmp")
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("classic-cnn-rank")
            })
            .collect();
        assert!(
            leftovers.is_empty(),
            "temporary rank folders left: {leftovers:?}"
        );
        RunDir::new(run)
    }
}

fn last(run: &RunDir) -> Vec<f32> {
    run_weights(run, &run.file("last.bpk")).expect("last.bpk")
}

#[test]
fn two_ranks_match_one_rank_with_the_combined_batch() {
    if !mpirun_available() {
        assert!(
            !required(),
            "CI_REQUIRE_MPI=1 but mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev libclang-dev)"
        );
        eprintln!(
            "mpirun not found: the MPI tests did not run (set CI_REQUIRE_MPI=1 to require them)"
        );
        return;
    }
    let root = std::env::temp_dir().join(format!("cnn-mpi-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    write_data(&root.join("data"));
    let xtask = match build_with_mpi() {
        Ok(xtask) => xtask,
        Err(why) if !required() => {
            eprintln!("{why}\nthe MPI tests did not run (set CI_REQUIRE_MPI=1 to require them)");
            return;
        }
        Err(why) => panic!("CI_REQUIRE_MPI=1: {why}"),
    };
    let job = Job {
        xtask,
        root: root.clone(),
    };
    let one = job.train(1, "one", &job.fresh(2));
    let two = job.train(2, "two", &job.fresh(2));
    let (a, b) = (last(&one), last(&two));
    let diff = max_abs_difference(&a, &b);
    eprintln!(
        "max |w(2 ranks) − w(1 rank)| after 6 steps: {diff:e} over {} weights",
        a.len()
    );
    assert!(diff < 1e-5, "2 ranks differ from 1 rank by {diff}");

    // One complete run folder, written by rank 0 alone.
    runs::assert_run_files(two.path());
    assert_eq!(two.complete_epochs(), vec![1, 2]);
    let runs: Vec<_> = std::fs::read_dir(&root)
        .expect("root")
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!(
        runs.len(),
        5,
        "data, experiment.json, tmp, one, two: {runs:?}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(two.summary_file()).expect("summary"))
            .expect("json");
    assert_eq!(summary["epochs"], 2);

    // Stopped after epoch 1, resumed by two ranks from the same checkpoint.
    let part = job.train(2, "part", &job.fresh(1));
    job.train(
        2,
        "part",
        &["--resume".into(), "--epochs".into(), "2".into()],
    );
    let resumed = max_abs_difference(&b, &last(&part));
    eprintln!("max |w(resumed) − w(uninterrupted)|: {resumed:e}");
    assert!(
        resumed < 1e-6,
        "the resumed 2-rank run differs by {resumed}"
    );
    let _ = std::fs::remove_dir_all(&root);
}
