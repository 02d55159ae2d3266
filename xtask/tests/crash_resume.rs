//! Crash tests: a real `xtask train` child process (ResNet-20, batch norm, on a small IDX set the
//! test writes) is killed with SIGKILL at chosen moments, then `--resume`d. Each resumed run must
//! complete, `metrics.csv` must hold every epoch once and equal (loss, accuracies, learning rate:
//! every column but the timings) the uninterrupted run with the same seed, and the test accuracy
//! and loss in `summary.json` must be the same: on the CPU with one loader thread, bit-identical.
//!
//! The table printed at the end (`--nocapture`) is the one quoted in the README.

mod harness;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use harness::{
    EPOCHS, finish, has_file, metrics, prepare, summary_scores, third_of_epoch_two, train,
};

/// Waits (polling every 200 µs, at most 300 s) until `moment` holds or the child exits; kills it
/// with SIGKILL when the moment came. Returns whether it was killed.
fn kill_when(child: &mut Child, moment: &dyn Fn() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(300) {
        if moment() {
            let _ = child.kill();
            let _ = child.wait();
            return true;
        }
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}

#[test]
fn runs_killed_at_any_moment_resume_to_the_uninterrupted_result() {
    let (tmp, config) = prepare("resnet20");
    let (root, config) = (tmp.path(), config.as_str());

    let reference = root.join("reference");
    let started = Instant::now();
    finish(
        train(&[
            "--config",
            config,
            "--out",
            reference.to_str().expect("path"),
        ])
        .stdin(Stdio::null()),
        "the uninterrupted run",
    );
    let reference_secs = started.elapsed().as_secs_f64();
    let want = metrics(&reference);
    assert_eq!(want.len(), 2 * EPOCHS, "{want:?}");
    let want_scores = summary_scores(&reference);
    // A third of the reference's second training epoch: "mid-epoch" after epoch 1's checkpoint.
    let half_epoch = third_of_epoch_two(&reference);

    type Moment = Box<dyn Fn(&Path) -> bool>;
    let moments: Vec<(&str, Moment)> = vec![
        (
            "mid-epoch 2 (epoch 1 checkpointed, epoch 2 under way)",
            Box::new(move |run: &Path| {
                let ckpt = run.join("checkpoint");
                ckpt.join("scheduler-1.bpk").is_file() && {
                    std::thread::sleep(half_epoch);
                    true
                }
            }),
        ),
        (
            "while a checkpoint is written (its temporary file seen)",
            Box::new(|run: &Path| has_file(&run.join("checkpoint"), ".tmp-")),
        ),
        (
            "during the test evaluation (best.bpk written, no summary)",
            Box::new(|run: &Path| run.join("best.bpk").is_file()),
        ),
        (
            "while the pictures are drawn (a .png appears)",
            Box::new(|run: &Path| has_file(run, ".png")),
        ),
    ];
    let mut table = vec![format!(
        "| moment killed | killed | epochs checkpointed at the kill | epochs retrained | final test accuracy (uninterrupted {:.4}) | metrics.csv bit-identical |",
        want_scores.0
    )];
    let mut failures = Vec::new();
    for (k, (label, moment)) in moments.iter().enumerate() {
        let run = root.join(format!("run{k}"));
        let run_s = run.to_str().expect("path");
        let mut child = train(&["--config", config, "--out", run_s])
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let killed = kill_when(&mut child, &|| moment(&run));
        let done_at_kill = train::RunDir::open(&run)
            .map(|d| d.complete_epochs().last().copied().unwrap_or(0))
            .unwrap_or(0);
        let finished_anyway = run.join("summary.json").is_file();
        if !finished_anyway {
            finish(
                train(&["--resume", "--out", run_s]).stdin(Stdio::null()),
                label,
            );
        }
        let got = metrics(&run);
        let epochs: Vec<usize> = got.iter().filter(|r| r.1 == "train").map(|r| r.0).collect();
        let mut problems = Vec::new();
        if epochs != (1..=EPOCHS).collect::<Vec<_>>() {
            problems.push(format!("epochs {epochs:?}"));
        }
        for epoch in train::RunDir::open(&run).expect("run").complete_epochs() {
            let model = run.join(format!("checkpoint/model-{epoch}.bpk"));
            if std::fs::metadata(&model).map(|m| m.len()).unwrap_or(0) == 0 {
                problems.push(format!("empty {}", model.display()));
            }
        }
        if has_file(&run.join("checkpoint"), ".tmp-") {
            problems.push("temporary file left".into());
        }
        let identical = got == want;
        if !identical {
            let differ: Vec<String> = got
                .iter()
                .zip(&want)
                .filter(|(a, b)| a != b)
                .map(|(a, _)| format!("{} {}", a.1, a.0))
                .collect();
            problems.push(format!("metrics.csv rows differ: {differ:?}"));
        }
        let scores = summary_scores(&run);
        if scores.0.to_bits() != want_scores.0.to_bits()
            || scores.1.to_bits() != want_scores.1.to_bits()
        {
            problems.push(format!(
                "test (accuracy, loss) {scores:?} vs {want_scores:?}"
            ));
        }
        table.push(format!(
            "| {label} | {} | {done_at_kill} | {} | {:.4} (loss {:.6} vs {:.6}) | {} |",
            if killed {
                "yes"
            } else {
                "no (the run ended first)"
            },
            if killed && done_at_kill < EPOCHS {
                1
            } else {
                0
            },
            scores.0,
            scores.1,
            want_scores.1,
            if identical { "yes" } else { "no" }
        ));
        if !problems.is_empty() {
            failures.push(format!("{label}: {}", problems.join("; ")));
        }
    }
    println!(
        "uninterrupted run: {reference_secs:.1} s\n{}",
        table.join("\n")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
