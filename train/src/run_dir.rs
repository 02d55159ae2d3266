//! The run folder, owned by one type: [`RunDir`] knows every file name, reads the saved config, the
//! task, the class weights and the chosen weights back, and [`plan_run`] decides where a run
//! happens (a new numbered folder, or a resumed one) and from which epoch. `train`, `evaluate`,
//! `infer` and `export` open runs only through it.
//!
//! ```text
//! runs/<model>-<dataset>[-N]/
//!   config.json         the experiment (read back by --resume, evaluate and infer)
//!   model.json          the network's config
//!   preprocessing.json  input format, normalisation statistics, class names
//!   checkpoint/         {model,optim,scheduler}-<epoch>.bpk, written atomically every epoch
//!   best.bpk            the model of the epoch with the best validation score
//!   last.bpk            the model after the last epoch
//!   metrics.csv         one row per epoch and split
//!   curves.png          loss, score and learning rate against the epoch
//!   confusion.png       the test split's confusion matrix
//!   summary.json        test scores of the best model, wall time, backend …
//!   mistakes.png        the test images classified most confidently wrong
//!   examples.png        segmentation: test images, true and predicted masks
//!   report.html         one self-contained page of all of the above
//! ```

use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::atomic::write_atomic;
use crate::checkpoint::{checkpoint_path, complete_epochs};
use crate::error::TrainError;
use crate::experiment::{ClassWeights, ExperimentConfig, Overrides, Task};

/// A run folder and the names of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunDir {
    path: PathBuf,
}

impl RunDir {
    /// The run folder at `path` (it need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// An existing run folder, or an error saying it is none.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, TrainError> {
        let run = Self::new(path);
        if run.path.is_dir() {
            Ok(run)
        } else {
            Err(TrainError::RunFolder {
                path: run.path,
                problem: "not a run folder (no such directory)".into(),
            })
        }
    }

    /// The folder itself.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A file of the folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// `config.json`.
    pub fn config_file(&self) -> PathBuf {
        self.file("config.json")
    }
    /// `model.json`.
    pub fn model_file(&self) -> PathBuf {
        self.file("model.json")
    }
    /// `preprocessing.json`.
    pub fn preprocessing_file(&self) -> PathBuf {
        self.file("preprocessing.json")
    }
    /// `metrics.csv`.
    pub fn metrics_file(&self) -> PathBuf {
        self.file("metrics.csv")
    }
    /// `summary.json`.
    pub fn summary_file(&self) -> PathBuf {
        self.file("summary.json")
    }
    /// `curves.png`.
    pub fn curves_file(&self) -> PathBuf {
        self.file("curves.png")
    }
    /// `confusion.png`.
    pub fn confusion_file(&self) -> PathBuf {
        self.file("confusion.png")
    }
    /// `mistakes.png`.
    pub fn mistakes_file(&self) -> PathBuf {
        self.file("mistakes.png")
    }
    /// `examples.png`.
    pub fn examples_file(&self) -> PathBuf {
        self.file("examples.png")
    }
    /// `report.html`.
    pub fn report_file(&self) -> PathBuf {
        self.file("report.html")
    }
    /// `checkpoint/`.
    pub fn checkpoint_dir(&self) -> PathBuf {
        self.file("checkpoint")
    }
    /// `checkpoint/<kind>-<epoch>.bpk`, `kind` one of `model`, `optim`, `scheduler`.
    pub fn checkpoint_file(&self, kind: &str, epoch: usize) -> PathBuf {
        checkpoint_path(&self.checkpoint_dir(), kind, epoch)
    }

    /// Removes the temporary files of atomic writes (`<name>.tmp-<pid>-<n>`) that a killed
    /// process left in the folder or in `checkpoint/`; returns how many.
    pub fn remove_stale_temporaries(&self) -> usize {
        let mut removed = 0;
        for dir in [self.path.clone(), self.checkpoint_dir()] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.filter_map(|e| e.ok()) {
                let stale =
                    entry.file_name().to_string_lossy().contains(".tmp-") && entry.path().is_file();
                if stale && std::fs::remove_file(entry.path()).is_ok() {
                    removed += 1;
                }
            }
        }
        removed
    }

    /// The epochs whose three checkpoint files are all present, in order.
    pub fn complete_epochs(&self) -> Vec<usize> {
        complete_epochs(&self.checkpoint_dir())
    }

    /// The saved experiment (older forms included: `period: 0`, `folder:DIR` segmentation runs).
    pub fn config(&self) -> Result<ExperimentConfig, TrainError> {
        ExperimentConfig::load(&self.config_file())
    }

    /// Write `config` as `config.json`, atomically.
    pub fn save_config(&self, config: &ExperimentConfig) -> Result<(), TrainError> {
        write_atomic(&self.config_file(), config.to_json()?.as_bytes())
    }

    /// What the run was trained for (runs older than the `task` field are classification runs).
    pub fn task(&self) -> Result<Task, TrainError> {
        let path = self.config_file();
        let config: serde_json::Value = read_json(&path)?;
        match config.get("task").and_then(|t| t.as_str()) {
            None | Some("classify") => Ok(Task::Classify),
            Some("segment") => Ok(Task::Segment),
            Some(other) => Err(TrainError::RunFile {
                path,
                problem: format!("unknown task `{other}`"),
            }),
        }
    }

    /// The loss weights a segmentation run trained with (none: all 1). Named weights are
    /// resolved to a list when training starts; a run that still names them never trained.
    pub fn class_weights(&self) -> Result<Option<Vec<f32>>, TrainError> {
        match self.config()?.class_weights {
            None => Ok(None),
            Some(ClassWeights::List(w)) => Ok(Some(w)),
            Some(ClassWeights::MedianFrequency) => Err(TrainError::RunFile {
                path: self.config_file(),
                problem: "class_weights \"median-frequency\" were never resolved (the run did not \
                          start training)"
                    .into(),
            }),
        }
    }

    /// The network config in `model.json` (a classification or a segmentation one).
    pub fn network<T: DeserializeOwned>(&self) -> Result<T, TrainError> {
        read_json(&self.model_file())
    }

    /// The preprocessing in `preprocessing.json`.
    pub fn preprocessing(&self) -> Result<data::Preprocessing, TrainError> {
        Ok(data::Preprocessing::load(&self.preprocessing_file())?)
    }

    /// The weights file `choice` names, or an error naming it when it is missing.
    pub fn weights(&self, choice: CheckpointChoice) -> Result<PathBuf, TrainError> {
        choice.existing_path(&self.path)
    }

    /// What a reader of the trained run needs: the network config, the preprocessing and the
    /// weights file `choice` names (each error naming its file).
    pub fn trained<T: DeserializeOwned>(
        &self,
        choice: CheckpointChoice,
    ) -> Result<(T, data::Preprocessing, PathBuf), TrainError> {
        Ok((
            self.network()?,
            self.preprocessing()?,
            self.weights(choice)?,
        ))
    }

    /// Write `value` as pretty JSON to the file `name`, atomically.
    pub fn save_json<T: Serialize>(&self, name: &str, value: &T) -> Result<(), TrainError> {
        let text =
            serde_json::to_string_pretty(value).map_err(|e| TrainError::Config(e.to_string()))?;
        write_atomic(&self.file(name), text.as_bytes())
    }
}

/// Which weights of a run to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckpointChoice {
    /// `best.bpk`: the epoch with the best validation score.
    Best,
    /// `last.bpk`: the model after the last epoch.
    Last,
    /// `checkpoint/model-N.bpk`.
    Epoch(usize),
}

impl FromStr for CheckpointChoice {
    type Err = TrainError;

    fn from_str(s: &str) -> Result<Self, TrainError> {
        match s {
            "best" => Ok(Self::Best),
            "last" => Ok(Self::Last),
            n => n.parse().map(Self::Epoch).map_err(|_| {
                TrainError::Config(format!(
                    "--checkpoint must be best, last or an epoch number, got `{n}`"
                ))
            }),
        }
    }
}

impl CheckpointChoice {
    /// The weights file in `run`.
    pub fn path(&self, run: &Path) -> PathBuf {
        let run = RunDir::new(run);
        match self {
            Self::Best => run.file("best.bpk"),
            Self::Last => run.file("last.bpk"),
            Self::Epoch(n) => run.checkpoint_file("model", *n),
        }
    }

    /// The weights file in `run`, or an error naming it when it is missing.
    pub fn existing_path(&self, run: &Path) -> Result<PathBuf, TrainError> {
        let weights = self.path(run);
        if !weights.is_file() {
            return Err(TrainError::Checkpoint {
                path: weights,
                problem: format!(
                    "no such checkpoint in run {} (train it first, or pick --checkpoint best|last|EPOCH)",
                    run.display()
                ),
            });
        }
        Ok(weights)
    }
}

/// Read the JSON file `path` of a run folder into `T`.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, TrainError> {
    let text = std::fs::read_to_string(path).map_err(|e| TrainError::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| TrainError::RunFile {
        path: path.to_path_buf(),
        problem: format!("not a valid run file: {e}"),
    })
}

/// How to use the run folder.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The run folder (default `runs/<model>-<dataset>`, with `-2`, `-3` … appended when taken).
    pub out: Option<PathBuf>,
    /// Continue the run in `out` from its last complete checkpoint.
    pub resume: bool,
    /// With `resume`: the flags given, applied to the saved experiment where that is sound and
    /// refused otherwise ([`ExperimentConfig::resumed`]).
    pub overrides: Overrides,
}

/// Where a run happens and from which epoch.
#[derive(Debug, Clone)]
pub struct RunPlan {
    /// The run folder.
    pub dir: RunDir,
    /// The experiment (the saved one when resuming).
    pub config: ExperimentConfig,
    /// Epochs already complete (0 for a fresh run).
    pub start_epoch: usize,
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

/// Decide the folder, the config and the starting epoch of a run: `config` for a new run, the
/// folder's saved config with `opts.overrides` for a resumed one.
pub fn plan_run(config: ExperimentConfig, opts: &RunOptions) -> Result<RunPlan, TrainError> {
    let default_dir = || PathBuf::from("runs").join(config.default_run_name());
    if opts.resume {
        let dir = RunDir::new(opts.out.clone().unwrap_or_else(default_dir));
        if !dir.config_file().is_file() {
            return Err(TrainError::RunFolder {
                path: dir.path,
                problem: "nothing to resume: it has no config.json".into(),
            });
        }
        let saved = ExperimentConfig::resumed(&dir.config()?, &opts.overrides)?;
        let start_epoch = dir.complete_epochs().last().copied().unwrap_or(0);
        // All epochs trained but no summary.json: stopped during the test evaluation or the
        // plots; resuming finishes those (no epoch is trained again).
        let finished = dir.file("summary.json").is_file();
        if start_epoch > saved.epochs || (start_epoch == saved.epochs && finished) {
            return Err(TrainError::RunFolder {
                path: dir.path,
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
        Some(dir) if RunDir::new(dir).config_file().exists() => {
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
        dir: RunDir::new(dir),
        config,
        start_epoch: 0,
    })
}
