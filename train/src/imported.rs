//! A run folder for weights trained elsewhere (`cargo xtask import`): the same files a training
//! run leaves for `infer`, `evaluate` and fine-tuning (`config.json`, `model.json`,
//! `preprocessing.json`, `best.bpk`, `last.bpk`) plus `import.json` saying where the weights came
//! from. Everything is written into a temporary sibling folder that is renamed into place at the
//! end, so a failure never leaves a half-written run.

use std::path::{Path, PathBuf};

use burn::module::Module;
use data::{DatasetSpec, Preprocessing};
use model::{Network, NetworkConfig};
use serde::Serialize;

use crate::atomic::write_atomic;
use crate::checkpoint::checkpoint_bytes;
use crate::classifier::Classifier;
use crate::error::TrainError;
use crate::experiment::ExperimentConfig;
use crate::regularization::Regularization;
use crate::run_dir::RunDir;

/// What `import.json` records.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRecord {
    /// The file the weights were read from.
    pub source: PathBuf,
    /// Its format (`pytorch` or `safetensors`).
    pub format: String,
    /// How many tensors were loaded.
    pub tensors: usize,
}

/// An imported network and what its run folder describes.
pub struct ImportedRun {
    /// Registry name of the model.
    pub model: String,
    /// The network's config (`model.json`).
    pub config: NetworkConfig,
    /// The network with the imported weights.
    pub network: Network,
    /// How images become inputs, with class names (`preprocessing.json`).
    pub preprocessing: Preprocessing,
    /// The dataset `evaluate` scores it on (`config.json`).
    pub dataset: DatasetSpec,
    /// Where the weights came from.
    pub record: ImportRecord,
}

/// Write `run` as the run folder `out`, which must not exist yet.
pub fn write_imported_run(run: ImportedRun, out: &Path) -> Result<RunDir, TrainError> {
    if out.exists() {
        return Err(TrainError::RunFolder {
            path: out.to_path_buf(),
            problem: "already exists; choose another --out".into(),
        });
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    let partial = out.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let result = fill(&run, &partial)
        .and_then(|()| std::fs::rename(&partial, out).map_err(|e| TrainError::io(out, e)));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    result.map(|()| RunDir::new(out))
}

fn fill(run: &ImportedRun, dir: &Path) -> Result<(), TrainError> {
    std::fs::create_dir_all(dir).map_err(|e| TrainError::io(dir, e))?;
    let run_dir = RunDir::new(dir);
    let [channels, size, _] = run.config.input_shape();
    let experiment = ExperimentConfig {
        model: run.model.clone(),
        dataset: run.dataset.clone(),
        input_size: Some(size),
        channels: Some(channels),
        ..ExperimentConfig::default()
    };
    run_dir.save_config(&experiment)?;
    run_dir.save_json("model.json", &run.config)?;
    run.preprocessing
        .save(&run_dir.preprocessing_file())
        .map_err(TrainError::from)?;
    run_dir.save_json("import.json", &run.record)?;
    let classifier = Classifier::new(run.network.clone(), Regularization::none(), 0.0);
    let best = run_dir.file("best.bpk");
    let bytes = checkpoint_bytes(classifier.into_record(), &best)?;
    write_atomic(&best, &bytes)?;
    write_atomic(&run_dir.file("last.bpk"), &bytes)
}
