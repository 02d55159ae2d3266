//! `cargo xtask train`: the project's main job. With no arguments it trains LeNet-5 on MNIST on the
//! CPU (fetching MNIST first if needed); `--task segment` trains a segmentation net (default U-Net on
//! the derived digits-seg set); a JSON experiment file and flags change anything. The flags are
//! `train::Overrides`, merged with the file by `ExperimentConfig::apply` (and, for `--resume`,
//! checked against the saved run by `ExperimentConfig::resumed`). `--devices` and `--distributed`
//! spread the run over devices or MPI ranks (`train::distributed`).

use std::path::PathBuf;

use anyhow::Context;
use model::backend::BackendKind;
use train::distributed::{Parallel, train_distributed};
use train::run_dir::plan_run;
use train::{ExperimentConfig, Overrides, RunOptions};

/// Arguments of `cargo xtask train`.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Experiment file (JSON); flags override its values. Examples in `configs/`.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Run folder (default runs/<model>-<dataset>, numbered when taken).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Continue the run in --out (or the default folder) from its last checkpoint, with its saved
    /// config.json; only --epochs (the new total), --backend, --num-workers, --test-limit and
    /// --early-stop may change it.
    #[arg(long)]
    resume: bool,
    #[command(flatten)]
    overrides: Overrides,
    #[command(flatten)]
    parallel: train::distributed::ParallelArgs,
}

pub fn run(args: TrainArgs) -> anyhow::Result<()> {
    if args.resume && args.config.is_some() {
        anyhow::bail!(
            "--config cannot be combined with --resume: a resumed run continues its own config.json"
        );
    }
    let file = match &args.config {
        Some(path) => Some(ExperimentConfig::load(path)?),
        None => None,
    };
    // For --resume this only names the default folder; the plan holds the saved experiment.
    let config = ExperimentConfig::from_overrides(file, &args.overrides)?;
    let opts = RunOptions {
        out: args.out,
        resume: args.resume,
        overrides: args.overrides,
    };
    let parallel = args.parallel.parallel()?;
    let mpi = parallel == Parallel::Mpi;
    let wgpu = (if mpi {
        config.backend
    } else {
        plan_run(config.clone(), &opts)?.config.backend
    }) == BackendKind::Wgpu;
    let missing: Vec<&str> = [
        (wgpu, cfg!(feature = "wgpu"), "wgpu"),
        (mpi, cfg!(feature = "mpi"), "mpi"),
    ]
    .into_iter()
    .filter(|(wanted, built, _)| *wanted && !*built)
    .map(|(_, _, name)| name)
    .collect();
    if !missing.is_empty() {
        return crate::wgpu_rebuild::rerun_with_features(&missing);
    }
    let summary = train_distributed(config, &opts, parallel).context("training failed")?;
    println!("\ndone: {}", summary.headline());
    println!("run folder: {}", summary.run_dir);
    Ok(())
}
