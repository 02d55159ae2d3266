//! In-memory image datasets: all images of one size in one contiguous byte buffer (MNIST, Fashion-MNIST,
//! CIFAR-10), implementing Burn's `Dataset`.

use std::sync::Arc;

use burn::data::dataset::{Dataset, DatasetError};

use crate::error::{DataError, Result};
use crate::item::{ImageItem, Pixels};

/// Images of one shape `[c, h, w]` stored back to back as bytes, with a label each.
///
/// Cloning is cheap (the buffers are shared).
#[derive(Debug, Clone)]
pub struct ImageDataset {
    shape: [usize; 3],
    pixels: Arc<Vec<u8>>,
    labels: Arc<Vec<usize>>,
}

impl ImageDataset {
    /// Builds a dataset; `pixels.len()` must be `labels.len() · c · h · w`.
    pub fn new(shape: [usize; 3], pixels: Vec<u8>, labels: Vec<usize>) -> Result<Self> {
        let per = shape.iter().product::<usize>();
        if per == 0 || pixels.len() != per * labels.len() {
            return Err(DataError::Config(format!(
                "{} pixel bytes do not make {} images of shape {shape:?}",
                pixels.len(),
                labels.len()
            )));
        }
        Ok(Self {
            shape,
            pixels: Arc::new(pixels),
            labels: Arc::new(labels),
        })
    }

    /// The number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// `[c, h, w]` of every image.
    pub fn shape(&self) -> [usize; 3] {
        self.shape
    }

    /// All labels in order.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// The bytes of image `i` (CHW), or `None` past the end.
    pub fn image(&self, i: usize) -> Option<&[u8]> {
        let per = self.shape.iter().product::<usize>();
        self.pixels.get(i * per..(i + 1) * per)
    }

    /// How many images of each class (`classes` long; labels past it are not counted).
    pub fn class_counts(&self, classes: usize) -> Vec<usize> {
        let mut counts = vec![0; classes];
        for &l in self.labels.iter() {
            if let Some(c) = counts.get_mut(l) {
                *c += 1;
            }
        }
        counts
    }

    /// A dataset of the first `n` images (for quick runs and tests).
    pub fn take(&self, n: usize) -> Self {
        let n = n.min(self.labels.len());
        let per = self.shape.iter().product::<usize>();
        Self {
            shape: self.shape,
            pixels: Arc::new(self.pixels[..n * per].to_vec()),
            labels: Arc::new(self.labels[..n].to_vec()),
        }
    }
}

impl Dataset<ImageItem> for ImageDataset {
    fn get(&self, index: usize) -> Result<ImageItem, DatasetError> {
        let image = self.image(index).ok_or_else(|| {
            DatasetError::new(DataError::Config(format!(
                "index {index} past the end of a dataset of {} images",
                self.labels.len()
            )))
        })?;
        Ok(ImageItem {
            pixels: Pixels::U8(image.to_vec()),
            shape: self.shape,
            label: self.labels[index],
        })
    }

    fn len(&self) -> usize {
        self.labels.len()
    }
}
