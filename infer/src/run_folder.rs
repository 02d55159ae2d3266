//! Opening a run folder: the network config, preprocessing and the chosen checkpoint.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, bail};
use burn::tensor::Device;
use data::Preprocessing;
use model::NetworkConfig;
use train::Task;
use train::classifier::Classifier;
use train::load::load_classifier;

/// Which weights of a run to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckpointChoice {
    /// `best.bpk`: the epoch with the best validation accuracy.
    Best,
    /// `last.bpk`: the model after the last epoch.
    Last,
    /// `checkpoint/model-N.bpk`.
    Epoch(usize),
}

impl FromStr for CheckpointChoice {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<Self> {
        match s {
            "best" => Ok(Self::Best),
            "last" => Ok(Self::Last),
            n => n.parse().map(Self::Epoch).map_err(|_| {
                anyhow::anyhow!("--checkpoint must be best, last or an epoch number, got `{n}`")
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
            Self::Epoch(n) => run.join("checkpoint").join(format!("model-{n}.bpk")),
        }
    }
}

impl CheckpointChoice {
    /// The weights file in `run`, or an error naming it when it is missing.
    pub fn existing_path(&self, run: &Path) -> anyhow::Result<PathBuf> {
        let weights = self.path(run);
        if !weights.is_file() {
            bail!(
                "{}: no such checkpoint in run {} (train it first, or pick --checkpoint best|last|EPOCH)",
                weights.display(),
                run.display()
            );
        }
        Ok(weights)
    }
}

/// What the run in `run` was trained for, from its `config.json`.
pub fn run_task(run: &Path) -> anyhow::Result<Task> {
    if !run.is_dir() {
        bail!("{}: not a run folder (no such directory)", run.display());
    }
    let config: serde_json::Value = read_json(&run.join("config.json"))?;
    match config.get("task").and_then(|t| t.as_str()) {
        None | Some("classify") => Ok(Task::Classify),
        Some("segment") => Ok(Task::Segment),
        Some(other) => bail!(
            "{}: unknown task `{other}`",
            run.join("config.json").display()
        ),
    }
}

/// A trained model ready to classify.
pub struct TrainedRun {
    /// The network in evaluation mode.
    pub classifier: Classifier,
    /// How images become inputs, and the class names.
    pub preprocessing: Preprocessing,
    /// The network's config.
    pub network: NetworkConfig,
}

pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not a valid run file", path.display()))
}

impl TrainedRun {
    /// Open `run` and load `checkpoint` on `device`.
    pub fn open(run: &Path, checkpoint: CheckpointChoice, device: &Device) -> anyhow::Result<Self> {
        if !run.is_dir() {
            bail!("{}: not a run folder (no such directory)", run.display());
        }
        let network: NetworkConfig = read_json(&run.join("model.json"))?;
        let preprocessing = Preprocessing::load(&run.join("preprocessing.json"))?;
        let weights = checkpoint.existing_path(run)?;
        let classifier = load_classifier(&network, &weights, device)?;
        Ok(Self {
            classifier,
            preprocessing,
            network,
        })
    }
}
