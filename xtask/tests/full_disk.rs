//! A full disk: a real `xtask train` child (ResNet-20, batch norm, on the crash tests' IDX set) writes its run
//! folder on a tmpfs too small for a second epoch's checkpoint. The run must fail with a message
//! naming the checkpoint it did not write and "no space left on device", without a panic, and keep
//! the checkpoint of the last complete epoch loadable; once there is room (the tmpfs remounted
//! larger), `--resume` ends with the metrics of the uninterrupted run, bit for bit.
//!
//! Needs `mount -t tmpfs` (root, as in the project's CI container); elsewhere the test says it
//! cannot mount and checks nothing.

mod harness;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use harness::{finish, metrics, prepare, reference, summary_scores, train};

/// A tmpfs mounted at `dir`, unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, bytes: u64) -> Option<Self> {
        std::fs::create_dir_all(dir).expect("mkdir");
        let size = format!("size={}k", bytes.div_ceil(1024));
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &size, "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self(dir.to_path_buf()))
    }

    fn grow(&self, bytes: u64) {
        let opts = format!("remount,size={}k", bytes.div_ceil(1024));
        let status = Command::new("mount")
            .args(["-o", &opts])
            .arg(&self.0)
            .status();
        assert!(status.is_ok_and(|s| s.success()), "remount");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Bytes of the files of `dir` whose names end with `-1.bpk` (one epoch's checkpoint).
fn epoch_one_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("checkpoint dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with("-1.bpk"))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

#[test]
fn a_full_disk_fails_naming_the_file_and_keeps_the_last_checkpoint() {
    let (tmp, config) = prepare("resnet20");
    let (root, config) = (tmp.path(), config.as_str());
    let (want, want_scores) = reference(root, config);
    // Room for epoch 1's checkpoint, the reserve kept free, the small files and a quarter of
    // another checkpoint.
    let one = epoch_one_bytes(&root.join("reference/checkpoint"));
    let size = one * 5 / 4 + train::disk_space::RESERVE + 96 * 1024;
    let Some(disk) = Tmpfs::mount(&root.join("disk"), size) else {
        println!("full disk: cannot mount a tmpfs here (needs root); nothing checked");
        return;
    };
    let run = disk.0.join("run");
    let out = run.to_str().expect("utf-8 path");
    let output = train(&["--config", config, "--out", out])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the run succeeded on a full disk");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("no space left on device"), "{stderr}");
    assert!(
        stderr.contains(&format!("{out}/")),
        "no file named:\n{stderr}"
    );
    let line = stderr
        .lines()
        .rev()
        .find(|l| l.contains("no space left"))
        .unwrap_or_default()
        .trim()
        .to_string();

    if std::env::var_os("FULL_DISK_PRINT").is_some() {
        println!("{stderr}");
    }
    let dir = train::RunDir::open(&run).expect("run folder kept");
    let kept = dir.complete_epochs();
    let last = *kept.last().expect("a complete checkpoint kept");
    train::checkpoint::check_resumable(&dir.checkpoint_dir(), last).expect("loadable");
    let network: model::NetworkConfig = dir.network().expect("model.json");
    let device = burn::tensor::Device::flex();
    train::load::load_network(&network, &dir.checkpoint_file("model", last), &device)
        .expect("the kept model loads");

    disk.grow(64 << 20);
    finish(
        train(&["--resume", "--out", out]).stdin(Stdio::null()),
        "the resumed run",
    );
    assert_eq!(
        metrics(&run),
        want,
        "metrics.csv differs from the uninterrupted run"
    );
    let scores = summary_scores(&run);
    assert_eq!(scores.0.to_bits(), want_scores.0.to_bits(), "{scores:?}");
    println!(
        "| full disk (tmpfs of {} KiB) | failed: {line} | {last} | 1 | {:.4} (loss {:.6} vs {:.6}) | yes |",
        size / 1024,
        scores.0,
        scores.1,
        want_scores.1
    );
}
