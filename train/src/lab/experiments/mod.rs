//! The experiments, one file each; [`runner`] maps a name to its function, `None` for the
//! names that are not implemented yet.

pub mod activations;
pub mod augmentation;
pub mod batch_norm;
pub mod batch_size;
pub mod common;
pub mod dropout;
pub mod filters;
pub mod filters_source;
pub mod init;
pub mod layers;
pub mod learning_rate;
pub mod lr_schedules;
pub mod optimizers;
pub mod pooling;
pub mod preprocessing;
pub mod regularization;
pub mod trajectories;

use super::{Ctx, ExperimentName, LabError, Report};

/// An experiment's entry point.
pub type Runner = fn(&Ctx) -> Result<Report, LabError>;

/// The function of experiment `name`, if it is implemented.
pub fn runner(name: ExperimentName) -> Option<Runner> {
    match name {
        ExperimentName::Init => Some(init::run),
        ExperimentName::Activations => Some(activations::run),
        ExperimentName::BatchNorm => Some(batch_norm::run),
        ExperimentName::BatchSize => Some(batch_size::run),
        ExperimentName::Dropout => Some(dropout::run),
        ExperimentName::Regularization => Some(regularization::run),
        ExperimentName::LrSchedules => Some(lr_schedules::run),
        ExperimentName::LearningRate => Some(learning_rate::run),
        ExperimentName::Optimizers => Some(optimizers::run),
        ExperimentName::Pooling => Some(pooling::run),
        ExperimentName::Augmentation => Some(augmentation::run),
        ExperimentName::Layers => Some(layers::run),
        ExperimentName::Preprocessing => Some(preprocessing::run),
        ExperimentName::Filters => Some(filters::run),
    }
}
