//! The serialisable description of a learning-rate schedule and its validation.
//!
//! JSON shape (every key other than `lr0` and `decay` may be left out):
//!
//! ```json
//! { "lr0": 0.1, "decay": { "kind": "step", "gamma": 0.1, "step_size": 30 },
//!   "warmup": 5, "unit": "epoch" }
//! ```
//!
//! Unknown keys are rejected, so a misspelt option is an error rather than a silent default.

use serde::{Deserialize, Serialize};

use super::error::ScheduleError;

/// What one unit of the schedule's time `t` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// `t` counts optimiser iterations (mini-batches): the learning rate changes every step.
    #[default]
    Iteration,
    /// `t` counts completed epochs, `t = ⌊iteration / iterations_per_epoch⌋`: the learning rate
    /// is constant within an epoch and changes only at epoch boundaries.
    Epoch,
}

/// The decay law applied after the (optional) warm-up. `t` below is the time since the end of
/// the warm-up, in the schedule's [`TimeUnit`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Decay {
    /// `lr(t) = lr0`.
    Constant,
    /// Step decay: `lr(t) = lr0 · γ^⌊t / s⌋`.
    Step {
        /// Multiplicative factor γ applied every `step_size` units (e.g. 0.1).
        gamma: f64,
        /// Number of units `s` between two decays.
        step_size: u64,
    },
    /// Exponential decay: `lr(t) = lr0 · e^(−k·t)`.
    Exponential {
        /// Decay rate `k` per unit of time.
        k: f64,
    },
    /// Time-based (inverse-time) decay: `lr(t) = lr0 / (1 + k·t)`.
    TimeBased {
        /// Decay rate `k` per unit of time.
        k: f64,
    },
    /// Cosine annealing (Loshchilov & Hutter 2017, SGDR, without restarts):
    /// `lr(t) = min_lr + (lr0 − min_lr) · (1 + cos(π·t/T)) / 2` for `t ≤ T`, then `min_lr`.
    Cosine {
        /// The learning rate reached at `t = T` and kept afterwards.
        #[serde(default)]
        min_lr: f64,
        /// Length `T` of the annealing, in units; absent: the whole run (resolved by the
        /// experiment). Files written before this was an option say `0` for that.
        #[serde(
            default,
            deserialize_with = "zero_is_none",
            skip_serializing_if = "Option::is_none"
        )]
        period: Option<u64>,
    },
}

/// Reads a cosine period, turning the old "whole run" sentinel `0` into `None`.
fn zero_is_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(Option::<u64>::deserialize(d)?.filter(|p| *p > 0))
}

/// A complete learning-rate schedule: initial rate, decay law, optional linear warm-up and the
/// unit of time. See the [module documentation](super) for the formulas.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleConfig {
    /// The initial (peak, after warm-up) learning rate `lr0`.
    pub lr0: f64,
    /// The decay law.
    pub decay: Decay,
    /// Number of linear warm-up units `N` before the decay starts (0: none).
    #[serde(default)]
    pub warmup: u64,
    /// Whether `t` counts iterations or epochs.
    #[serde(default)]
    pub unit: TimeUnit,
}

impl ScheduleConfig {
    /// A constant learning rate `lr0`.
    pub fn constant(lr0: f64) -> Self {
        Self::new(lr0, Decay::Constant)
    }

    /// Step decay `lr0 · γ^⌊t / step_size⌋`.
    pub fn step(lr0: f64, gamma: f64, step_size: u64) -> Self {
        Self::new(lr0, Decay::Step { gamma, step_size })
    }

    /// Exponential decay `lr0 · e^(−k·t)`.
    pub fn exponential(lr0: f64, k: f64) -> Self {
        Self::new(lr0, Decay::Exponential { k })
    }

    /// Time-based decay `lr0 / (1 + k·t)`.
    pub fn time_based(lr0: f64, k: f64) -> Self {
        Self::new(lr0, Decay::TimeBased { k })
    }

    /// Cosine annealing from `lr0` to `min_lr` over `period` units.
    pub fn cosine(lr0: f64, min_lr: f64, period: u64) -> Self {
        Self::new(
            lr0,
            Decay::Cosine {
                min_lr,
                period: Some(period),
            },
        )
    }

    /// Cosine annealing from `lr0` to 0 over the whole run (the experiment resolves the period).
    pub fn cosine_over_run(lr0: f64) -> Self {
        Self::new(
            lr0,
            Decay::Cosine {
                min_lr: 0.0,
                period: None,
            },
        )
    }

    /// A schedule in iterations without warm-up.
    pub fn new(lr0: f64, decay: Decay) -> Self {
        Self {
            lr0,
            decay,
            warmup: 0,
            unit: TimeUnit::Iteration,
        }
    }

    /// The same schedule preceded by `warmup` units of linear warm-up.
    pub fn with_warmup(mut self, warmup: u64) -> Self {
        self.warmup = warmup;
        self
    }

    /// The same schedule with `t` counted in `unit`.
    pub fn with_unit(mut self, unit: TimeUnit) -> Self {
        self.unit = unit;
        self
    }

    /// Checks every parameter, returning the first problem found.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        if !(self.lr0.is_finite() && self.lr0 > 0.0) {
            return Err(ScheduleError::InvalidLr(self.lr0));
        }
        match self.decay {
            Decay::Constant => Ok(()),
            Decay::Step { gamma, step_size } => {
                if !(gamma.is_finite() && gamma > 0.0) {
                    Err(ScheduleError::InvalidGamma(gamma))
                } else if step_size == 0 {
                    Err(ScheduleError::ZeroStepSize)
                } else {
                    Ok(())
                }
            }
            Decay::Exponential { k } | Decay::TimeBased { k } => {
                if k.is_finite() && k >= 0.0 {
                    Ok(())
                } else {
                    Err(ScheduleError::InvalidK(k))
                }
            }
            Decay::Cosine { min_lr, period } => {
                if period.is_none_or(|p| p == 0) {
                    Err(ScheduleError::ZeroPeriod)
                } else if !(min_lr.is_finite() && (0.0..=self.lr0).contains(&min_lr)) {
                    Err(ScheduleError::InvalidMinLr {
                        min_lr,
                        lr0: self.lr0,
                    })
                } else {
                    Ok(())
                }
            }
        }
    }

    /// A short name of the decay law (`constant`, `step`, `exponential`, `time-based`, `cosine`).
    pub fn name(&self) -> &'static str {
        match self.decay {
            Decay::Constant => "constant",
            Decay::Step { .. } => "step",
            Decay::Exponential { .. } => "exponential",
            Decay::TimeBased { .. } => "time-based",
            Decay::Cosine { .. } => "cosine",
        }
    }
}

impl std::fmt::Display for ScheduleConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lr0 = self.lr0;
        match self.decay {
            Decay::Constant => write!(f, "constant lr={lr0}")?,
            Decay::Step { gamma, step_size } => {
                write!(f, "step lr0={lr0} gamma={gamma} step_size={step_size}")?
            }
            Decay::Exponential { k } => write!(f, "exponential lr0={lr0} k={k}")?,
            Decay::TimeBased { k } => write!(f, "time-based lr0={lr0} k={k}")?,
            Decay::Cosine { min_lr, period } => match period {
                Some(t) => write!(f, "cosine lr0={lr0} min_lr={min_lr} T={t}")?,
                None => write!(f, "cosine lr0={lr0} min_lr={min_lr} T=whole run")?,
            },
        }
        if self.warmup > 0 {
            write!(f, " warmup={}", self.warmup)?;
        }
        match self.unit {
            TimeUnit::Iteration => Ok(()),
            TimeUnit::Epoch => write!(f, " (t in epochs)"),
        }
    }
}
