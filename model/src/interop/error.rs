//! Errors of reading, checking and writing PyTorch state dicts. Each names the file.

use std::path::PathBuf;

use thiserror::Error;

/// What can go wrong between a PyTorch file and a zoo network.
#[derive(Debug, Error)]
pub enum InteropError {
    /// The file could not be read as a PyTorch checkpoint or a SafeTensors file.
    #[error("{}: not a readable PyTorch state dict ({format}): {reason}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The format it was read as.
        format: &'static str,
        /// The reader's message.
        reason: String,
    },
    /// The file's keys or shapes are not the network's.
    #[error("{}: does not match {model}: {details}", path.display())]
    Mismatch {
        /// The file.
        path: PathBuf,
        /// The network it was checked against.
        model: String,
        /// The first missing, unexpected and wrongly shaped keys.
        details: String,
    },
    /// A tensor of the network has no torchvision name (a form torchvision does not have).
    #[error("{model}: tensor `{path}` has no torchvision name (this form has no PyTorch twin)")]
    Unmapped {
        /// The network.
        model: String,
        /// The module path of the tensor.
        path: String,
    },
    /// Writing the file failed.
    #[error("{}: cannot be written: {reason}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
    /// Tensors could not be applied to the network.
    #[error("{}: {reason}", path.display())]
    Apply {
        /// The file the tensors came from.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
    /// The network could not be built.
    #[error(transparent)]
    Model(#[from] crate::error::ModelError),
}
