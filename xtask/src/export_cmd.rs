//! `cargo xtask export --run RUN --format safetensors|pth --out FILE`: a run's weights as a
//! torchvision state dict (torchvision's key names, linear weights `[out, in]`, batch-norm
//! counters included), which `torchvision.models.NAME().load_state_dict(...)` takes as it is.

use std::path::PathBuf;

use anyhow::Context;
use model::NetworkConfig;
use model::interop::{self, Format};
use train::RunDir;
use train::run_dir::CheckpointChoice;

/// Arguments of `cargo xtask export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Run folder (trained here or imported).
    #[arg(long)]
    run: PathBuf,
    /// safetensors | pth (default: by the extension of --out).
    #[arg(long)]
    format: Option<Format>,
    /// The file to write.
    #[arg(long)]
    out: PathBuf,
    /// Weights: best, last, or an epoch number.
    #[arg(long, default_value = "best")]
    checkpoint: CheckpointChoice,
}

pub fn run(args: ExportArgs) -> anyhow::Result<()> {
    let run = RunDir::open(&args.run)?;
    let model = run.config()?.model;
    let (config, _, weights): (NetworkConfig, _, _) = run.trained(args.checkpoint)?;
    let device = burn::tensor::Device::flex();
    let network = train::load::load_network(&config, &weights, &device)?;
    interop::export(&network, &model, &config, &args.out, args.format)
        .with_context(|| format!("cannot export {}", weights.display()))?;
    println!(
        "wrote {} ({model}, torchvision keys) from {}",
        args.out.display(),
        weights.display()
    );
    Ok(())
}
