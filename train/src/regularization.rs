//! L1, L2 and L1+L2 (elastic net) penalties on a module's parameters, added to the loss.
//!
//! Burn's optimisers only offer coupled L2 weight decay on the gradient; an L1 penalty has to be a
//! term of the loss. With λ₁ = `l1` and λ₂ = `l2`, over every float parameter θ of the module:
//!
//! `penalty = λ₁·Σ|θ| + (λ₂/2)·Σθ²`
//!
//! so `∂penalty/∂θ = λ₁·sign(θ) + λ₂·θ`: the L2 half has the gradient of weight decay λ₂ (Krogh &
//! Hertz 1992, "A Simple Weight Decay Can Improve Generalization"), the L1 part drives weights to
//! exactly zero (Tibshirani 1996, "Regression Shrinkage and Selection via the Lasso"), and both
//! together are the elastic net (Zou & Hastie 2005).
//!
//! Parameters are walked with [`model::params::visit_trainable`]; batch-norm running statistics
//! (fields named `running_mean` and `running_var`) are buffers, not parameters, and are skipped. Learnable
//! scales and biases (batch-norm γ/β, layer biases) are penalised like any weight, as PyTorch's
//! `weight_decay` does.

use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor};
use model::params::{RUNNING_STATS, TrainableVisitor, visit_trainable};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Field names whose tensors are running statistics, never penalised.
pub const SKIPPED_FIELDS: [&str; 2] = RUNNING_STATS;

/// Why a penalty configuration was rejected.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum RegularizationError {
    /// A coefficient is negative or not finite.
    #[error("regularization coefficient {name} must be a finite number >= 0, got {value}")]
    InvalidCoefficient {
        /// `l1` or `l2`.
        name: &'static str,
        /// The value given.
        value: f64,
    },
}

/// Coefficients of the L1 and L2 penalties (0 disables a term).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regularization {
    /// λ₁, the weight of `Σ|θ|`.
    #[serde(default)]
    pub l1: f64,
    /// λ₂, the weight of `½·Σθ²`.
    #[serde(default)]
    pub l2: f64,
}

impl Regularization {
    /// No penalty.
    pub fn none() -> Self {
        Self::default()
    }
    /// L1 only.
    pub fn l1(l1: f64) -> Self {
        Self { l1, l2: 0.0 }
    }
    /// L2 only.
    pub fn l2(l2: f64) -> Self {
        Self { l1: 0.0, l2 }
    }
    /// Both (elastic net).
    pub fn elastic_net(l1: f64, l2: f64) -> Self {
        Self { l1, l2 }
    }

    /// Whether both coefficients are zero.
    pub fn is_none(&self) -> bool {
        self.l1 == 0.0 && self.l2 == 0.0
    }

    /// Checks that both coefficients are finite and non-negative.
    pub fn validate(&self) -> Result<(), RegularizationError> {
        for (name, value) in [("l1", self.l1), ("l2", self.l2)] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(RegularizationError::InvalidCoefficient { name, value });
            }
        }
        Ok(())
    }

    /// `λ₁·Σ|θ| + (λ₂/2)·Σθ²` over the module's float parameters, as a one-element tensor on
    /// `device` (add it to the loss). Returns zero without walking the module when both
    /// coefficients are 0. On an autodiff device the result carries the parameters' gradients.
    pub fn penalty<M: Module>(&self, module: &M, device: &Device) -> Tensor<1> {
        penalty(module, self, device)
    }
}

/// `λ₁·Σ|θ| + (λ₂/2)·Σθ²` over `module`'s float parameters except running statistics; see
/// [`Regularization::penalty`].
pub fn penalty<M: Module>(module: &M, reg: &Regularization, device: &Device) -> Tensor<1> {
    let zero = Tensor::zeros([1], device);
    if reg.is_none() {
        return zero;
    }
    let mut visitor = PenaltyVisitor {
        reg: *reg,
        total: None,
    };
    visit_trainable(module, &mut visitor);
    visitor.total.unwrap_or(zero)
}

/// `Σ|θ|` over the module's float parameters except running statistics.
pub fn l1_norm<M: Module>(module: &M, device: &Device) -> Tensor<1> {
    penalty(module, &Regularization::l1(1.0), device)
}

/// `Σθ²` over the module's float parameters except running statistics.
pub fn squared_l2_norm<M: Module>(module: &M, device: &Device) -> Tensor<1> {
    penalty(module, &Regularization::l2(2.0), device)
}

/// Accumulates the penalty over the module's trainable parameters.
struct PenaltyVisitor {
    reg: Regularization,
    total: Option<Tensor<1>>,
}

impl PenaltyVisitor {
    fn add(&mut self, term: Tensor<1>) {
        self.total = Some(match self.total.take() {
            Some(total) => total + term,
            None => term,
        });
    }
}

impl TrainableVisitor for PenaltyVisitor {
    fn visit<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let theta = param.val();
        if self.reg.l1 != 0.0 {
            let l1 = theta.clone().abs().sum().mul_scalar(self.reg.l1);
            self.add(l1);
        }
        if self.reg.l2 != 0.0 {
            let l2 = theta.square().sum().mul_scalar(0.5 * self.reg.l2);
            self.add(l2);
        }
    }
}
