//! Datasets that augment the items of another dataset on the fly, in the data-loader workers.
//!
//! The epoch in the random key is either set by the training loop through an [`EpochHandle`], or, by
//! default, counted per sample: the n-th read of sample `i` is epoch n. Both are independent of how many
//! workers read the dataset and in which order.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use burn::data::dataset::{Dataset, DatasetError};

use super::AugmentConfig;
use crate::geometry::Mask;
use crate::input::to_image;
use crate::item::{ImageItem, Pixels, SegItem};
use crate::rng::Rng;

/// A shared epoch number the training loop sets before each epoch.
#[derive(Debug, Clone, Default)]
pub struct EpochHandle(Arc<AtomicU64>);

impl EpochHandle {
    /// A handle at epoch 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the epoch.
    pub fn set(&self, epoch: u64) {
        self.0.store(epoch, Ordering::Relaxed);
    }

    /// The epoch.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Debug, Clone)]
enum Epochs {
    Counted(Arc<Vec<AtomicU32>>),
    Shared(EpochHandle),
}

impl Epochs {
    fn counted(len: usize) -> Self {
        Self::counted_from(len, 0)
    }

    fn counted_from(len: usize, epoch: u32) -> Self {
        Self::Counted(Arc::new((0..len).map(|_| AtomicU32::new(epoch)).collect()))
    }

    fn epoch_for(&self, index: usize) -> u64 {
        match self {
            Self::Counted(c) => c
                .get(index)
                .map_or(0, |a| u64::from(a.fetch_add(1, Ordering::Relaxed))),
            Self::Shared(h) => h.get(),
        }
    }
}

/// Augments one classification item with the stream of (seed, epoch, index).
pub fn augment_item(
    item: &ImageItem,
    config: &AugmentConfig,
    seed: u64,
    epoch: u64,
    index: u64,
) -> ImageItem {
    let mut rng = Rng::for_sample(seed, epoch, index);
    let (img, _) = config.apply(to_image(&item.pixels, item.shape), None, &mut rng);
    ImageItem {
        pixels: Pixels::F32(img.data),
        shape: img.shape,
        label: item.label,
    }
}

/// Augments one segmentation item (image and mask with the same draws).
pub fn augment_seg_item(
    item: &SegItem,
    config: &AugmentConfig,
    seed: u64,
    epoch: u64,
    index: u64,
) -> SegItem {
    let mut rng = Rng::for_sample(seed, epoch, index);
    let mask = Mask {
        h: item.shape[1],
        w: item.shape[2],
        data: item.mask.clone(),
    };
    let (img, mask) = config.apply(to_image(&item.pixels, item.shape), Some(mask), &mut rng);
    SegItem {
        pixels: Pixels::F32(img.data),
        shape: img.shape,
        mask: mask.map(|m| m.data).unwrap_or_default(),
    }
}

/// A classification dataset whose items are augmented.
#[derive(Debug, Clone)]
pub struct AugmentedDataset<D> {
    inner: D,
    config: AugmentConfig,
    seed: u64,
    epochs: Epochs,
}

impl<D: Dataset<ImageItem>> AugmentedDataset<D> {
    /// Wraps `inner`; epochs are counted per sample.
    pub fn new(inner: D, config: AugmentConfig, seed: u64) -> Self {
        let epochs = Epochs::counted(inner.len());
        Self {
            inner,
            config,
            seed,
            epochs,
        }
    }

    /// Takes the epoch from `handle` instead of counting.
    pub fn with_epoch_handle(mut self, handle: EpochHandle) -> Self {
        self.epochs = Epochs::Shared(handle);
        self
    }

    /// Counts epochs from `epoch` instead of 0 (a resumed run continues the augmentation stream of
    /// the uninterrupted one).
    pub fn starting_at_epoch(mut self, epoch: u32) -> Self {
        self.epochs = Epochs::counted_from(self.inner.len(), epoch);
        self
    }
}

impl<D: Dataset<ImageItem>> Dataset<ImageItem> for AugmentedDataset<D> {
    fn get(&self, index: usize) -> Result<ImageItem, DatasetError> {
        let item = self.inner.get(index)?;
        let epoch = self.epochs.epoch_for(index);
        Ok(augment_item(
            &item,
            &self.config,
            self.seed,
            epoch,
            index as u64,
        ))
    }

    fn len(&self) -> usize {
        self.inner.len()
    }
}

/// A segmentation dataset whose items are augmented (image and mask together).
#[derive(Debug, Clone)]
pub struct AugmentedSegDataset<D> {
    inner: D,
    config: AugmentConfig,
    seed: u64,
    epochs: Epochs,
}

impl<D: Dataset<SegItem>> AugmentedSegDataset<D> {
    /// Wraps `inner`; epochs are counted per sample.
    pub fn new(inner: D, config: AugmentConfig, seed: u64) -> Self {
        let epochs = Epochs::counted(inner.len());
        Self {
            inner,
            config,
            seed,
            epochs,
        }
    }

    /// Takes the epoch from `handle` instead of counting.
    pub fn with_epoch_handle(mut self, handle: EpochHandle) -> Self {
        self.epochs = Epochs::Shared(handle);
        self
    }
}

impl<D: Dataset<SegItem>> AugmentedSegDataset<D> {
    /// Counts epochs from `epoch` instead of 0 (a resumed run continues the augmentation stream).
    pub fn starting_at_epoch(mut self, epoch: u32) -> Self {
        self.epochs = Epochs::counted_from(self.inner.len(), epoch);
        self
    }
}

impl<D: Dataset<SegItem>> Dataset<SegItem> for AugmentedSegDataset<D> {
    fn get(&self, index: usize) -> Result<SegItem, DatasetError> {
        let item = self.inner.get(index)?;
        let epoch = self.epochs.epoch_for(index);
        Ok(augment_seg_item(
            &item,
            &self.config,
            self.seed,
            epoch,
            index as u64,
        ))
    }

    fn len(&self) -> usize {
        self.inner.len()
    }
}
