//! Burn metrics for segmentation — mean IoU and pixel accuracy — read from a confusion matrix
//! accumulated over the whole epoch (the epoch's mIoU is not the mean of per-batch mIoUs). The
//! value shown while an epoch runs is the score of the pixels seen so far in it.

use std::sync::Arc;

use burn::tensor::{Int, Tensor, TensorReadError};
use burn::train::metric::state::{FormatOptions, NumericMetricState};
use burn::train::metric::{
    Metric, MetricAttributes, MetricMetadata, MetricName, Numeric, NumericAttributes, NumericEntry,
    SerializedEntry,
};
use data::IGNORE_ID;

use crate::confusion::ConfusionMatrix;

/// Predicted and target class maps of one batch, `[B, H, W]` each.
pub struct SegmentationInput {
    predictions: Tensor<3, Int>,
    targets: Tensor<3, Int>,
}

impl SegmentationInput {
    /// The input of one batch.
    pub fn new(predictions: Tensor<3, Int>, targets: Tensor<3, Int>) -> Self {
        Self {
            predictions,
            targets,
        }
    }
}

/// Which score a [`SegmentationMetric`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Score {
    MeanIou,
    PixelAccuracy,
}

/// Mean IoU or pixel accuracy (in %) over the epoch so far.
#[derive(Clone)]
pub struct SegmentationMetric {
    name: MetricName,
    score: Score,
    matrix: ConfusionMatrix,
    images: usize,
    state: NumericMetricState,
}

impl SegmentationMetric {
    fn new(name: &str, score: Score, classes: usize) -> Self {
        Self {
            name: Arc::new(name.to_string()),
            score,
            matrix: ConfusionMatrix::new(classes),
            images: 0,
            state: NumericMetricState::new(),
        }
    }

    /// Mean IoU over the classes present in target or prediction; named `mIoU`.
    pub fn mean_iou(classes: usize) -> Self {
        Self::new("mIoU", Score::MeanIou, classes)
    }

    /// Fraction of correctly labelled (non-ignored) pixels; named `Pixel Accuracy`.
    pub fn pixel_accuracy(classes: usize) -> Self {
        Self::new("Pixel Accuracy", Score::PixelAccuracy, classes)
    }

    fn current(&self) -> f64 {
        let v = match self.score {
            Score::MeanIou => self.matrix.mean_iou(),
            Score::PixelAccuracy => self.matrix.pixel_accuracy(),
        };
        if v.is_finite() { 100.0 * v } else { 0.0 }
    }

    fn format(&self) -> FormatOptions {
        FormatOptions::new(self.name.clone()).unit("%").precision(2)
    }
}

impl Metric for SegmentationMetric {
    type Input = SegmentationInput;

    fn name(&self) -> MetricName {
        self.name.clone()
    }

    fn update(
        &mut self,
        input: &SegmentationInput,
        _metadata: &MetricMetadata,
    ) -> Result<SerializedEntry, TensorReadError> {
        let [batch, _, _] = input.targets.dims();
        let targets = input.targets.clone().try_into_data_as::<i64>()?;
        let predictions = input.predictions.clone().try_into_data_as::<i64>()?;
        let targets: Vec<i64> = targets.iter::<i64>().collect();
        let predictions: Vec<i64> = predictions.iter::<i64>().collect();
        self.matrix
            .update(&targets, &predictions, i64::from(IGNORE_ID));
        self.images += batch;
        // The running value is the epoch's score so far, counted once per image seen.
        self.state.reset();
        self.state.update(self.current(), self.images);
        Ok(self.state.compute_update(self.format()))
    }

    fn compute(&mut self) -> Result<SerializedEntry, TensorReadError> {
        Ok(self.state.compute_final(self.format()))
    }

    fn clear(&mut self) {
        self.matrix = ConfusionMatrix::new(self.matrix.classes());
        self.images = 0;
        self.state.reset();
    }

    fn attributes(&self) -> MetricAttributes {
        NumericAttributes {
            unit: Some("%".to_string()),
            higher_is_better: true,
        }
        .into()
    }
}

impl Numeric for SegmentationMetric {
    fn value(&self) -> Option<NumericEntry> {
        Some(self.state.current_value())
    }

    fn running_value(&self) -> Option<NumericEntry> {
        Some(self.state.running_value())
    }

    fn final_value(&self) -> NumericEntry {
        self.state.final_value()
    }
}
