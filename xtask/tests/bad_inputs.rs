//! The bad-input corpus: every case runs the real `xtask train` (or `xtask evaluate`) binary on a bad
//! dataset, config or run folder the test writes, and must exit non-zero with a message that names
//! the file and says what is wrong, without a panic and without leaving a partial run folder.
//!
//! Cases live in `corpus/` (datasets and configs) and `corpus_runs.rs` (run folders).

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "corpus/configs.rs"]
mod configs;
#[path = "corpus/datasets.rs"]
mod datasets;
#[path = "corpus/runs.rs"]
mod runs;
#[path = "corpus/skip_bad.rs"]
mod skip_bad;

/// One bad input: what to run and what the message must contain (`{DIR}` = the case's folder).
pub struct Case {
    /// A short name, also the case's folder.
    pub name: &'static str,
    /// Arguments after `xtask`.
    pub args: Vec<String>,
    /// Substrings the error must contain.
    pub want: Vec<String>,
}

/// What a case produced.
pub struct Outcome {
    pub code: Option<i32>,
    pub stderr: String,
}

pub fn xtask(args: &[String], cwd: &Path) -> Outcome {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(cwd)
        .env("CNN_DATA_DIR", cwd.join("no-cache"))
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run xtask");
    Outcome {
        code: out.status.code(),
        stderr: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// Arguments of a one-epoch LeNet-5 run on `dataset`, into `dir/run`.
pub fn train_args(dir: &Path, dataset: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "train",
        "--dataset",
        dataset,
        "--epochs",
        "1",
        "--batch-size",
        "4",
        "--input-size",
        "28",
        "--out",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(dir.join("run").display().to_string());
    // A flag given in `extra` replaces the default pair.
    for flag in extra.iter().filter(|f| f.starts_with("--")) {
        if let Some(i) = args.iter().position(|a| a == flag) {
            args.drain(i..i + 2);
        }
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

pub fn p(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn every_bad_input_is_named_refused_and_leaves_no_run_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    let mut cases = Vec::new();
    cases.extend(datasets::cases(root));
    cases.extend(configs::cases(root));
    cases.extend(runs::cases(root));
    cases.extend(skip_bad::cases(root));
    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for case in &cases {
        let dir = root.join(case.name);
        let before_run = dir.join("run").exists();
        let out = xtask(&case.args, &dir);
        let want: Vec<String> = case
            .want
            .iter()
            .map(|w| w.replace("{DIR}", &p(&dir)))
            .collect();
        let mut problems = Vec::new();
        if out.code == Some(0) || out.code.is_none() {
            problems.push(format!("exit {:?}", out.code));
        }
        if out.stderr.contains("panicked") {
            problems.push("panicked".into());
        }
        for w in &want {
            if !out.stderr.contains(w.as_str()) {
                problems.push(format!("missing `{w}`"));
            }
        }
        if !before_run && dir.join("run").exists() {
            problems.push("left a run folder".into());
        }
        if std::env::var_os("CORPUS_PRINT").is_some() {
            let line = out
                .stderr
                .lines()
                .rev()
                .find(|l| l.contains(&p(&dir)) || l.contains("error"));
            println!(
                "{}: exit {:?}: {}",
                case.name,
                out.code,
                line.unwrap_or("").trim()
            );
        }
        let kind = case.args.first().map(String::as_str).unwrap_or("?");
        *counts.entry(kind).or_default() += 1;
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n{}",
                case.name,
                problems.join(", "),
                out.stderr
            ));
        }
    }
    println!("{} cases, by command: {counts:?}", cases.len());
    assert!(cases.len() >= 40, "{} cases", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Makes `root/name` and returns it.
pub fn case_dir(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).expect("case dir");
    dir
}
