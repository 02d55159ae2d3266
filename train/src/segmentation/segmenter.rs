//! The module Burn's `Learner` trains for segmentation: a zoo [`SegNetwork`] with the pixel-wise
//! cross-entropy (ignore id 255, optional class weights) and the L1/L2 penalties, and the output the
//! metrics read (loss, predicted class map, target mask).
//!
//! Class weights make the rare classes learn fast, but a network trained with them scores class `c`
//! as `w_c·p(c|x)` (the weighted loss's minimiser), so its arg-max paints rare classes over their
//! neighbours. Every prediction therefore uses `logits − ln w` (logit adjustment, Menon et al.,
//! *Long-tail learning via logit adjustment*, ICLR 2021): the arg-max of the unweighted posterior.

use burn::module::Module;
use burn::tensor::{ExecutionError, Int, Tensor, TensorData};
use burn::train::InferenceStep;
use burn::train::metric::{Adaptor, ItemLazy, LossInput};
use data::{IGNORE_ID, SegmentationBatch};
use model::segmentation::SegNetwork;

use crate::regularization::Regularization;
use crate::segmentation::loss::pixel_cross_entropy;
use crate::segmentation::metric::SegmentationInput;

/// A segmentation network with its training loss.
#[derive(Module, Debug)]
pub struct Segmenter {
    /// The network being trained.
    pub network: SegNetwork,
    #[module(skip)]
    regularization: Regularization,
    #[module(skip)]
    class_weights: Option<Vec<f32>>,
    /// Factor of the optimised loss (`1/N` on N devices, whose gradients Burn sums).
    #[module(skip)]
    loss_scale: f64,
}

/// What a step hands to the metrics.
pub struct SegmentationOutput {
    /// Mean pixel cross-entropy (without penalties).
    pub loss: Tensor<1>,
    /// Predicted class of every pixel, `[B, H, W]`.
    pub predictions: Tensor<3, Int>,
    /// Target class ids, `[B, H, W]` (255 = ignore).
    pub targets: Tensor<3, Int>,
}

impl Segmenter {
    /// Wrap `network`; `class_weights` (one per class) weight the loss.
    pub fn new(
        network: SegNetwork,
        regularization: Regularization,
        class_weights: Option<Vec<f32>>,
    ) -> Self {
        Self {
            network,
            regularization,
            class_weights,
            loss_scale: 1.0,
        }
    }

    /// Scale the optimised loss by `scale` (data-parallel replicas; see `crate::distributed`).
    pub fn with_loss_scale(mut self, scale: f64) -> Self {
        self.loss_scale = scale;
        self
    }

    /// The class weights the loss uses (`None`: all 1).
    pub fn class_weights(&self) -> Option<&[f32]> {
        self.class_weights.as_deref()
    }

    /// Decision scores from logits: `logits − ln w` per class (classes of weight 0, never seen in
    /// training, are not shifted).
    pub fn decision_scores(&self, logits: Tensor<4>) -> Tensor<4> {
        let Some(w) = &self.class_weights else {
            return logits;
        };
        let shift: Vec<f32> = w
            .iter()
            .map(|&v| if v > 0.0 { v.ln() } else { 0.0 })
            .collect();
        let c = shift.len();
        let shift = Tensor::<1>::from_data(TensorData::new(shift, [c]), &logits.device());
        logits - shift.reshape([1, c, 1, 1])
    }

    /// Decision scores `[B, classes, H, W]` for images `[B, C, H, W]` (arg-max = the predicted mask).
    pub fn scores(&self, images: Tensor<4>) -> Tensor<4> {
        self.decision_scores(self.network.forward(images))
    }

    /// Scores `[B, classes, H, W]`, the data loss and the total loss (with penalties).
    fn losses(&self, batch: SegmentationBatch) -> (SegmentationOutput, Tensor<1>) {
        let logits = self.network.forward(batch.images);
        let device = logits.device();
        let weights = self
            .class_weights
            .as_ref()
            .map(|w| Tensor::<1>::from_data(TensorData::new(w.clone(), [w.len()]), &device));
        let loss = pixel_cross_entropy(
            logits.clone(),
            batch.masks.clone(),
            i64::from(IGNORE_ID),
            weights,
        );
        let total = if self.regularization.is_none() {
            loss.clone()
        } else {
            loss.clone() + self.regularization.penalty(&self.network, &device)
        };
        let predictions = self
            .decision_scores(logits.detach())
            .argmax(1)
            .squeeze_dim::<3>(1);
        (
            SegmentationOutput {
                loss,
                predictions,
                targets: batch.masks,
            },
            total,
        )
    }
}

impl ItemLazy for SegmentationOutput {
    fn sync(self) -> Result<Self, ExecutionError> {
        self.loss.device().flush()?;
        Ok(Self {
            loss: self.loss.without_autodiff(),
            predictions: self.predictions.without_autodiff(),
            targets: self.targets.without_autodiff(),
        })
    }
}

impl Adaptor<LossInput> for SegmentationOutput {
    fn adapt(&self) -> LossInput {
        LossInput::new(self.loss.clone())
    }
}

impl Adaptor<SegmentationInput> for SegmentationOutput {
    fn adapt(&self) -> SegmentationInput {
        SegmentationInput::new(self.predictions.clone(), self.targets.clone())
    }
}

crate::learning::train_step!(Segmenter, SegmentationBatch, SegmentationOutput);

impl InferenceStep for Segmenter {
    type Input = SegmentationBatch;
    type Output = SegmentationOutput;

    fn step(&self, batch: SegmentationBatch) -> SegmentationOutput {
        self.losses(batch).0
    }
}
