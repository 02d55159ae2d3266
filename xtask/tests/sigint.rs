//! Ctrl-C: a real `xtask train` child (ResNet-20, batch norm, on the crash tests' IDX set) gets SIGINT in the
//! middle of epoch 2. It must stop by itself within seconds, exit non-zero (the run is not
//! finished) with a message saying how to resume, leave the checkpoint of epoch 1 complete and no
//! temporary file; `--resume` then ends with every epoch once in `metrics.csv` and the same
//! metrics, bit for bit, as the uninterrupted run with the same seed.

mod harness;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use harness::{
    EPOCHS, finish, has_file, metrics, prepare, reference, summary_scores, third_of_epoch_two,
    train, wait_for,
};

#[test]
fn ctrl_c_stops_after_a_consistent_checkpoint_and_resume_finishes_the_same_run() {
    let (tmp, config) = prepare("resnet20");
    let (root, config) = (tmp.path(), config.as_str());
    let (want, want_scores) = reference(root, config);

    let run = root.join("run");
    let out = run.to_str().expect("utf-8 path");
    let mut child = train(&["--config", config, "--out", out])
        .spawn()
        .expect("spawn");
    assert!(
        wait_for(&mut child, &run.join("checkpoint/scheduler-1.bpk")),
        "the run ended before epoch 1's checkpoint"
    );
    // A third of the reference's epoch 2: Ctrl-C in the middle of it.
    std::thread::sleep(third_of_epoch_two(&root.join("reference")));
    let sent = Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let output = child.wait_with_output().expect("wait");
    let stopped_in = sent.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stopped_in < Duration::from_secs(30), "{stopped_in:?}");
    for line in [
        "Ctrl-C: stopping after this batch".to_string(),
        format!("cargo xtask train --resume --out {out}"),
        "interrupted".to_string(),
    ] {
        assert!(stderr.contains(&line), "missing `{line}`:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    let kept = train::RunDir::open(&run).expect("run").complete_epochs();
    assert!(!kept.is_empty() && kept.len() < EPOCHS, "kept {kept:?}");
    let last = *kept.last().expect("an epoch");
    train::checkpoint::check_resumable(&run.join("checkpoint"), last).expect("consistent");
    assert!(
        !has_file(&run.join("checkpoint"), ".tmp-"),
        "temporary file left"
    );

    finish(
        train(&["--resume", "--out", out]).stdin(Stdio::null()),
        "the resumed run",
    );
    let got = metrics(&run);
    assert_eq!(got, want, "metrics.csv differs from the uninterrupted run");
    let scores = summary_scores(&run);
    assert_eq!(scores.0.to_bits(), want_scores.0.to_bits(), "{scores:?}");
    assert_eq!(scores.1.to_bits(), want_scores.1.to_bits(), "{scores:?}");
    println!(
        "| SIGINT mid-epoch {} (epoch {last} checkpointed) | stopped by itself in {:.2} s, exit 1 | {last} | 1 (partial) | {:.4} (loss {:.6} vs {:.6}) | yes |",
        last + 1,
        stopped_in.as_secs_f64(),
        scores.0,
        scores.1,
        want_scores.1
    );
}
