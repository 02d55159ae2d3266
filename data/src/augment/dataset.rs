//! Datasets that augment the items of another dataset on the fly, in the data-loader workers.
//!
//! The epoch in the random key is counted per sample: the n-th read of sample `i` is epoch n
//! (from the epoch a resumed run starts at), independent of how many workers read the dataset and
//! in which order.

use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use burn::data::dataset::{Dataset, DatasetError};

use super::AugmentConfig;
use crate::geometry::Mask;
use crate::input::to_image;
use crate::item::{ImageItem, Pixels, SegItem};
use crate::rng::Rng;

/// How many times each sample has been read (its epoch).
#[derive(Debug, Clone)]
struct Epochs(Arc<Vec<AtomicU32>>);

impl Epochs {
    fn counted_from(len: usize, epoch: u32) -> Self {
        Self(Arc::new((0..len).map(|_| AtomicU32::new(epoch)).collect()))
    }

    fn epoch_for(&self, index: usize) -> u64 {
        self.0
            .get(index)
            .map_or(0, |a| u64::from(a.fetch_add(1, Ordering::Relaxed)))
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

/// An item that can be augmented: a classification image, or an image with its mask (one draw
/// for both).
pub trait Augment: Sized {
    /// The item augmented with the stream of (seed, epoch, index).
    fn augment(&self, config: &AugmentConfig, seed: u64, epoch: u64, index: u64) -> Self;
}

impl Augment for ImageItem {
    fn augment(&self, config: &AugmentConfig, seed: u64, epoch: u64, index: u64) -> Self {
        augment_item(self, config, seed, epoch, index)
    }
}

impl Augment for SegItem {
    fn augment(&self, config: &AugmentConfig, seed: u64, epoch: u64, index: u64) -> Self {
        augment_seg_item(self, config, seed, epoch, index)
    }
}

/// A dataset whose items are augmented on the fly.
#[derive(Debug, Clone)]
pub struct Augmented<D, I> {
    inner: D,
    config: AugmentConfig,
    seed: u64,
    epochs: Epochs,
    item: PhantomData<fn() -> I>,
}

/// A classification dataset whose items are augmented.
pub type AugmentedDataset<D> = Augmented<D, ImageItem>;

/// A segmentation dataset whose items are augmented (image and mask together).
pub type AugmentedSegDataset<D> = Augmented<D, SegItem>;

impl<D: Dataset<I>, I: Augment> Augmented<D, I> {
    /// Wraps `inner`; epochs are counted per sample from 0.
    pub fn new(inner: D, config: AugmentConfig, seed: u64) -> Self {
        let epochs = Epochs::counted_from(inner.len(), 0);
        Self {
            inner,
            config,
            seed,
            epochs,
            item: PhantomData,
        }
    }

    /// Counts epochs from `epoch` instead of 0 (a resumed run continues the augmentation stream of
    /// the uninterrupted one).
    pub fn starting_at_epoch(mut self, epoch: u32) -> Self {
        self.epochs = Epochs::counted_from(self.inner.len(), epoch);
        self
    }
}

impl<D: Dataset<I>, I: Augment + Send + Sync> Dataset<I> for Augmented<D, I> {
    fn get(&self, index: usize) -> Result<I, DatasetError> {
        let item = self.inner.get(index)?;
        let epoch = self.epochs.epoch_for(index);
        Ok(item.augment(&self.config, self.seed, epoch, index as u64))
    }

    fn len(&self) -> usize {
        self.inner.len()
    }
}
