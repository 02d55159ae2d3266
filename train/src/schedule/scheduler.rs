//! [`Scheduler`]: a [`ScheduleConfig`] driven by Burn's learner through its `LrScheduler` trait.
//!
//! Burn 0.22's learner calls [`LrScheduler::step`] once per iteration, before each optimiser
//! step, and saves [`LrScheduler::to_record`] in every checkpoint. The only state is the number of
//! iterations already stepped, stored under [`ITERATION_KEY`], so a resumed run continues the
//! exact sequence; the learning rate itself is recomputed from the closed form, never accumulated,
//! so no rounding drift builds up.

use burn::optim::LearningRate;
use burn::optim::lr_scheduler::{LrScheduler, LrSchedulerRecord};

use super::config::{ScheduleConfig, TimeUnit};
use super::error::ScheduleError;
use super::formula::lr_at_iteration;

/// The key of the iteration counter in the scheduler's record.
pub const ITERATION_KEY: &str = "iteration";

/// A learning-rate scheduler following a [`ScheduleConfig`].
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduler {
    config: ScheduleConfig,
    iterations_per_epoch: u64,
    iteration: u64,
}

impl Scheduler {
    /// Validates `config` and builds a scheduler at iteration 0.
    ///
    /// `iterations_per_epoch` (the number of mini-batches in one training epoch) converts
    /// iterations to epochs for an epoch-based schedule; it must then be at least 1. It is
    /// ignored for an iteration-based schedule.
    pub fn new(config: ScheduleConfig, iterations_per_epoch: u64) -> Result<Self, ScheduleError> {
        config.validate()?;
        if config.unit == TimeUnit::Epoch && iterations_per_epoch == 0 {
            return Err(ScheduleError::ZeroIterationsPerEpoch);
        }
        Ok(Self {
            config,
            iterations_per_epoch: iterations_per_epoch.max(1),
            iteration: 0,
        })
    }

    /// The schedule followed.
    pub fn config(&self) -> &ScheduleConfig {
        &self.config
    }

    /// The number of iterations stepped so far (the 0-based index of the next one).
    pub fn iteration(&self) -> u64 {
        self.iteration
    }

    /// The learning rate the next call to `step` will return, without stepping.
    pub fn peek(&self) -> LearningRate {
        lr_at_iteration(&self.config, self.iteration, self.iterations_per_epoch)
    }
}

impl LrScheduler for Scheduler {
    fn step(&mut self) -> LearningRate {
        let lr = self.peek();
        self.iteration = self.iteration.saturating_add(1);
        lr
    }

    fn to_record(&self) -> LrSchedulerRecord {
        LrSchedulerRecord::new().with_scalar(ITERATION_KEY, self.iteration)
    }

    /// Restores the iteration counter. A record without it (e.g. from another scheduler type)
    /// leaves the scheduler unchanged, as Burn's own schedulers do.
    fn load_record(&mut self, record: LrSchedulerRecord) {
        if let Some(iteration) = record.scalar::<u64>(ITERATION_KEY) {
            self.iteration = iteration;
        }
    }
}

impl ScheduleConfig {
    /// Validates the schedule and builds its [`Scheduler`] (see [`Scheduler::new`]).
    pub fn init(self, iterations_per_epoch: u64) -> Result<Scheduler, ScheduleError> {
        Scheduler::new(self, iterations_per_epoch)
    }
}
