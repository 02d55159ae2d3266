//! Atomic file writes for the run folder: [`data::write_atomic`] (temporary file, fsync, rename),
//! with the run's error type. A crash (even `kill -9`) leaves either the old file or the new one.

use std::path::Path;

use crate::error::TrainError;

/// Replace `path` with `bytes` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), TrainError> {
    Ok(data::write_atomic(path, bytes)?)
}
