//! Zero-centring and normalisation statistics (the "data preprocessing" step of the classic CNN recipes:
//! subtract the per-channel mean, divide by the per-channel standard deviation), computed from the
//! TRAINING split only, in one streaming pass over the converted inputs.
//!
//! Sums are accumulated in `f64` per image and merged with Chan, Golub and LeVeque's parallel update
//! ("Algorithms for computing the sample variance", 1983), so the pass is numerically stable and never
//! holds more than one image.

use burn::data::dataset::Dataset;
use serde::{Deserialize, Serialize};

use crate::error::{DataError, Result};
use crate::input::{InputSpec, convert_image};
use crate::item::ImageItem;

/// Per-channel mean and standard deviation on the 0–1 scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelStats {
    /// Mean of each channel.
    pub mean: Vec<f32>,
    /// Population standard deviation of each channel.
    pub std: Vec<f32>,
    /// How many images were seen.
    pub count: usize,
}

/// A running (count, mean, M2) per channel.
#[derive(Debug, Clone)]
pub struct StatsAccumulator {
    n: Vec<f64>,
    mean: Vec<f64>,
    m2: Vec<f64>,
    images: usize,
}

impl StatsAccumulator {
    /// An empty accumulator for `channels` channels.
    pub fn new(channels: usize) -> Self {
        Self {
            n: vec![0.0; channels],
            mean: vec![0.0; channels],
            m2: vec![0.0; channels],
            images: 0,
        }
    }

    /// Adds the pixels of one CHW image with `plane` pixels per channel.
    pub fn add(&mut self, chw: &[f32], plane: usize) {
        if plane == 0 {
            return;
        }
        for (c, values) in chw.chunks_exact(plane).enumerate().take(self.n.len()) {
            let nb = plane as f64;
            let mb = values.iter().map(|&v| f64::from(v)).sum::<f64>() / nb;
            let m2b = values
                .iter()
                .map(|&v| (f64::from(v) - mb).powi(2))
                .sum::<f64>();
            let na = self.n[c];
            let delta = mb - self.mean[c];
            let n = na + nb;
            self.mean[c] += delta * nb / n;
            self.m2[c] += m2b + delta * delta * na * nb / n;
            self.n[c] = n;
        }
        self.images += 1;
    }

    /// The statistics so far; an error when nothing was added.
    pub fn finish(&self) -> Result<ChannelStats> {
        if self.images == 0 {
            return Err(DataError::Config(
                "no images to compute statistics from".into(),
            ));
        }
        Ok(ChannelStats {
            mean: self.mean.iter().map(|&m| m as f32).collect(),
            std: self
                .m2
                .iter()
                .zip(&self.n)
                .map(|(&m2, &n)| (m2 / n).sqrt() as f32)
                .collect(),
            count: self.images,
        })
    }
}

impl ChannelStats {
    /// Mean and standard deviation per channel of the training split `train`, each image converted by
    /// `spec` first (exactly what the network will see before normalisation). Pass the training split:
    /// statistics from the test split would leak it into training.
    pub fn compute(train: &dyn Dataset<ImageItem>, spec: &InputSpec) -> Result<Self> {
        spec.validate()?;
        let plane = spec.height * spec.width;
        let mut acc = StatsAccumulator::new(spec.channels);
        for i in 0..train.len() {
            let item = train
                .get(i)
                .map_err(|e| DataError::Config(format!("item {i} of the training split: {e}")))?;
            let img = convert_image(&item.pixels, item.shape, spec);
            acc.add(&img.data, plane);
        }
        acc.finish()
    }

    /// Checks that the statistics have `channels` channels and positive deviations.
    pub fn validate(&self, channels: usize) -> Result<()> {
        if self.mean.len() != channels || self.std.len() != channels {
            return Err(DataError::Config(format!(
                "statistics have {} channels, the input {channels}",
                self.mean.len()
            )));
        }
        if self.std.iter().any(|&s| !s.is_finite() || s <= 0.0) {
            return Err(DataError::Config(format!(
                "standard deviations {:?} must be positive",
                self.std
            )));
        }
        Ok(())
    }
}
