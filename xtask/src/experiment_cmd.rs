//! `cargo xtask experiment NAME|all`: one of the lecture's claims as a controlled comparison
//! (`train::lab`): trains the variants under identical conditions, draws them and writes
//! `runs/experiments/NAME/report.html` with conclusions computed from the run. `all` runs every
//! implemented experiment and writes `runs/experiments/index.html`; a name that is not
//! implemented yet is refused with the list of those that are.

use std::path::PathBuf;

use anyhow::Context;
use model::backend::BackendKind;
use train::lab::{ExperimentName, LabOptions};

/// Arguments of `cargo xtask experiment`.
#[derive(clap::Args, Debug)]
pub struct ExperimentArgs {
    /// The experiment (init, activations, batch-norm, dropout, regularization, lr-schedules,
    /// learning-rate, optimizers, filters, …) or `all`.
    name: String,
    /// Dataset (mnist, fashion-mnist, mnist:DIR, …); default: the experiment's own.
    #[arg(long)]
    dataset: Option<String>,
    /// Epochs of every variant; default: the experiment's own.
    #[arg(long)]
    epochs: Option<usize>,
    /// Seed of the data subset, the weights and the batch order.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// flex | ndarray | wgpu
    #[arg(long, default_value = "flex")]
    backend: String,
    /// Seconds instead of minutes: smaller subsets and budgets.
    #[arg(long)]
    quick: bool,
    /// Folder receiving NAME/ (default runs/experiments).
    #[arg(long, default_value = "runs/experiments")]
    out: PathBuf,
    /// `filters` only: study this trained run folder (its best.bpk) instead of training
    /// alexnet_small.
    #[arg(long)]
    run: Option<PathBuf>,
}

pub fn run(args: ExperimentArgs) -> anyhow::Result<()> {
    let backend: BackendKind = args.backend.parse()?;
    let opts = LabOptions {
        dataset: args.dataset,
        epochs: args.epochs,
        seed: args.seed,
        backend,
        quick: args.quick,
        out: args.out,
        cache: data::default_cache_dir(),
        run: args.run,
    };
    if args.name == "all" {
        let (index, outcomes) = train::lab::run_all(&opts)?;
        let mut failed = 0;
        for (name, outcome) in &outcomes {
            match outcome {
                Ok(r) => println!("{name}: {:.0} s; {}", r.seconds, r.conclusions.join(" ")),
                Err(e @ train::lab::LabError::NotImplemented(_)) => println!("{name}: {e}"),
                Err(e) => {
                    failed += 1;
                    println!("{name}: FAILED: {e}");
                }
            }
        }
        println!("index: {}", index.display());
        if failed > 0 {
            anyhow::bail!("{failed} experiment(s) failed");
        }
        return Ok(());
    }
    let name: ExperimentName = args.name.parse()?;
    let report =
        train::lab::run(name, &opts).with_context(|| format!("experiment {}", name.name()))?;
    for line in &report.conclusions {
        println!("- {line}");
    }
    println!(
        "{} ({:.1} s)",
        opts.out.join(name.name()).join("report.html").display(),
        report.seconds
    );
    Ok(())
}
