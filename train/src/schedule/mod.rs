//! Learning-rate schedules (the lecture's learning-rate slides).
//!
//! A [`ScheduleConfig`] gives the initial rate `lr0`, a [`Decay`] law, an optional linear
//! warm-up of `N` units and the [`TimeUnit`] of `t`. With `t` counted from 0 in that unit:
//!
//! | schedule | formula (for `t ≥ N`, `τ = t − N`) | parameters |
//! | --- | --- | --- |
//! | constant | `lr0` | |
//! | step decay | `lr0 · γ^⌊τ / s⌋` | `gamma` γ > 0, `step_size` s ≥ 1 |
//! | exponential decay | `lr0 · e^(−k·τ)` | `k` ≥ 0 |
//! | time-based decay | `lr0 / (1 + k·τ)` | `k` ≥ 0 |
//! | cosine annealing | `min + (lr0 − min) · (1 + cos(π·τ/T)) / 2` for `τ ≤ T`, then `min` | `min_lr` in [0, lr0], `period` T ≥ 1 |
//!
//! Warm-up (Goyal et al. 2017, "Accurate, Large Minibatch SGD"): for `t < N`,
//! `lr(t) = lr0 · (t + 1) / N`, a linear ramp whose last step reaches `lr0`; it composes with every
//! decay law, which then starts at `τ = 0`. Cosine annealing is from Loshchilov & Hutter 2017
//! ("SGDR: Stochastic Gradient Descent with Warm Restarts", here a single cycle, no restart).
//! Step, exponential and time-based (inverse-time) decay are the classic schedules of e.g.
//! Bengio 2012 ("Practical recommendations for gradient-based training of deep architectures").
//!
//! Units: with [`TimeUnit::Iteration`] `t` is the 0-based optimiser iteration; with
//! [`TimeUnit::Epoch`] `t = ⌊iteration / iterations_per_epoch⌋`, so although Burn's learner steps
//! the scheduler every iteration, the rate changes only at epoch boundaries.
//!
//! Relation to Burn's own schedulers: Burn's `StepLrScheduler` (`lr0·γ^⌊i/s⌋`) is the step decay
//! in iterations; Burn's `ExponentialLrScheduler` (`lr0·γ^i`) is the exponential decay with
//! `k = −ln γ`. Burn has no time-based decay.
//!
//! [`lr_at`] is the pure closed form, shared with `cargo xtask lr-schedule`; [`Scheduler`]
//! implements Burn's `LrScheduler` and keeps its iteration counter in the record so that a resumed
//! run continues the same sequence.

mod config;
mod error;
mod formula;
mod scheduler;

pub use config::{Decay, ScheduleConfig, TimeUnit};
pub use error::ScheduleError;
pub use formula::{lr_at, lr_at_iteration, time_of_iteration};
pub use scheduler::{ITERATION_KEY, Scheduler};
