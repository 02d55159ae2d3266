//! Everything a run prepares before the learner starts: data splits, preprocessing statistics from
//! the training split, augmentation, the network's config and the loaders.

use std::path::Path;
use std::sync::Arc;

use burn::data::dataset::Dataset;
use data::augment::{Augment, Augmented};
use data::{
    ClassificationData, ImageItem, InputSpec, Loader, Normalize, Preprocessing, WhiteningKind,
};
use model::NetworkConfig;
use model::registry::{self, ModelArgs};

use crate::error::TrainError;
use crate::experiment::{ExperimentConfig, PreprocessKind};
use crate::split::{Splits, Subset, split_run_data};

/// The datasets and recipes of one run, for a network config `N` and items `I` (images, or
/// images with masks).
pub struct Prepared<N, I> {
    /// The network's configuration (saved as `model.json`).
    pub network: N,
    /// Preprocessing (saved as `preprocessing.json`; carries the class names).
    pub preprocessing: Preprocessing,
    /// Augmented training subset.
    pub train: Augmented<Arc<Subset<I>>, I>,
    /// The same subset without augmentation (for statistics such as class weights).
    pub train_plain: Arc<Subset<I>>,
    /// Validation subset (held out of the training split).
    pub valid: Subset<I>,
    /// Test split.
    pub test: Arc<dyn Dataset<I>>,
    /// Dataset name.
    pub dataset_name: String,
}

impl<N, I: Augment + Send + Sync> Prepared<N, I> {
    /// Put the parts together; the augmentation is `config`'s for images of `shape` and its
    /// stream starts at `start_epoch`.
    pub(crate) fn assemble(
        network: N,
        preprocessing: Preprocessing,
        splits: Splits<I>,
        shape: [usize; 3],
        config: &ExperimentConfig,
        start_epoch: usize,
        dataset_name: String,
    ) -> Self {
        let augment = config.augment.resolve(shape);
        let Splits { train, valid, test } = splits;
        let epoch = u32::try_from(start_epoch).unwrap_or(u32::MAX);
        Self {
            network,
            preprocessing,
            train: Augmented::new(train.clone(), augment, config.seed).starting_at_epoch(epoch),
            train_plain: train,
            valid,
            test,
            dataset_name,
        }
    }
}

/// The preprocessing saved with the run being resumed (`saved`), else `fit()` on a new run.
pub(crate) fn saved_or(
    saved: Option<&Path>,
    fit: impl FnOnce() -> Result<Preprocessing, TrainError>,
) -> Result<Preprocessing, TrainError> {
    match saved {
        Some(path) => Ok(Preprocessing::load(path)?),
        None => fit(),
    }
}

/// Load the data of `config` (fetching it if needed).
pub fn load_data(config: &ExperimentConfig) -> Result<ClassificationData, TrainError> {
    with_loader(config, |loader| loader.classification(&config.dataset))
}

/// `load` run with the data loader of `config`: its cache folder and its `--skip-bad`.
pub(crate) fn with_loader<T>(
    config: &ExperimentConfig,
    load: impl FnOnce(&Loader) -> Result<T, data::DataError>,
) -> Result<T, TrainError> {
    let cache = config.data_cache();
    let loader = Loader {
        cache: &cache,
        skip_bad: config.skip_bad,
    };
    Ok(load(&loader)?)
}

/// The network config for `config` on data with `classes` classes of native shape `native`.
pub fn network_config(
    config: &ExperimentConfig,
    classes: usize,
    native: Option<[usize; 3]>,
) -> Result<NetworkConfig, TrainError> {
    let entry = registry::lookup(&config.model)?;
    let channels = config.channels.or(native.map(|s| s[0])).unwrap_or(3);
    let input_size = config.input_size.unwrap_or(match native {
        Some([_, h, _]) if entry.default_input <= 64 => h,
        _ => entry.default_input,
    });
    Ok(entry.config(ModelArgs {
        num_classes: classes,
        in_channels: channels,
        input_size,
    }))
}

/// Build every dataset and recipe of a run; statistics come from the training subset only, or from
/// `saved_preprocessing` when resuming.
pub fn prepare(
    config: &ExperimentConfig,
    data: ClassificationData,
    saved_preprocessing: Option<&Path>,
    start_epoch: usize,
) -> Result<Prepared<NetworkConfig, ImageItem>, TrainError> {
    let native = data.shape;
    let network = network_config(config, data.classes.len(), native)?;
    let [channels, size, _] = network.input_shape();
    let input = InputSpec::new(channels, size, size);

    let splits = split_run_data(&data.train, &data.test, config)?;
    let train = &splits.train;

    let classes = data.classes.clone();
    let pre = saved_or(saved_preprocessing, || match config.preprocess {
        PreprocessKind::Standardize => Ok(Preprocessing::standardize(&**train, input, classes)?),
        PreprocessKind::Pca | PreprocessKind::Zca => {
            let kind = if config.preprocess == PreprocessKind::Pca {
                WhiteningKind::Pca
            } else {
                WhiteningKind::Zca
            };
            Ok(Preprocessing::whiten(
                &**train, input, kind, 0.1, 10_000, classes,
            )?)
        }
        PreprocessKind::None => Ok(Preprocessing::new(input, Normalize::None, classes)?),
    })?;

    Ok(Prepared::assemble(
        network,
        pre,
        splits,
        native.unwrap_or(input.shape()),
        config,
        start_epoch,
        data.name,
    ))
}
