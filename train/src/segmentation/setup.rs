//! What a segmentation run prepares before the learner starts: the data splits, the network's
//! config (width resolved for the input size), preprocessing statistics from the training images
//! and the image+mask augmentation.

use std::path::Path;

use burn::data::dataset::{Dataset, DatasetError};
use data::{ImageItem, InputSpec, Normalize, Preprocessing, SegItem, SegmentationData};
use model::segmentation::{SegNetworkConfig, segmentation_config};

use crate::error::TrainError;
use crate::experiment::{ExperimentConfig, PreprocessKind};
use crate::setup::{Prepared, saved_or};
use crate::split::split_run_data;

/// Inputs of at most this side get the CPU-sized width when the config names none.
pub const SMALL_INPUT: usize = 64;
/// The base width used for small inputs (a quarter of the papers' 64).
pub const SMALL_WIDTH: usize = 16;

/// The datasets and recipes of one segmentation run.
pub type PreparedSeg = Prepared<SegNetworkConfig, SegItem>;

/// Load the data of `config` (fetching or generating it if needed).
pub fn load_seg_data(config: &ExperimentConfig) -> Result<SegmentationData, TrainError> {
    crate::setup::with_loader(config, |loader| loader.segmentation(&config.dataset))
}

/// The network of `config` for `classes` classes and `channels` input channels at `input_size`:
/// the registry's config, with `config.width` as base width, or [`SMALL_WIDTH`] (and the `_small`
/// depth) for inputs of at most [`SMALL_INPUT`] px when no width is given.
pub fn seg_network_config(
    config: &ExperimentConfig,
    classes: usize,
    channels: usize,
    input_size: usize,
) -> Result<SegNetworkConfig, TrainError> {
    let name = config.model.as_str();
    let small = input_size <= SMALL_INPUT && !name.ends_with("_small");
    Ok(match config.width {
        Some(width) => segmentation_config(name, classes, channels)?.with_base_width(width),
        None if small => segmentation_config(&format!("{name}_small"), classes, channels)?,
        None => segmentation_config(name, classes, channels)?,
    })
}

/// The images of a segmentation set as classification items (for preprocessing statistics).
struct Images<'a>(&'a dyn Dataset<SegItem>);

impl Dataset<ImageItem> for Images<'_> {
    fn get(&self, index: usize) -> Result<ImageItem, DatasetError> {
        let item = self.0.get(index)?;
        Ok(ImageItem {
            pixels: item.pixels,
            shape: item.shape,
            label: 0,
        })
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Build every dataset and recipe of a segmentation run; statistics come from the training subset
/// only, or from `saved_preprocessing` when resuming.
pub fn prepare_segmentation(
    config: &ExperimentConfig,
    data: SegmentationData,
    saved_preprocessing: Option<&Path>,
    start_epoch: usize,
) -> Result<PreparedSeg, TrainError> {
    let first = data.train.get(0).map_err(|e| {
        TrainError::Config(format!("the training split is empty or unreadable: {e}"))
    })?;
    let [native_c, native_h, _] = first.shape;
    let channels = config.channels.unwrap_or(native_c);
    let size = config.input_size.unwrap_or(native_h);
    let input = InputSpec::new(channels, size, size);
    let network = seg_network_config(config, data.classes.len(), channels, size)?;

    let splits = split_run_data(&data.train, &data.test, config)?;
    let train = &splits.train;

    let classes = data.classes.clone();
    let pre = saved_or(saved_preprocessing, || match config.preprocess {
        PreprocessKind::Standardize => Ok(Preprocessing::standardize(
            &Images(&**train),
            input,
            classes,
        )?),
        PreprocessKind::None => Ok(Preprocessing::new(input, Normalize::None, classes)?),
        PreprocessKind::Pca | PreprocessKind::Zca => Err(TrainError::Config(
            "whitening is for classification; segmentation uses standardize or none".into(),
        )),
    })?;

    Ok(Prepared::assemble(
        network,
        pre,
        splits,
        first.shape,
        config,
        start_epoch,
        data.name,
    ))
}

/// Median-frequency class weights (Eigen & Fergus, ICCV 2015; SegNet's loss): `median(f) / f(c)`
/// with `f(c)` = pixels of class `c` / pixels of the images containing `c`, counted over at most
/// `max_items` items of `train`. Classes never seen get weight 0.
pub fn median_frequency_weights(
    train: &dyn Dataset<SegItem>,
    classes: usize,
    max_items: usize,
) -> Result<Vec<f32>, TrainError> {
    let mut pixels = vec![0u64; classes];
    let mut image_pixels = vec![0u64; classes];
    for i in 0..train.len().min(max_items) {
        let item = train
            .get(i)
            .map_err(|e| TrainError::Config(format!("reading training mask {i}: {e}")))?;
        let mut counts = vec![0u64; classes];
        for &id in &item.mask {
            if let Some(c) = counts.get_mut(usize::from(id)) {
                *c += 1;
            }
        }
        for c in 0..classes {
            if counts[c] > 0 {
                pixels[c] += counts[c];
                image_pixels[c] += item.mask.len() as u64;
            }
        }
    }
    let freq: Vec<f64> = (0..classes)
        .map(|c| pixels[c] as f64 / image_pixels[c].max(1) as f64)
        .collect();
    let mut seen: Vec<f64> = freq.iter().copied().filter(|f| *f > 0.0).collect();
    if seen.is_empty() {
        return Err(TrainError::Config(
            "the training masks hold no class".into(),
        ));
    }
    seen.sort_by(f64::total_cmp);
    let median = if seen.len() % 2 == 1 {
        seen[seen.len() / 2]
    } else {
        0.5 * (seen[seen.len() / 2 - 1] + seen[seen.len() / 2])
    };
    Ok(freq
        .iter()
        .map(|&f| if f > 0.0 { (median / f) as f32 } else { 0.0 })
        .collect())
}
