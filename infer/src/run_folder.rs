//! Opening a classification run folder: the network config, preprocessing and the chosen
//! checkpoint, through `train::RunDir` (the one type that knows a run folder's files).

use std::path::Path;

use burn::tensor::Device;
use data::Preprocessing;
use model::Network;
use model::NetworkConfig;
use train::RunDir;
use train::load::load_network;
pub use train::run_dir::CheckpointChoice;

/// What the run in `run` was trained for.
pub fn run_task(run: &Path) -> Result<train::Task, train::TrainError> {
    RunDir::open(run)?.task()
}

/// A trained model ready to classify.
pub struct TrainedRun {
    /// The trained network, in evaluation mode.
    pub model: Network,
    /// How images become inputs, and the class names.
    pub preprocessing: Preprocessing,
    /// The network's config.
    pub network: NetworkConfig,
}

impl TrainedRun {
    /// Open `run` and load `checkpoint` on `device`.
    pub fn open(run: &Path, checkpoint: CheckpointChoice, device: &Device) -> anyhow::Result<Self> {
        let (network, preprocessing, weights) = RunDir::open(run)?.trained(checkpoint)?;
        let model = load_network(&network, &weights, device)?;
        Ok(Self {
            model,
            preprocessing,
            network,
        })
    }
}
