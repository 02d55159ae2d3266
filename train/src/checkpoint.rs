//! Checkpoints: Burn's checkpointer interface written atomically (temporary file, fsync, rename),
//! so a run killed while saving — `kill -9` included — keeps its previous checkpoint intact.
//!
//! Layout, as Burn's own `FileCheckpointer`: `<run>/checkpoint/{model,optim,scheduler}-<epoch>.bpk`.
//! The best model by validation accuracy is copied to `<run>/best.bpk` at the end of a run.

use std::path::{Path, PathBuf};

use burn::optim::OptimizerRecord;
use burn::optim::lr_scheduler::LrSchedulerRecord;
use burn::store::ModuleRecord;
use burn::train::checkpoint::{Checkpoint, Checkpointer, CheckpointerError};

use crate::atomic::write_atomic;
use crate::error::TrainError;

/// The three record kinds a resumable run needs.
pub const KINDS: [&str; 3] = ["model", "optim", "scheduler"];

/// A checkpointer writing `<dir>/<name>-<epoch>.bpk` atomically.
pub struct AtomicCheckpointer {
    dir: PathBuf,
    name: &'static str,
}

impl AtomicCheckpointer {
    /// Checkpoints named `name` in `dir`.
    pub fn new(dir: &Path, name: &'static str) -> Self {
        Self {
            dir: dir.to_path_buf(),
            name,
        }
    }
}

/// `record` encoded as a checkpoint file's bytes, or an error naming `path`, the file they are for.
pub fn checkpoint_bytes<R: Checkpoint>(
    record: R,
    path: &Path,
) -> Result<burn::tensor::Bytes, TrainError> {
    record
        .checkpoint_into_bytes()
        .map_err(|e| TrainError::Checkpoint {
            path: path.to_path_buf(),
            problem: e.to_string(),
        })
}

/// Path of the checkpoint `name` of `epoch` in `dir`.
pub fn checkpoint_path(dir: &Path, name: &str, epoch: usize) -> PathBuf {
    dir.join(format!("{name}-{epoch}.bpk"))
}

impl<R: Checkpoint> Checkpointer<R> for AtomicCheckpointer {
    fn save(&self, epoch: usize, record: R) -> Result<(), CheckpointerError> {
        std::fs::create_dir_all(&self.dir).map_err(CheckpointerError::IOError)?;
        let bytes = record
            .checkpoint_into_bytes()
            .map_err(CheckpointerError::Record)?;
        let path = checkpoint_path(&self.dir, self.name, epoch);
        crate::disk_space::ensure_room(&path, bytes.len() as u64)
            .and_then(|()| write_atomic(&path, &bytes))
            .map_err(|e| CheckpointerError::Unknown(e.to_string()))
    }

    fn delete(&self, epoch: usize) -> Result<(), CheckpointerError> {
        let path = checkpoint_path(&self.dir, self.name, epoch);
        if path.exists() {
            std::fs::remove_file(path).map_err(CheckpointerError::IOError)?;
        }
        Ok(())
    }

    fn restore(&self, epoch: usize) -> Result<R, CheckpointerError> {
        R::load(checkpoint_path(&self.dir, self.name, epoch))
    }
}

/// Epochs for which all three records exist in `dir`, ascending.
pub fn complete_epochs(dir: &Path) -> Vec<usize> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut epochs: Vec<usize> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix("model-")?
                .strip_suffix(".bpk")?
                .parse()
                .ok()
        })
        .filter(|&epoch| {
            KINDS
                .iter()
                .all(|k| checkpoint_path(dir, k, epoch).is_file())
        })
        .collect();
    epochs.sort_unstable();
    epochs
}

/// Reads the three records of `epoch` in `dir`, as a resume will: a truncated or corrupt one is an
/// error naming its file here, before Burn's learner (which panics on it) ever sees it.
pub fn check_resumable(dir: &Path, epoch: usize) -> Result<(), TrainError> {
    let check = |kind: &str, load: fn(PathBuf) -> Result<(), CheckpointerError>| {
        let path = checkpoint_path(dir, kind, epoch);
        load(path.clone()).map_err(|e| TrainError::Checkpoint {
            path,
            problem: format!("cannot be read ({e}); delete it to resume from the epoch before"),
        })
    };
    check("model", |p| {
        <ModuleRecord as Checkpoint>::load(p).map(|_| ())
    })?;
    check("optim", |p| {
        <OptimizerRecord as Checkpoint>::load(p).map(|_| ())
    })?;
    check("scheduler", |p| {
        <LrSchedulerRecord as Checkpoint>::load(p).map(|_| ())
    })
}
