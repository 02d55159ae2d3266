//! Why an experiment could not run or not write its results.

use std::path::PathBuf;

use thiserror::Error;

/// An experiment's failure (a diverging variant is a result, never one of these).
#[derive(Debug, Error)]
pub enum LabError {
    /// The name is not one of the experiments.
    #[error("unknown experiment `{0}`; expected one of: {list}", list = super::ExperimentName::names().join(", "))]
    Unknown(String),
    /// The experiment is listed by the issue but has no implementation yet.
    #[error(
        "experiment `{0}` is not implemented yet; implemented: {list}",
        list = super::ExperimentName::implemented_names().join(", ")
    )]
    NotImplemented(String),
    /// The data could not be loaded.
    #[error("data: {0}")]
    Data(#[from] data::DataError),
    /// The backend is unknown or not compiled in.
    #[error("backend: {0}")]
    Backend(#[from] model::backend::BackendError),
    /// An optimiser or schedule configuration was rejected.
    #[error("configuration: {0}")]
    Config(String),
    /// A file could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// A picture could not be drawn.
    #[error("picture {path}: {problem}")]
    Plot {
        /// The PNG file.
        path: PathBuf,
        /// What went wrong.
        problem: String,
    },
}

impl LabError {
    /// A closure that wraps an I/O error with its path.
    pub fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> LabError + '_ {
        move |source| LabError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
