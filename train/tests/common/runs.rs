#![allow(dead_code)] // each test binary that includes this file uses part of it
//! Helpers of the tests that train: one run at a time, a fresh temporary folder, the options of a
//! new or resumed run, and the files every finished run holds.

use std::path::{Path, PathBuf};

use train::{Overrides, RunOptions};

/// Burn seeds a device's random generator per process, so runs that overlap in time draw from one
/// stream; the tests of a binary train one at a time (a real run is alone in its process).
pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// An empty (absent) temporary folder named after `name` and the process.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cnn-run-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A test's scratch folder, held for the test's length with the one-run-at-a-time lock: `data/`
/// (written by the test's generator), `run/` for the run; removed when dropped.
pub struct Scratch {
    _guard: std::sync::MutexGuard<'static, ()>,
    /// The scratch folder.
    pub root: PathBuf,
    /// `root/data`, written by `make_data`.
    pub data: PathBuf,
    /// `root/run`, absent.
    pub run: PathBuf,
}

impl Scratch {
    /// Takes the lock, empties the folder named after `name` and writes its `data/` with `make_data`.
    pub fn new(name: &str, make_data: impl FnOnce(&Path)) -> Self {
        let guard = one_at_a_time();
        let root = fresh_dir(name);
        make_data(&root.join("data"));
        Scratch {
            _guard: guard,
            data: root.join("data"),
            run: root.join("run"),
            root,
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A new run in `dir`.
pub fn new_run(dir: &Path) -> RunOptions {
    RunOptions {
        out: Some(dir.to_path_buf()),
        ..Default::default()
    }
}

/// Resume the run in `dir` with the flags `overrides`.
pub fn resume(dir: &Path, overrides: Overrides) -> RunOptions {
    RunOptions {
        out: Some(dir.to_path_buf()),
        resume: true,
        overrides,
    }
}

/// The files every finished run holds, whatever its task.
pub fn assert_run_files(dir: &Path) {
    for file in [
        "config.json",
        "model.json",
        "preprocessing.json",
        "metrics.csv",
        "curves.png",
        "confusion.png",
        "summary.json",
        "best.bpk",
        "last.bpk",
    ] {
        assert!(dir.join(file).is_file(), "missing {file}");
    }
}
