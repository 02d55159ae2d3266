//! Evaluation of a trained segmentation network on a dataset — mean pixel cross-entropy, the
//! confusion matrix and the scores read from it — and loading a trained one back.

use std::path::Path;

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataset::Dataset;
use burn::module::Module;
use burn::tensor::Device;
use data::{IGNORE_ID, SegItem, SegmentationBatch, SegmentationBatcher};
use model::segmentation::SegNetworkConfig;
use serde::Serialize;

use crate::confusion::ConfusionMatrix;
use crate::error::TrainError;
use crate::evaluate::read_items;
use crate::load::load_weights;
use crate::regularization::Regularization;
use crate::segmentation::loss::pixel_cross_entropy;
use crate::segmentation::segmenter::Segmenter;

/// Scores of a segmentation network on a dataset.
#[derive(Debug, Clone, Serialize)]
pub struct SegEvaluation {
    /// Mean pixel cross-entropy, unweighted (batches weighted by their images).
    pub loss: f64,
    /// Pixel accuracy in [0, 1].
    pub pixel_accuracy: f64,
    /// Mean IoU in [0, 1].
    pub miou: f64,
    /// IoU of every class (`None`: absent from targets and predictions).
    pub iou: Vec<Option<f64>>,
    /// Number of images.
    pub count: usize,
    /// The confusion matrix (rows: target, columns: prediction).
    #[serde(skip)]
    pub matrix: ConfusionMatrix,
}

/// Evaluate `model` (in evaluation mode) on every item of `dataset`.
pub fn evaluate_segmentation(
    model: &Segmenter,
    dataset: &dyn Dataset<SegItem>,
    batcher: &SegmentationBatcher,
    classes: usize,
    batch_size: usize,
    device: &Device,
) -> Result<SegEvaluation, TrainError> {
    let n = dataset.len();
    let mut matrix = ConfusionMatrix::new(classes);
    let mut loss_sum = 0.0f64;
    let mut start = 0;
    while start < n {
        let end = (start + batch_size.max(1)).min(n);
        let items = read_items(dataset, start, end)?;
        let SegmentationBatch { images, masks } = batcher.batch(items, device);
        let logits = model.network.forward(images);
        let loss = pixel_cross_entropy(logits.clone(), masks.clone(), i64::from(IGNORE_ID), None)
            .into_scalar::<f64>();
        loss_sum += loss * (end - start) as f64;
        let predictions: Vec<i64> = model
            .decision_scores(logits)
            .argmax(1)
            .into_data_as::<i64>()
            .iter::<i64>()
            .collect();
        let targets: Vec<i64> = masks.into_data_as::<i64>().iter::<i64>().collect();
        matrix.update(&targets, &predictions, i64::from(IGNORE_ID));
        start = end;
    }
    Ok(SegEvaluation {
        loss: loss_sum / n.max(1) as f64,
        pixel_accuracy: matrix.pixel_accuracy(),
        miou: matrix.mean_iou(),
        iou: matrix.iou(),
        count: n,
        matrix,
    })
}

/// Build the network of `config` on `device` and load the weights in `path`, in evaluation mode;
/// `class_weights` are the run's (its predictions are logit-adjusted by them).
pub fn load_segmenter(
    config: &SegNetworkConfig,
    path: &Path,
    class_weights: Option<Vec<f32>>,
    device: &Device,
) -> Result<Segmenter, TrainError> {
    let fresh = Segmenter::new(config.init(device)?, Regularization::none(), class_weights);
    Ok(load_weights(fresh, path)?.valid())
}
