//! What the crash tests share: a small IDX set, an experiment config, the `xtask train` child
//! process and readers of a finished run's `metrics.csv` and `summary.json`.
#![allow(dead_code)] // each test crate uses a part of it

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use data::idx::encode_idx;
use train::metrics_csv::MetricsTable;

/// Epochs of every crash-test run.
pub const EPOCHS: usize = 3;

/// `dir/{train,t10k}-{images-idx3,labels-idx1}-ubyte`: 28×28 grey, two classes (dark/light with a
/// pattern), 192 training and 16 test images.
pub fn write_idx(dir: &Path) {
    for (split, n) in [("train", 192usize), ("t10k", 16)] {
        let mut pixels = Vec::with_capacity(n * 784);
        let mut labels = Vec::with_capacity(n);
        for i in 0..n {
            let class = (i % 2) as u8;
            let base = if class == 0 { 40u32 } else { 180 };
            pixels.extend((0..784u32).map(|p| (base + (p * 7 + i as u32 * 13) % 60) as u8));
            labels.push(class);
        }
        write_idx_split(dir, split, &pixels, &labels);
    }
}

/// `dir/{split}-images-idx3-ubyte` and `dir/{split}-labels-idx1-ubyte`: `labels.len()` 28×28
/// images (`pixels`, image after image) and their labels.
pub fn write_idx_split(dir: &Path, split: &str, pixels: &[u8], labels: &[u8]) {
    let n = labels.len();
    let write = |kind: &str, bytes: Vec<u8>| {
        std::fs::write(dir.join(format!("{split}-{kind}-ubyte")), bytes).expect("idx file");
    };
    write("images-idx3", encode_idx(&[n, 28, 28], pixels));
    write("labels-idx1", encode_idx(&[n], labels));
}

/// `root/experiment.json`: `model` on the IDX set in `root/data`, seed 5, one loader thread.
pub fn write_config(root: &Path, model: &str) -> PathBuf {
    let config = root.join("experiment.json");
    let json = format!(
        r#"{{ "model": "{model}", "dataset": "idx:{}", "input_size": 28, "channels": 1,
            "augment": "none", "batch_size": 12, "epochs": {EPOCHS}, "seed": 5,
            "valid_fraction": 0.25, "num_workers": 1 }}"#,
        root.join("data").display()
    );
    std::fs::write(&config, json).expect("config");
    config
}

/// `xtask train ARGS`, stdout discarded, stderr piped.
pub fn train(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.arg("train")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `cmd` to its end; panics with its stderr unless it succeeds.
pub fn finish(cmd: &mut Command, what: &str) {
    let out = cmd.output().expect("run xtask");
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A `metrics.csv` row without its timings: (epoch, split, and the bits of loss, top-1, top-5, lr).
pub type Row = (usize, String, u64, u64, u64, u64);

/// The columns that must not depend on an interruption: all but the timings.
pub fn metrics(run: &Path) -> Vec<Row> {
    let table = MetricsTable::load(&run.join("metrics.csv")).expect("metrics.csv");
    table
        .rows
        .iter()
        .map(|r| {
            let bits = |x: f64| x.to_bits();
            (
                r.epoch,
                r.split.clone(),
                bits(r.loss),
                bits(r.top1),
                bits(r.top5),
                bits(r.lr),
            )
        })
        .collect()
}

/// (test accuracy, test loss) of `summary.json`.
pub fn summary_scores(run: &Path) -> (f64, f64) {
    let text = std::fs::read_to_string(run.join("summary.json")).expect("summary.json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let find = |key: &str| -> f64 {
        fn walk(v: &serde_json::Value, key: &str) -> Option<f64> {
            match v {
                serde_json::Value::Object(m) => m
                    .get(key)
                    .and_then(|x| x.as_f64())
                    .or_else(|| m.values().find_map(|x| walk(x, key))),
                _ => None,
            }
        }
        walk(&v, key).unwrap_or(f64::NAN)
    };
    (find("test_accuracy"), find("test_loss"))
}

/// Whether any file in `dir` (not recursive) has a name containing `part`.
pub fn has_file(dir: &Path, part: &str) -> bool {
    std::fs::read_dir(dir)
        .map(|it| {
            it.filter_map(|e| e.ok())
                .any(|e| e.file_name().to_string_lossy().contains(part))
        })
        .unwrap_or(false)
}

/// The uninterrupted run of `config` into `root/reference`: its metrics and test scores.
pub fn reference(root: &Path, config: &str) -> (Vec<Row>, (f64, f64)) {
    let run = root.join("reference");
    let out = run.to_str().expect("utf-8 path");
    finish(
        train(&["--config", config, "--out", out]).stdin(Stdio::null()),
        "the uninterrupted run",
    );
    let rows = metrics(&run);
    assert_eq!(rows.len(), 2 * EPOCHS, "{rows:?}");
    (rows, summary_scores(&run))
}

/// Waits (at most 300 s) until `file` exists; false when `child` ended first.
pub fn wait_for(child: &mut std::process::Child, file: &Path) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(300) {
        if file.exists() {
            return true;
        }
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    false
}

/// A temporary folder holding the IDX set (`data/`) and `experiment.json` of `model`, and that
/// config's path.
pub fn prepare(model: &str) -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    std::fs::create_dir_all(root.join("data")).expect("mkdir");
    write_idx(&root.join("data"));
    let config = write_config(root, model);
    let config = config.to_str().expect("utf-8 path").to_string();
    (tmp, config)
}

/// A third of epoch 2's training time in the run `run`: a moment "mid-epoch" after epoch 1's
/// checkpoint.
pub fn third_of_epoch_two(run: &Path) -> std::time::Duration {
    MetricsTable::load(&run.join("metrics.csv"))
        .expect("metrics")
        .split("train")
        .find(|r| r.epoch == 2)
        .map(|r| std::time::Duration::from_secs_f64(r.seconds / 3.0))
        .expect("epoch 2")
}
