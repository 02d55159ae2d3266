//! `--backend wgpu` from a build without the `wgpu` feature: rebuild and rerun this same command
//! with the feature on (`cargo run --release -p xtask --features wgpu -- …`), instead of making every
//! build and test compile the GPU stack.

use std::process::Command;

pub fn rerun_with_wgpu() -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let args: Vec<String> = std::env::args().skip(1).collect();
    eprintln!(
        "the wgpu backend is not compiled into this build: rebuilding xtask with `--features wgpu` (the first time takes a while)"
    );
    let status = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "xtask",
            "--features",
            "wgpu",
            "--",
        ])
        .args(&args)
        .status()?;
    if !status.success() {
        anyhow::bail!("the wgpu build of xtask exited with {status}");
    }
    Ok(())
}
