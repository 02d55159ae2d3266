//! `digits-seg`: a DERIVED segmentation set. No segmentation dataset is reachable from the package
//! registries, so this one is built from real MNIST digits (LeCun et al. 1998): each sample pastes one to
//! `max_digits` digits at random places on a blank `canvas × canvas` picture (pixel-wise maximum), and
//! labels every pixel whose digit intensity exceeds `threshold` with that digit's class + 1 (class 0 =
//! background). The images are real handwriting; the masks are computed, not annotated.
//!
//! Sample `i` depends only on (seed, i), through [`crate::rng::Rng::for_sample`], so the set is the same
//! on every machine and needs no storage.

use burn::data::dataset::{Dataset, DatasetError};
use serde::{Deserialize, Serialize};

use crate::error::DataError;
use crate::item::{Pixels, SegItem};
use crate::memory::ImageDataset;
use crate::rng::Rng;

/// How the derived set is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigitsSegConfig {
    /// Side of the square canvas (at least the digit side, 28).
    pub canvas: usize,
    /// At most this many digits per sample (at least one).
    pub max_digits: usize,
    /// Digit pixels above this value are labelled.
    pub threshold: u8,
    /// Number of samples.
    pub len: usize,
    /// The seed.
    pub seed: u64,
}

impl Default for DigitsSegConfig {
    fn default() -> Self {
        Self {
            canvas: 64,
            max_digits: 3,
            threshold: 127,
            len: 10_000,
            seed: 0,
        }
    }
}

/// The class names: background, then the ten digits.
pub fn digits_seg_classes() -> Vec<String> {
    std::iter::once("background".to_string())
        .chain((0..10).map(|d| d.to_string()))
        .collect()
}

/// The derived dataset over a source split of single-channel digits.
#[derive(Debug, Clone)]
pub struct DigitsSeg {
    source: ImageDataset,
    config: DigitsSegConfig,
}

impl DigitsSeg {
    /// Derives from `source` (one channel, images no larger than the canvas, labels below 10).
    pub fn new(source: ImageDataset, config: DigitsSegConfig) -> crate::error::Result<Self> {
        let [c, h, w] = source.shape();
        if c != 1
            || h > config.canvas
            || w > config.canvas
            || source.labels().is_empty()
            || config.max_digits == 0
        {
            return Err(DataError::Config(format!(
                "digits-seg needs grey digits no larger than the {0}×{0} canvas and max_digits ≥ 1",
                config.canvas
            )));
        }
        Ok(Self { source, config })
    }

    /// The configuration.
    pub fn config(&self) -> &DigitsSegConfig {
        &self.config
    }

    /// Draws sample `index`.
    pub fn sample(&self, index: usize) -> SegItem {
        let cfg = &self.config;
        let n = cfg.canvas;
        let [_, h, w] = self.source.shape();
        let mut rng = Rng::for_sample(cfg.seed, 0, index as u64);
        let mut image = vec![0u8; n * n];
        let mut mask = vec![0u8; n * n];
        let count = 1 + rng.below(cfg.max_digits);
        for _ in 0..count {
            let k = rng.below(self.source.len());
            let top = rng.below(n - h + 1);
            let left = rng.below(n - w + 1);
            let label = self.source.labels().get(k).copied().unwrap_or(0);
            let Some(digit) = self.source.image(k) else {
                continue;
            };
            for y in 0..h {
                for x in 0..w {
                    let v = digit[y * w + x];
                    let at = (top + y) * n + left + x;
                    image[at] = image[at].max(v);
                    if v > cfg.threshold {
                        mask[at] = (label + 1) as u8;
                    }
                }
            }
        }
        SegItem {
            pixels: Pixels::U8(image),
            shape: [1, n, n],
            mask,
        }
    }
}

impl Dataset<SegItem> for DigitsSeg {
    fn get(&self, index: usize) -> Result<SegItem, DatasetError> {
        Ok(self.sample(index))
    }

    fn len(&self) -> usize {
        self.config.len
    }
}
