//! The module Burn's `Learner` trains: a zoo [`Network`] plus the loss recipe — cross-entropy,
//! GoogLeNet's weighted auxiliary losses and the L1/L2 penalties (Burn has no L1, so penalties are
//! added to the loss here).

use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::tensor::{Int, Tensor};
use burn::train::{ClassificationOutput, InferenceStep};
use data::ClassificationBatch;
use model::Network;

use crate::regularization::Regularization;

/// A network with its training loss.
#[derive(Module, Debug)]
pub struct Classifier {
    /// The network being trained.
    pub network: Network,
    #[module(skip)]
    regularization: Regularization,
    #[module(skip)]
    aux_weight: f64,
    /// Factor of the optimised loss (`1/N` on N devices, whose gradients Burn sums).
    #[module(skip)]
    loss_scale: f64,
}

impl Classifier {
    /// Wrap `network`; `aux_weight` scales auxiliary-head losses (GoogLeNet), 0 ignores them.
    pub fn new(network: Network, regularization: Regularization, aux_weight: f64) -> Self {
        Self {
            network,
            regularization,
            aux_weight,
            loss_scale: 1.0,
        }
    }

    /// Scale the optimised loss by `scale` (data-parallel replicas; see `crate::distributed`).
    pub fn with_loss_scale(mut self, scale: f64) -> Self {
        self.loss_scale = scale;
        self
    }

    /// Cross-entropy of logits against class ids, averaged over the batch.
    pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        CrossEntropyLossConfig::new()
            .init(&logits.device())
            .forward(logits, targets)
    }

    /// Logits, the data loss (reported) and the total loss (optimised).
    fn losses(&self, batch: ClassificationBatch) -> (ClassificationOutput, Tensor<1>) {
        let targets = batch.targets;
        let (logits, aux) = if self.aux_weight > 0.0 {
            self.network.forward_with_aux(batch.images)
        } else {
            (self.network.forward(batch.images), Vec::new())
        };
        let loss = Self::cross_entropy(logits.clone(), targets.clone());
        let mut total = loss.clone();
        for aux_logits in aux {
            total = total
                + Self::cross_entropy(aux_logits, targets.clone()).mul_scalar(self.aux_weight);
        }
        if !self.regularization.is_none() {
            total = total + self.regularization.penalty(&self.network, &logits.device());
        }
        (ClassificationOutput::new(loss, logits, targets), total)
    }
}

crate::learning::train_step!(Classifier, ClassificationBatch, ClassificationOutput);

impl InferenceStep for Classifier {
    type Input = ClassificationBatch;
    type Output = ClassificationOutput;

    fn step(&self, batch: ClassificationBatch) -> ClassificationOutput {
        let targets = batch.targets;
        let logits = self.network.forward(batch.images);
        let loss = Self::cross_entropy(logits.clone(), targets.clone());
        ClassificationOutput::new(loss, logits, targets)
    }
}
