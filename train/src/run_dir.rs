//! The run folder: choosing it, refusing to overwrite a run, and finding where to resume.
//!
//! ```text
//! runs/<model>-<dataset>[-N]/
//!   config.json         the experiment (read back by --resume)
//!   model.json          the network's config (read by `infer`)
//!   preprocessing.json  input format, normalisation statistics, class names
//!   checkpoint/         {model,optim,scheduler}-<epoch>.bpk, written atomically every epoch
//!   best.bpk            the model of the epoch with the best validation accuracy
//!   last.bpk            the model after the last epoch
//!   metrics.csv         epoch,split,loss,top1,top5,lr,seconds,images_per_s
//!   curves.png          loss, accuracy and learning rate against the epoch
//!   summary.json        test accuracy of the best model, wall time, backend …
//! ```

use std::path::{Path, PathBuf};

use crate::checkpoint::complete_epochs;
use crate::error::TrainError;
use crate::experiment::ExperimentConfig;

/// How to use the run folder.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The run folder (default `runs/<model>-<dataset>`, with `-2`, `-3` … appended when taken).
    pub out: Option<PathBuf>,
    /// Continue the run in `out` from its last complete checkpoint.
    pub resume: bool,
    /// With `resume`: train up to this many epochs in total instead of the saved number.
    pub epochs: Option<usize>,
}

/// Where a run happens and from which epoch.
#[derive(Debug, Clone)]
pub struct RunPlan {
    /// The run folder.
    pub dir: PathBuf,
    /// The experiment (the saved one when resuming).
    pub config: ExperimentConfig,
    /// Epochs already complete (0 for a fresh run).
    pub start_epoch: usize,
}

/// Files of a run folder.
pub fn config_path(dir: &Path) -> PathBuf {
    dir.join("config.json")
}

/// The checkpoint folder of a run.
pub fn checkpoint_dir(dir: &Path) -> PathBuf {
    dir.join("checkpoint")
}

fn unique_dir(base: &Path) -> PathBuf {
    if !base.exists() {
        return base.to_path_buf();
    }
    let name = base
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (2..)
        .map(|k| base.with_file_name(format!("{name}-{k}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| base.to_path_buf())
}

/// Decide the folder, the config and the starting epoch of a run.
pub fn plan_run(config: ExperimentConfig, opts: &RunOptions) -> Result<RunPlan, TrainError> {
    let default_dir = || PathBuf::from("runs").join(config.default_run_name());
    if opts.resume {
        let dir = opts.out.clone().unwrap_or_else(default_dir);
        let path = config_path(&dir);
        if !path.is_file() {
            return Err(TrainError::RunFolder {
                path: dir,
                problem: "nothing to resume: it has no config.json".into(),
            });
        }
        let mut saved = ExperimentConfig::load(&path)?;
        if let Some(epochs) = opts.epochs {
            saved.epochs = epochs;
        }
        let start_epoch = complete_epochs(&checkpoint_dir(&dir))
            .last()
            .copied()
            .unwrap_or(0);
        if start_epoch >= saved.epochs {
            return Err(TrainError::RunFolder {
                path: dir,
                problem: format!(
                    "already trained {start_epoch} of {} epochs; pass --epochs N with N > {start_epoch} to train further",
                    saved.epochs
                ),
            });
        }
        return Ok(RunPlan {
            dir,
            config: saved,
            start_epoch,
        });
    }
    let dir = match &opts.out {
        Some(dir) if config_path(dir).exists() => {
            return Err(TrainError::RunFolder {
                path: dir.clone(),
                problem:
                    "it already holds a run; pass --resume to continue it or choose another --out"
                        .into(),
            });
        }
        Some(dir) => dir.clone(),
        None => unique_dir(&default_dir()),
    };
    Ok(RunPlan {
        dir,
        config,
        start_epoch: 0,
    })
}
