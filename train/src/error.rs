//! Errors of a training run.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::optimizer::OptimizerError;
use crate::regularization::RegularizationError;
use crate::schedule::ScheduleError;

/// Everything that can stop a run before or while it trains.
#[derive(Debug, Error)]
pub enum TrainError {
    /// A bad experiment configuration.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The model registry or a model config refused.
    #[error(transparent)]
    Model(#[from] model::ModelError),
    /// The backend is unknown or not compiled in.
    #[error(transparent)]
    Backend(#[from] model::backend::BackendError),
    /// Data could not be fetched, read or preprocessed.
    #[error(transparent)]
    Data(#[from] data::DataError),
    /// A bad schedule.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    /// A bad optimiser.
    #[error(transparent)]
    Optimizer(#[from] OptimizerError),
    /// A bad regularisation.
    #[error(transparent)]
    Regularization(#[from] RegularizationError),
    /// A file of the run folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A checkpoint is missing, unreadable, or of another architecture.
    #[error("checkpoint {}: {problem}", path.display())]
    Checkpoint {
        /// The checkpoint file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// The run folder cannot be used as asked (exists without --resume, nothing to resume …).
    #[error("run folder {}: {problem}", path.display())]
    RunFolder {
        /// The run folder.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// A file of a run folder is not what the run wrote (bad JSON, an unknown task …).
    #[error("{}: {problem}", path.display())]
    RunFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// Training stopped: a non-finite loss, or an error inside Burn's learner.
    #[error("training stopped: {0}")]
    Stopped(String),
    /// A plot could not be drawn.
    #[error("plot {}: {problem}", path.display())]
    Plot {
        /// The picture file.
        path: PathBuf,
        /// What went wrong.
        problem: String,
    },
}

impl TrainError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
