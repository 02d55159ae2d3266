//! The crate's error type: every failure names the file (or the thing) it concerns and what is wrong.
//!
//! Nothing in this crate panics on bad input; a truncated IDX file, a corrupt PNG or a mask of the wrong
//! size all come back as a [`DataError`] whose message starts with the offending path.

use std::path::{Path, PathBuf};

/// Errors raised while fetching, reading, verifying or converting data.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// An I/O error on a file or folder.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file or folder whose contents are wrong (bad magic number, truncated, corrupt, out of range…).
    #[error("{}: {problem}", path.display())]
    Invalid {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// Fetching a dataset through a package manager failed.
    #[error("fetching {what}: {problem}")]
    Fetch {
        /// The dataset being fetched.
        what: String,
        /// What went wrong.
        problem: String,
    },
    /// A bad argument: dataset spec, configuration value, statistics that do not fit the input.
    #[error("{0}")]
    Config(String),
}

impl DataError {
    /// An [`DataError::Invalid`] for `path`.
    pub fn invalid(path: impl AsRef<Path>, problem: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.as_ref().to_path_buf(),
            problem: problem.into(),
        }
    }

    /// A closure turning an `io::Error` into a [`DataError::Io`] for `path` (for `map_err`).
    pub fn io(path: impl AsRef<Path>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.as_ref().to_path_buf();
        move |source| Self::Io { path, source }
    }

    /// A [`DataError::Fetch`].
    pub fn fetch(what: impl Into<String>, problem: impl Into<String>) -> Self {
        Self::Fetch {
            what: what.into(),
            problem: problem.into(),
        }
    }
}

/// The crate's result type.
pub type Result<T, E = DataError> = std::result::Result<T, E>;
