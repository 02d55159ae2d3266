//! Loading a trained model back: the network config (`model.json`) and a model record (`best.bpk`,
//! `last.bpk` or a checkpoint). A record of another architecture is an error naming the file.

use std::path::Path;

use burn::module::Module;
use burn::tensor::Device;
use model::{Network, NetworkConfig};

use crate::classifier::Classifier;
use crate::error::TrainError;
use crate::regularization::Regularization;

/// The trained network of `config` with the weights in `path`, on `device`, in evaluation mode.
/// (A run's records hold the classifier that trained it; its penalties are not needed here.)
pub fn load_network(
    config: &NetworkConfig,
    path: &Path,
    device: &Device,
) -> Result<Network, TrainError> {
    Ok(load_classifier(config, path, device)?.network)
}

/// Build the network of `config` on `device` and load the weights in `path`, in evaluation mode.
pub fn load_classifier(
    config: &NetworkConfig,
    path: &Path,
    device: &Device,
) -> Result<Classifier, TrainError> {
    let network = config.init(device)?;
    let fresh = Classifier::new(network, Regularization::none(), 0.0);
    Ok(load_weights(fresh, path)?.valid())
}

/// Load the record in `path` into `fresh` (a module of the same architecture).
pub fn load_weights<M: Module>(fresh: M, path: &Path) -> Result<M, TrainError> {
    if !path.is_file() {
        return Err(TrainError::Checkpoint {
            path: path.to_path_buf(),
            problem: "no such file".into(),
        });
    }
    fresh
        .try_load_file(path)
        .map_err(|e| TrainError::Checkpoint {
            path: path.to_path_buf(),
            problem: format!("cannot be loaded into this architecture: {e}"),
        })
}
