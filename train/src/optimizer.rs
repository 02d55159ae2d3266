//! Optimisers: a serialisable [`OptimizerConfig`] with PyTorch-like defaults, built into Burn's
//! `ModuleOptimizer`.
//!
//! Methods (`kind` in JSON):
//! - `sgd`: plain stochastic gradient descent, `θ ← θ − η·g` (Robbins & Monro 1951).
//! - `momentum`: heavy-ball momentum (Polyak 1964; Sutskever et al. 2013),
//!   `v ← μ·v + (1 − d)·g`, `θ ← θ − η·v`.
//! - `nesterov`: Nesterov momentum (Nesterov 1983, as in Sutskever et al. 2013),
//!   `v ← μ·v + g`, `θ ← θ − η·(g + μ·v)`.
//! - `adam`: Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization".
//! - `adamw`: Adam with decoupled weight decay, Loshchilov & Hutter 2019 (ICLR; arXiv 2017),
//!   "Decoupled Weight Decay Regularization": `θ ← θ − η·λ·θ` besides the Adam step.
//! - `rmsprop`: Hinton, Srivastava & Swersky, Coursera "Neural Networks for Machine Learning",
//!   lecture 6e: `s ← α·s + (1 − α)·g²`, `θ ← θ − η·g / (√s + ε)` (optionally with momentum).
//! - `adagrad`: Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods":
//!   `s ← s + g²`, `θ ← θ − η·g / (√s + ε)`.
//!
//! `weight_decay` is classic coupled L2 (`g ← g + λ·θ` before the method's update, Burn's
//! `WeightDecayConfig`); AdamW's own decoupled decay is a field of its variant instead, and
//! combining both is rejected. `gradient_clipping` clips each gradient by value or by norm before
//! the update.
//!
//! Where Burn 0.22's defaults differ from PyTorch's (this module always sets them explicitly,
//! to the PyTorch value):
//!
//! | setting | Burn 0.22 default | PyTorch default (used here) |
//! | --- | --- | --- |
//! | momentum dampening (`MomentumConfig`) | 0.1 | 0 |
//! | Adam / AdamW ε | 1e-5 | 1e-8 |
//! | AdamW weight decay | 1e-4 | 1e-2 |
//! | RMSProp momentum | 0.9 | 0 |
//! | RMSProp ε | 1e-5 | 1e-8 |
//! | AdaGrad ε | 1e-5 | 1e-10 |
//!
//! Gradient clipping by norm differs in kind too: Burn clips each parameter tensor's gradient to
//! the given norm separately, whereas PyTorch's `clip_grad_norm_` rescales all gradients by their
//! global norm. Burn's optimisers keep their hyper-parameters in `f32`.

mod build;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why an optimiser configuration was rejected.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum OptimizerError {
    /// A hyper-parameter lies outside its valid range.
    #[error("optimizer {method}: {name} must be {range}, got {value}")]
    OutOfRange {
        /// The optimiser's `kind`.
        method: &'static str,
        /// The offending field.
        name: &'static str,
        /// The valid range, in words.
        range: &'static str,
        /// The value given.
        value: f64,
    },
    /// Coupled L2 weight decay was combined with AdamW's decoupled decay.
    #[error(
        "optimizer adamw: use its own (decoupled) `weight_decay` field; the coupled L2 \
         `weight_decay` must be 0 with adamw, got {0}"
    )]
    CoupledDecayWithAdamW(f64),
    /// An unknown optimiser name.
    #[error("unknown optimizer `{0}`; expected one of: {names}", names = Method::NAMES.join(", "))]
    UnknownName(String),
}

/// Gradient clipping, applied to each parameter's gradient before the update.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradientClip {
    /// Rescale each parameter tensor's gradient so its L2 norm is at most this value.
    Norm(f64),
    /// Clamp every gradient component to `[-value, value]`.
    Value(f64),
}

fn default_momentum() -> f64 {
    0.9
}
fn default_beta1() -> f64 {
    0.9
}
fn default_beta2() -> f64 {
    0.999
}
fn default_adam_eps() -> f64 {
    1e-8
}
fn default_adamw_decay() -> f64 {
    1e-2
}
fn default_rms_alpha() -> f64 {
    0.99
}
fn default_adagrad_eps() -> f64 {
    1e-10
}

/// The update rule and its own hyper-parameters (PyTorch defaults when left out of the JSON).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Method {
    /// Plain SGD.
    Sgd,
    /// SGD with heavy-ball momentum.
    Momentum {
        /// Momentum μ (default 0.9).
        #[serde(default = "default_momentum")]
        momentum: f64,
        /// Dampening d of the new gradient (default 0, as PyTorch; Burn's default is 0.1).
        #[serde(default)]
        dampening: f64,
    },
    /// SGD with Nesterov momentum (no dampening).
    Nesterov {
        /// Momentum μ (default 0.9).
        #[serde(default = "default_momentum")]
        momentum: f64,
    },
    /// Adam.
    Adam {
        /// β₁ (default 0.9).
        #[serde(default = "default_beta1")]
        beta1: f64,
        /// β₂ (default 0.999).
        #[serde(default = "default_beta2")]
        beta2: f64,
        /// ε (default 1e-8).
        #[serde(default = "default_adam_eps")]
        eps: f64,
    },
    /// AdamW (decoupled weight decay).
    #[serde(rename = "adamw")]
    AdamW {
        /// β₁ (default 0.9).
        #[serde(default = "default_beta1")]
        beta1: f64,
        /// β₂ (default 0.999).
        #[serde(default = "default_beta2")]
        beta2: f64,
        /// ε (default 1e-8).
        #[serde(default = "default_adam_eps")]
        eps: f64,
        /// Decoupled weight decay λ (default 1e-2).
        #[serde(default = "default_adamw_decay")]
        weight_decay: f64,
    },
    /// RMSProp.
    #[serde(rename = "rmsprop")]
    RmsProp {
        /// Smoothing constant α (default 0.99).
        #[serde(default = "default_rms_alpha")]
        alpha: f64,
        /// ε (default 1e-8).
        #[serde(default = "default_adam_eps")]
        eps: f64,
        /// Momentum (default 0; Burn's default is 0.9).
        #[serde(default)]
        momentum: f64,
        /// Normalise by the centred second moment (default false).
        #[serde(default)]
        centered: bool,
    },
    /// AdaGrad.
    #[serde(rename = "adagrad")]
    AdaGrad {
        /// Learning-rate decay: the rate at step t is `η / (1 + (t − 1)·lr_decay)` (default 0).
        #[serde(default)]
        lr_decay: f64,
        /// ε (default 1e-10).
        #[serde(default = "default_adagrad_eps")]
        eps: f64,
    },
}

impl Method {
    /// Every `kind`, in the order of the lecture.
    pub const NAMES: [&'static str; 7] = [
        "sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad",
    ];

    /// The method's `kind` name.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Sgd => "sgd",
            Method::Momentum { .. } => "momentum",
            Method::Nesterov { .. } => "nesterov",
            Method::Adam { .. } => "adam",
            Method::AdamW { .. } => "adamw",
            Method::RmsProp { .. } => "rmsprop",
            Method::AdaGrad { .. } => "adagrad",
        }
    }

    /// The method called `name` (one of [`Method::NAMES`]) with its default hyper-parameters.
    pub fn from_name(name: &str) -> Result<Self, OptimizerError> {
        let json = format!("{{\"kind\":{}}}", serde_json::Value::from(name));
        serde_json::from_str(&json).map_err(|_| OptimizerError::UnknownName(name.to_string()))
    }
}

/// An optimiser: the update rule, coupled L2 weight decay and gradient clipping.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptimizerConfig {
    /// The update rule.
    pub method: Method,
    /// Coupled L2 weight decay λ: `g ← g + λ·θ` (default 0).
    #[serde(default)]
    pub weight_decay: f64,
    /// Optional gradient clipping (default none).
    #[serde(default)]
    pub gradient_clipping: Option<GradientClip>,
}

impl From<Method> for OptimizerConfig {
    fn from(method: Method) -> Self {
        Self {
            method,
            weight_decay: 0.0,
            gradient_clipping: None,
        }
    }
}

impl OptimizerConfig {
    /// Plain SGD.
    pub fn sgd() -> Self {
        Method::Sgd.into()
    }
    /// SGD with momentum `momentum` and no dampening.
    pub fn momentum(momentum: f64) -> Self {
        Method::Momentum {
            momentum,
            dampening: 0.0,
        }
        .into()
    }
    /// SGD with Nesterov momentum `momentum`.
    pub fn nesterov(momentum: f64) -> Self {
        Method::Nesterov { momentum }.into()
    }
    /// Adam with PyTorch's defaults (β = 0.9, 0.999; ε = 1e-8).
    pub fn adam() -> Self {
        Self::named_default("adam")
    }
    /// AdamW with PyTorch's defaults (β = 0.9, 0.999; ε = 1e-8; decoupled decay 1e-2).
    pub fn adamw() -> Self {
        Self::named_default("adamw")
    }
    /// RMSProp with PyTorch's defaults (α = 0.99, ε = 1e-8, no momentum).
    pub fn rmsprop() -> Self {
        Self::named_default("rmsprop")
    }
    /// AdaGrad with PyTorch's defaults (no lr decay, ε = 1e-10).
    pub fn adagrad() -> Self {
        Self::named_default("adagrad")
    }

    fn named_default(name: &str) -> Self {
        Method::from_name(name).unwrap_or(Method::Sgd).into()
    }

    /// The optimiser called `name` (one of [`Method::NAMES`]) with its default hyper-parameters.
    pub fn from_name(name: &str) -> Result<Self, OptimizerError> {
        Method::from_name(name).map(Self::from)
    }

    /// The same optimiser with coupled L2 weight decay `weight_decay`.
    pub fn with_weight_decay(mut self, weight_decay: f64) -> Self {
        self.weight_decay = weight_decay;
        self
    }

    /// The same optimiser with gradient clipping.
    pub fn with_gradient_clipping(mut self, clip: Option<GradientClip>) -> Self {
        self.gradient_clipping = clip;
        self
    }

    /// Checks every hyper-parameter, returning the first problem found.
    pub fn validate(&self) -> Result<(), OptimizerError> {
        let method = self.method.name();
        let check = |name, value: f64, ok: bool, range| {
            if value.is_finite() && ok {
                Ok(())
            } else {
                Err(OptimizerError::OutOfRange {
                    method,
                    name,
                    range,
                    value,
                })
            }
        };
        let unit = |name, v: f64| check(name, v, (0.0..1.0).contains(&v), "in [0, 1)");
        let positive = |name, v: f64| check(name, v, v > 0.0, "> 0");
        let non_negative = |name, v: f64| check(name, v, v >= 0.0, ">= 0");

        non_negative("weight_decay", self.weight_decay)?;
        match self.gradient_clipping {
            Some(GradientClip::Norm(v)) => positive("gradient_clipping.norm", v)?,
            Some(GradientClip::Value(v)) => positive("gradient_clipping.value", v)?,
            None => {}
        }
        match self.method {
            Method::Sgd => Ok(()),
            Method::Momentum {
                momentum,
                dampening,
            } => {
                unit("momentum", momentum)?;
                check(
                    "dampening",
                    dampening,
                    (0.0..=1.0).contains(&dampening),
                    "in [0, 1]",
                )
            }
            Method::Nesterov { momentum } => unit("momentum", momentum),
            Method::Adam { beta1, beta2, eps } => {
                unit("beta1", beta1)?;
                unit("beta2", beta2)?;
                positive("eps", eps)
            }
            Method::AdamW {
                beta1,
                beta2,
                eps,
                weight_decay,
            } => {
                unit("beta1", beta1)?;
                unit("beta2", beta2)?;
                positive("eps", eps)?;
                non_negative("weight_decay (decoupled)", weight_decay)?;
                if self.weight_decay != 0.0 {
                    return Err(OptimizerError::CoupledDecayWithAdamW(self.weight_decay));
                }
                Ok(())
            }
            Method::RmsProp {
                alpha,
                eps,
                momentum,
                ..
            } => {
                unit("alpha", alpha)?;
                positive("eps", eps)?;
                unit("momentum", momentum)
            }
            Method::AdaGrad { lr_decay, eps } => {
                non_negative("lr_decay", lr_decay)?;
                positive("eps", eps)
            }
        }
    }
}
