//! Reading a run folder back for evaluation and inference: its JSON files, its task and the
//! weights a user picks (`best`, `last` or an epoch's checkpoint). Every error names the file.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::TrainError;
use crate::experiment::Task;
use crate::run_dir::{checkpoint_dir, config_path};

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
        match self {
            Self::Best => run.join("best.bpk"),
            Self::Last => run.join("last.bpk"),
            Self::Epoch(n) => checkpoint_dir(run).join(format!("model-{n}.bpk")),
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
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, TrainError> {
    let text = std::fs::read_to_string(path).map_err(|e| TrainError::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| TrainError::RunFile {
        path: path.to_path_buf(),
        problem: format!("not a valid run file: {e}"),
    })
}

/// Fails unless `run` is a directory.
pub fn check_run_dir(run: &Path) -> Result<(), TrainError> {
    if run.is_dir() {
        Ok(())
    } else {
        Err(TrainError::RunFolder {
            path: run.to_path_buf(),
            problem: "not a run folder (no such directory)".into(),
        })
    }
}

/// What the run in `run` was trained for, from its `config.json` (runs older than the `task` field
/// are classification runs).
pub fn run_task(run: &Path) -> Result<Task, TrainError> {
    check_run_dir(run)?;
    let path = config_path(run);
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
