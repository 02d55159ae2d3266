//! Burn `Batcher`s: classification items → `ClassificationBatch { images [B,C,H,W], targets [B] }` and
//! segmentation items → `SegmentationBatch { images, masks [B,H,W] }`, converting each item to the
//! model's input (channels, size) and normalising it by the run's [`Preprocessing`].

use burn::data::dataloader::batcher::Batcher;
use burn::tensor::{Device, Int, Tensor, TensorData};
use rayon::prelude::*;

use crate::input::convert_seg;
use crate::item::{ImageItem, SegItem};
use crate::preprocess::Preprocessing;

/// A batch for classification.
#[derive(Debug, Clone)]
pub struct ClassificationBatch {
    /// `[B, C, H, W]`, normalised.
    pub images: Tensor<4>,
    /// `[B]` class indices.
    pub targets: Tensor<1, Int>,
}

/// A batch for segmentation.
#[derive(Debug, Clone)]
pub struct SegmentationBatch {
    /// `[B, C, H, W]`, normalised.
    pub images: Tensor<4>,
    /// `[B, H, W]` class ids (255 = ignore).
    pub masks: Tensor<3, Int>,
}

/// Batches [`ImageItem`]s.
#[derive(Debug, Clone)]
pub struct ClassificationBatcher {
    /// The conversion and normalisation.
    pub preprocessing: Preprocessing,
}

impl ClassificationBatcher {
    /// A batcher applying `preprocessing`.
    pub fn new(preprocessing: Preprocessing) -> Self {
        Self { preprocessing }
    }

    /// The normalised inputs of `items`, concatenated, and their labels.
    pub fn to_vectors(&self, items: &[ImageItem]) -> (Vec<f32>, Vec<i64>) {
        let per = self.preprocessing.input.numel();
        let mut images = vec![0.0f32; per * items.len()];
        images
            .par_chunks_mut(per.max(1))
            .zip(items.par_iter())
            .for_each(|(out, item)| {
                let v = self.preprocessing.apply(&item.pixels, item.shape);
                let n = out.len().min(v.len());
                out[..n].copy_from_slice(&v[..n]);
            });
        let targets = items.iter().map(|i| i.label as i64).collect();
        (images, targets)
    }
}

impl Batcher<ImageItem, ClassificationBatch> for ClassificationBatcher {
    fn batch(&self, items: Vec<ImageItem>, device: &Device) -> ClassificationBatch {
        let [c, h, w] = self.preprocessing.input.shape();
        let b = items.len();
        let (images, targets) = self.to_vectors(&items);
        ClassificationBatch {
            images: Tensor::from_data(TensorData::new(images, [b, c, h, w]), device),
            targets: Tensor::from_data(TensorData::new(targets, [b]), device),
        }
    }
}

/// Batches [`SegItem`]s (images normalised, masks fitted with nearest-neighbour sampling and the
/// ignore id in padding).
#[derive(Debug, Clone)]
pub struct SegmentationBatcher {
    /// The conversion and normalisation.
    pub preprocessing: Preprocessing,
}

impl SegmentationBatcher {
    /// A batcher applying `preprocessing`.
    pub fn new(preprocessing: Preprocessing) -> Self {
        Self { preprocessing }
    }
}

impl Batcher<SegItem, SegmentationBatch> for SegmentationBatcher {
    fn batch(&self, items: Vec<SegItem>, device: &Device) -> SegmentationBatch {
        let spec = self.preprocessing.input;
        let [c, h, w] = spec.shape();
        let b = items.len();
        let converted: Vec<(Vec<f32>, Vec<i64>)> = items
            .par_iter()
            .map(|item| {
                let (mut img, mask) = convert_seg(&item.pixels, item.shape, &item.mask, &spec);
                self.preprocessing.normalize_image(&mut img);
                (img.data, mask.data.iter().map(|&m| i64::from(m)).collect())
            })
            .collect();
        let mut images = Vec::with_capacity(b * c * h * w);
        let mut masks = Vec::with_capacity(b * h * w);
        for (i, m) in converted {
            images.extend(i);
            masks.extend(m);
        }
        SegmentationBatch {
            images: Tensor::from_data(TensorData::new(images, [b, c, h, w]), device),
            masks: Tensor::from_data(TensorData::new(masks, [b, h, w]), device),
        }
    }
}
