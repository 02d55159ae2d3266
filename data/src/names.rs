//! Class-name lists (`classes.txt`, CIFAR's `batches.meta.txt`, a user's `--classes` file): one
//! name a line, surrounding spaces and blank lines ignored.

use std::path::Path;

use crate::error::{DataError, Result};

/// The names listed in `path`, in order.
pub fn read_names(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(DataError::io(path))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect())
}
