//! What a run's `report.html` shows of its test predictions: the test images a trained
//! classifier got most wrong (the misclassified ones to which it gave the highest probability
//! for its wrong answer), or a segmenter's image / truth / prediction triplets.

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataset::Dataset;
use burn::tensor::Device;
use burn::tensor::activation::softmax;
use data::{ClassificationBatch, ClassificationBatcher, ImageItem, SegItem, SegmentationBatcher};
use model::Network;

use crate::error::TrainError;
use crate::evaluate::read_items;
use crate::lab::tiles::Tile;
use crate::segmentation::segmenter::Segmenter;

/// One misclassified test image.
#[derive(Debug, Clone)]
pub struct Mistake {
    /// Its index in the test split.
    pub index: usize,
    /// Its stored pixels in [0, 1], CHW.
    pub pixels: Vec<f32>,
    /// `[c, h, w]` of `pixels`.
    pub shape: [usize; 3],
    /// The true class.
    pub truth: usize,
    /// The predicted class.
    pub predicted: usize,
    /// The probability the network gave its prediction.
    pub confidence: f64,
}

/// What a run's report shows of its test predictions.
#[derive(Debug, Clone)]
pub enum Gallery {
    /// A classifier's most confident mistakes and the class names.
    Mistakes {
        /// Most confident first.
        items: Vec<Mistake>,
        /// Class names in label order.
        classes: Vec<String>,
    },
    /// A segmenter's first test images: image, true mask, predicted mask (class ids in grey,
    /// one shade per class), three tiles per image.
    Triplets(Vec<Tile>),
    /// Nothing drawn, and why.
    Note(String),
}

/// The `keep` misclassified items of `dataset` with the most confident wrong answers of
/// `network` (most confident first).
pub fn most_wrong(
    network: &Network,
    dataset: &dyn Dataset<ImageItem>,
    batcher: &ClassificationBatcher,
    batch_size: usize,
    device: &Device,
    keep: usize,
) -> Result<Vec<Mistake>, TrainError> {
    let mut wrong: Vec<(f64, usize, usize, usize)> = Vec::new();
    let step = batch_size.max(1);
    for start in (0..dataset.len()).step_by(step) {
        let end = (start + step).min(dataset.len());
        let ClassificationBatch { images, targets } =
            batcher.batch(read_items(dataset, start, end)?, device);
        let probs = softmax(network.forward(images), 1);
        let classes = probs.dims()[1];
        let p: Vec<f64> = probs.into_data_as::<f64>().iter::<f64>().collect();
        let truth: Vec<i64> = targets.into_data_as::<i64>().iter::<i64>().collect();
        for (k, row) in p.chunks_exact(classes).enumerate() {
            let (pred, conf) = row
                .iter()
                .copied()
                .enumerate()
                .fold((0, f64::MIN), |b, (c, v)| if v > b.1 { (c, v) } else { b });
            if pred as i64 != truth[k] {
                wrong.push((conf, start + k, truth[k].max(0) as usize, pred));
            }
        }
    }
    wrong.sort_by(|a, b| b.0.total_cmp(&a.0));
    wrong
        .into_iter()
        .take(keep)
        .map(|(confidence, index, truth, predicted)| {
            let item = read_items(dataset, index, index + 1)?.remove(0);
            Ok(Mistake {
                index,
                pixels: (0..item.pixels.len())
                    .map(|i| item.pixels.value(i))
                    .collect(),
                shape: item.shape,
                truth,
                predicted,
                confidence,
            })
        })
        .collect()
}

/// Image, true mask and predicted mask of the first `n` items of `dataset` under `model`.
pub fn seg_triplets(
    model: &Segmenter,
    dataset: &dyn Dataset<SegItem>,
    batcher: &SegmentationBatcher,
    classes: usize,
    n: usize,
    device: &Device,
) -> Result<Vec<Tile>, TrainError> {
    let items = read_items(dataset, 0, n.min(dataset.len()))?;
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let batch = batcher.batch(items.clone(), device);
    let [_, _, h, w] = batch.images.dims();
    if let Some(odd) = items.iter().find(|i| i.shape[1..] != [h, w]) {
        return Err(TrainError::Config(format!(
            "test image of {:?} is resized to {h}×{w} for the network; its mask is not",
            odd.shape
        )));
    }
    let predicted: Vec<f32> = model
        .scores(batch.images)
        .argmax(1)
        .into_data_as::<i64>()
        .iter::<i64>()
        .map(|c| c as f32)
        .collect();
    let top = classes.saturating_sub(1) as f32;
    let mut tiles = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let pixels = (0..item.pixels.len())
            .map(|i| item.pixels.value(i))
            .collect();
        let truth = item.mask.iter().map(|&c| f32::from(c)).collect();
        let pred = predicted[k * h * w..(k + 1) * h * w].to_vec();
        tiles.push(Tile::new(pixels, item.shape).labelled("image"));
        tiles.push(
            Tile::new(truth, [1, item.shape[1], item.shape[2]])
                .with_range(0.0, top)
                .labelled("truth"),
        );
        tiles.push(
            Tile::new(pred, [1, h, w])
                .with_range(0.0, top)
                .labelled("predicted"),
        );
    }
    Ok(tiles)
}
