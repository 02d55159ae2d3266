//! `--backend wgpu` or `--distributed mpi` from a build without the `wgpu` or `mpi` feature:
//! rebuild and rerun this same command with the features on (`cargo run --release -p xtask
//! --features wgpu,mpi -- …`), instead of making every build and test compile the GPU stack or
//! need MPI.

use std::process::Command;

/// Rerun this command from a build of xtask with `features` (and those this build has) on.
pub fn rerun_with_features(features: &[&str]) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut all: Vec<&str> = features.to_vec();
    for (on, name) in [
        (cfg!(feature = "wgpu"), "wgpu"),
        (cfg!(feature = "mpi"), "mpi"),
    ] {
        if on && !all.contains(&name) {
            all.push(name);
        }
    }
    let list = all.join(",");
    eprintln!(
        "{} not compiled into this build: rebuilding xtask with `--features {list}` (the first time takes a while)",
        features.join(" and ")
    );
    let status = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "xtask",
            "--features",
            &list,
            "--",
        ])
        .args(&args)
        .status()?;
    if !status.success() {
        anyhow::bail!("the `{list}` build of xtask exited with {status}");
    }
    Ok(())
}
