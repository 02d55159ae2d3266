//! `cargo xtask fuzz [TARGET] [--seconds N | --runs N]`: runs the libFuzzer targets (`fuzz/run.sh`:
//! every target, or one, from its committed seeds, one at a time at the lowest CPU priority, 1 s
//! timeout per input, 2 GiB memory limit). Needs the nightly toolchain and `cargo install
//! cargo-fuzz`; a crash, hang or over-large allocation stops it with the input saved under
//! `fuzz/artifacts/TARGET/`.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, bail};

/// The fuzz targets: (name, what it reads).
pub const TARGETS: [(&str, &str); 8] = [
    ("idx", "IDX bytes (data::idx::parse_idx)"),
    ("idx_file", "IDX files, raw or gzip (data::idx::read_idx)"),
    (
        "image",
        "PNG/JPEG/BMP images (data::decode::decode_image_bytes)",
    ),
    (
        "mask_png",
        "segmentation mask PNGs (data::decode::decode_mask_file)",
    ),
    (
        "cifar",
        "CIFAR-10 binary batches (data::cifar::parse_cifar_batch)",
    ),
    (
        "experiment_json",
        "experiment configs (ExperimentConfig::from_json)",
    ),
    (
        "run_files",
        "config.json, model.json, preprocessing.json, metrics.csv of a run",
    ),
    (
        "checkpoint",
        "checkpoint .bpk files (train::load::load_weights)",
    ),
];

#[derive(clap::Args)]
pub struct FuzzArgs {
    /// One target (default: every target in turn).
    target: Option<String>,
    /// Seconds per target.
    #[arg(long, default_value_t = 30, conflicts_with = "runs")]
    seconds: u64,
    /// Executions per target instead of a time limit.
    #[arg(long)]
    runs: Option<u64>,
    /// List the targets and exit.
    #[arg(long)]
    list: bool,
}

pub fn run(args: FuzzArgs) -> anyhow::Result<()> {
    if args.list {
        for (name, what) in TARGETS {
            println!("{name:<16} {what}");
        }
        return Ok(());
    }
    if let Some(t) = &args.target
        && !TARGETS.iter().any(|(name, _)| name == t)
    {
        let names: Vec<&str> = TARGETS.iter().map(|t| t.0).collect();
        bail!(
            "unknown fuzz target `{t}`; the targets are {}",
            names.join(", ")
        );
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/run.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(&script);
    if let Some(runs) = args.runs {
        cmd.args(["--runs", &runs.to_string()]);
    }
    cmd.arg(args.seconds.to_string()).args(args.target);
    let status = cmd
        .status()
        .with_context(|| format!("running {}", script.display()))?;
    if !status.success() {
        bail!(
            "{} failed ({status}); a finding is saved under fuzz/artifacts/",
            script.display()
        );
    }
    Ok(())
}
