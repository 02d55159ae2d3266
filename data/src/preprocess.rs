//! The complete preprocessing of a run — input format, normalisation (per-channel standardisation or
//! PCA/ZCA whitening, fitted on the training split) and class names — saved as JSON in the run folder
//! and loaded by inference, so training and inference convert images identically.

use std::path::Path;

use burn::data::dataset::Dataset;
use burn::tensor::{Device, Tensor, TensorData};
use image::DynamicImage;
use serde::{Deserialize, Serialize};

use crate::cache::write_atomic;
use crate::error::{DataError, Result};
use crate::geometry::Image;
use crate::input::{InputSpec, convert_image, dynamic_to_pixels};
use crate::item::{ImageItem, Pixels};
use crate::stats::ChannelStats;
use crate::whitening::{Whitening, WhiteningKind};

/// How converted inputs (0–1 scale) are normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Normalize {
    /// Values stay on the 0–1 scale.
    None,
    /// `(x − mean_c) / std_c` per channel.
    Standardize(ChannelStats),
    /// PCA or ZCA whitening of the flattened input.
    Whiten(Whitening),
}

/// Everything needed to turn a stored or decoded image into the model's input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preprocessing {
    /// The model's input format.
    pub input: InputSpec,
    /// The normalisation.
    pub normalize: Normalize,
    /// Class names, in label order (for printing predictions).
    #[serde(default)]
    pub classes: Vec<String>,
}

impl Preprocessing {
    /// Per-channel standardisation with statistics from one streaming pass over `train`.
    pub fn standardize(
        train: &dyn Dataset<ImageItem>,
        input: InputSpec,
        classes: Vec<String>,
    ) -> Result<Self> {
        let stats = ChannelStats::compute(train, &input)?;
        Self::new(input, Normalize::Standardize(stats), classes)
    }

    /// PCA/ZCA whitening fitted on (at most `max_samples` images of) `train`.
    pub fn whiten(
        train: &dyn Dataset<ImageItem>,
        input: InputSpec,
        kind: WhiteningKind,
        epsilon: f32,
        max_samples: usize,
        classes: Vec<String>,
    ) -> Result<Self> {
        let w = Whitening::fit_dataset(train, &input, kind, epsilon, max_samples)?;
        Self::new(input, Normalize::Whiten(w), classes)
    }

    /// Checks that `normalize` fits `input` and builds the value.
    pub fn new(input: InputSpec, normalize: Normalize, classes: Vec<String>) -> Result<Self> {
        input.validate()?;
        match &normalize {
            Normalize::None => {}
            Normalize::Standardize(s) => s.validate(input.channels)?,
            Normalize::Whiten(w) => {
                if w.dim != input.numel()
                    || w.mean.len() != w.dim
                    || w.matrix.len() != w.dim * w.dim
                {
                    return Err(DataError::Config(format!(
                        "whitening of dimension {} does not fit input {:?}",
                        w.dim,
                        input.shape()
                    )));
                }
            }
        }
        Ok(Self {
            input,
            normalize,
            classes,
        })
    }

    /// Writes the JSON file (through a temporary name).
    pub fn save(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| {
            DataError::invalid(path, format!("cannot serialise preprocessing: {e}"))
        })?;
        write_atomic(path, &json)
    }

    /// Reads and checks a file written by [`Preprocessing::save`].
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(DataError::io(path))?;
        let p: Self = serde_json::from_slice(&bytes)
            .map_err(|e| DataError::invalid(path, format!("not a preprocessing file: {e}")))?;
        Self::new(p.input, p.normalize, p.classes)
            .map_err(|e| DataError::invalid(path, e.to_string()))
    }

    /// Normalises an already converted image in place (its shape must be the input's).
    pub fn normalize_image(&self, img: &mut Image) {
        match &self.normalize {
            Normalize::None => {}
            Normalize::Standardize(s) => {
                let plane = img.shape[1] * img.shape[2];
                if plane == 0 {
                    return;
                }
                for (c, values) in img.data.chunks_exact_mut(plane).enumerate() {
                    let (m, sd) = (
                        s.mean.get(c).copied().unwrap_or(0.0),
                        s.std.get(c).copied().unwrap_or(1.0),
                    );
                    for v in values {
                        *v = (*v - m) / sd;
                    }
                }
            }
            Normalize::Whiten(w) => img.data = w.apply(&img.data),
        }
    }

    /// Stored pixels → the model's normalised CHW input.
    pub fn apply(&self, pixels: &Pixels, shape: [usize; 3]) -> Vec<f32> {
        let mut img = convert_image(pixels, shape, &self.input);
        self.normalize_image(&mut img);
        img.data
    }

    /// A decoded image of any size and colour type → the normalised CHW input, converted exactly as
    /// training images are.
    pub fn image_to_input(&self, img: &DynamicImage) -> Vec<f32> {
        let (pixels, shape) = dynamic_to_pixels(img);
        self.apply(&pixels, shape)
    }

    /// [`Preprocessing::image_to_input`] as a `[1, C, H, W]` tensor on `device`.
    pub fn image_to_tensor(&self, img: &DynamicImage, device: &Device) -> Tensor<4> {
        let data = TensorData::new(
            self.image_to_input(img),
            [1, self.input.channels, self.input.height, self.input.width],
        );
        Tensor::from_data(data, device)
    }
}
