//! Errors raised when a [`ScheduleConfig`](super::ScheduleConfig) is invalid.

use thiserror::Error;

/// Why a learning-rate schedule was rejected.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ScheduleError {
    /// The initial learning rate is zero, negative or not finite.
    #[error("learning rate lr0 must be a positive finite number, got {0}")]
    InvalidLr(f64),
    /// The decay rate `k` of the exponential or time-based schedule is negative or not finite.
    #[error("decay rate k must be a finite number >= 0, got {0}")]
    InvalidK(f64),
    /// The factor `gamma` of the step schedule is zero, negative or not finite.
    #[error("step decay factor gamma must be a positive finite number, got {0}")]
    InvalidGamma(f64),
    /// The step schedule's step size is zero.
    #[error(
        "step size must be at least 1 (the learning rate is multiplied by gamma every step_size units)"
    )]
    ZeroStepSize,
    /// The cosine schedule's period is zero.
    #[error("cosine period T must be at least 1 (or absent in an experiment: the whole run)")]
    ZeroPeriod,
    /// The cosine schedule's minimum is negative, not finite or above lr0.
    #[error("cosine min_lr must lie in [0, lr0 = {lr0}], got {min_lr}")]
    InvalidMinLr {
        /// The minimum learning rate that was given.
        min_lr: f64,
        /// The initial learning rate it must not exceed.
        lr0: f64,
    },
    /// An epoch-based schedule was built with zero iterations per epoch.
    #[error("an epoch-based schedule needs iterations_per_epoch >= 1")]
    ZeroIterationsPerEpoch,
}
