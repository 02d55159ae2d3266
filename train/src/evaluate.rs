//! Evaluation of a trained network on a dataset: mean cross-entropy, top-1 and top-5 accuracy.
//! The test split is evaluated once, at the end of a run, with the best model; `infer`'s end-to-end
//! test compares its answers with this code's.

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataset::Dataset;
use burn::tensor::{Device, Int, Tensor};
use data::{ClassificationBatch, ClassificationBatcher, ImageItem};
use model::Network;
use serde::Serialize;

use crate::classifier::Classifier;
use crate::confusion::ConfusionMatrix;
use crate::error::TrainError;

/// Scores of a network on a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evaluation {
    /// Mean cross-entropy.
    pub loss: f64,
    /// Top-1 accuracy in [0, 1].
    pub top1: f64,
    /// Top-k accuracy in [0, 1], k = [`top_k_for`] the classes (1 when there are at most 5).
    pub top5: f64,
    /// Number of images.
    pub count: usize,
}

/// The k of every top-k accuracy of a run with `classes` classes: 5, or fewer when there are
/// fewer classes (Burn's top-k metric refuses a k above the number of classes).
pub fn top_k_for(classes: usize) -> usize {
    classes.clamp(1, 5)
}

/// How many of `targets` are among the `k` highest `logits` of their row.
pub fn top_k_hits(logits: Tensor<2>, targets: Tensor<1, Int>, k: usize) -> usize {
    let [batch, classes] = logits.dims();
    let k = k.min(classes);
    let top = logits.argsort_descending(1).slice([0..batch, 0..k]);
    let hits = top
        .equal(targets.reshape([batch, 1]).expand([batch, k]))
        .int()
        .sum();
    hits.into_scalar::<i64>() as usize
}

/// Evaluate `network` (in evaluation mode) on every item of `dataset`.
pub fn evaluate(
    network: &Network,
    dataset: &dyn Dataset<ImageItem>,
    batcher: &ClassificationBatcher,
    batch_size: usize,
    device: &Device,
) -> Result<Evaluation, TrainError> {
    evaluate_with_confusion(network, dataset, batcher, batch_size, device).map(|(e, _)| e)
}

/// [`evaluate`], also counting the confusion matrix of top-1 predictions.
pub fn evaluate_with_confusion(
    network: &Network,
    dataset: &dyn Dataset<ImageItem>,
    batcher: &ClassificationBatcher,
    batch_size: usize,
    device: &Device,
) -> Result<(Evaluation, ConfusionMatrix), TrainError> {
    let mut matrix = ConfusionMatrix::new(batcher.preprocessing.classes.len().max(1));
    let n = dataset.len();
    let (mut loss_sum, mut top1, mut top5) = (0.0f64, 0usize, 0usize);
    let mut start = 0;
    while start < n {
        let end = (start + batch_size.max(1)).min(n);
        let items = read_items(dataset, start, end)?;
        let ClassificationBatch { images, targets } = batcher.batch(items, device);
        let logits = network.forward(images);
        let loss = Classifier::cross_entropy(logits.clone(), targets.clone()).into_scalar::<f64>();
        loss_sum += loss * (end - start) as f64;
        let predicted: Vec<i64> = logits
            .clone()
            .argmax(1)
            .into_data_as::<i64>()
            .iter::<i64>()
            .collect();
        let truth: Vec<i64> = targets.to_data_as::<i64>().iter::<i64>().collect();
        matrix.update(&truth, &predicted, -1);
        top1 += top_k_hits(logits.clone(), targets.clone(), 1);
        top5 += top_k_hits(logits, targets, top_k_for(matrix.classes()));
        start = end;
    }
    let count = n.max(1) as f64;
    let evaluation = Evaluation {
        loss: loss_sum / count,
        top1: top1 as f64 / count,
        top5: top5 as f64 / count,
        count: n,
    };
    Ok((evaluation, matrix))
}

/// Items `start..end` of `dataset`; a failed read stops the evaluation with the dataset's error.
pub fn read_items<I>(
    dataset: &dyn Dataset<I>,
    start: usize,
    end: usize,
) -> Result<Vec<I>, TrainError> {
    (start..end)
        .map(|i| dataset.get(i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TrainError::Stopped(format!("reading evaluation item: {e}")))
}
