//! Opening a classification run folder: the network config, preprocessing and the chosen
//! checkpoint (the run-folder readers themselves live in `train::run_files`).

use std::path::Path;

use burn::tensor::Device;
use data::Preprocessing;
use model::NetworkConfig;
use train::classifier::Classifier;
use train::load::load_classifier;
pub use train::run_files::{CheckpointChoice, check_run_dir, read_json, run_task};

/// A trained model ready to classify.
pub struct TrainedRun {
    /// The network in evaluation mode.
    pub classifier: Classifier,
    /// How images become inputs, and the class names.
    pub preprocessing: Preprocessing,
    /// The network's config.
    pub network: NetworkConfig,
}

impl TrainedRun {
    /// Open `run` and load `checkpoint` on `device`.
    pub fn open(run: &Path, checkpoint: CheckpointChoice, device: &Device) -> anyhow::Result<Self> {
        check_run_dir(run)?;
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
