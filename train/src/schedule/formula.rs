//! The closed forms: the learning rate at time `t`, as a pure function of the configuration.
//!
//! Shared by the [`Scheduler`](super::Scheduler) that Burn's learner steps and by
//! `cargo xtask lr-schedule`, so what the tool prints is what training uses.

use std::f64::consts::PI;

use super::config::{Decay, ScheduleConfig, TimeUnit};

/// The learning rate at time `t`, `t` being counted in the schedule's unit (iterations or epochs)
/// from 0.
///
/// With `N = config.warmup > 0`, the first `N` units ramp linearly, `lr(t) = lr0 · (t + 1) / N`
/// for `t < N` (so the first step is `lr0 / N`, never zero, and step `N − 1` reaches `lr0`), and
/// the decay law then runs on the shifted time `t − N`, starting again from `lr0`.
///
/// The config is not validated here: call [`ScheduleConfig::validate`] first (the
/// [`Scheduler`](super::Scheduler) does).
pub fn lr_at(config: &ScheduleConfig, t: u64) -> f64 {
    let lr0 = config.lr0;
    let warmup = config.warmup;
    if t < warmup {
        return lr0 * (t + 1) as f64 / warmup as f64;
    }
    decayed(lr0, config.decay, t - warmup)
}

/// The decay law alone, at time `t` since its start.
fn decayed(lr0: f64, decay: Decay, t: u64) -> f64 {
    match decay {
        Decay::Constant => lr0,
        Decay::Step { gamma, step_size } => {
            let drops = t / step_size.max(1);
            let factor = match i32::try_from(drops) {
                Ok(n) => gamma.powi(n),
                Err(_) => gamma.powf(drops as f64),
            };
            lr0 * factor
        }
        Decay::Exponential { k } => lr0 * (-k * t as f64).exp(),
        Decay::TimeBased { k } => lr0 / (1.0 + k * t as f64),
        Decay::Cosine { min_lr, period } => {
            let period = period.unwrap_or(1).max(1);
            if t >= period {
                min_lr
            } else {
                let progress = t as f64 / period as f64;
                min_lr + (lr0 - min_lr) * 0.5 * (1.0 + (PI * progress).cos())
            }
        }
    }
}

/// The schedule time `t` of a 0-based optimiser iteration: the iteration itself for
/// [`TimeUnit::Iteration`], the number of completed epochs `⌊iteration / iterations_per_epoch⌋`
/// for [`TimeUnit::Epoch`] (an `iterations_per_epoch` of 0 is treated as 1).
pub fn time_of_iteration(unit: TimeUnit, iteration: u64, iterations_per_epoch: u64) -> u64 {
    match unit {
        TimeUnit::Iteration => iteration,
        TimeUnit::Epoch => iteration / iterations_per_epoch.max(1),
    }
}

/// The learning rate used at a 0-based optimiser iteration (what the scheduler returns from its
/// `iteration + 1`-th call to `step`).
pub fn lr_at_iteration(config: &ScheduleConfig, iteration: u64, iterations_per_epoch: u64) -> f64 {
    lr_at(
        config,
        time_of_iteration(config.unit, iteration, iterations_per_epoch),
    )
}
