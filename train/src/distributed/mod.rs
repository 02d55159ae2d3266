//! Data-parallel training: one run on several devices of one host, or on several MPI ranks.
//!
//! - [`Parallel::Devices`] (`--devices 0,1`) hands the run to Burn's own multi-device strategy
//!   (`ExecutionStrategy::MultiDevice`, the optimiser on the main device): each device trains a
//!   `batch_size / N` slice of the global batch, the gradients are gathered and summed on the
//!   first device, and the loss is scaled by `1/N` so that the sum is the gradient of the mean
//!   over the global batch ([`devices`]).
//! - [`Parallel::Mpi`] (`mpirun -np N … --distributed mpi`, cargo feature `mpi`) runs one process
//!   per rank: each reads a disjoint, equal-size shard of every epoch ([`shard`]), the gradients
//!   are averaged with an all-reduce every step ([`grads`], [`strategy`]), rank 0 alone writes the
//!   run folder ([`ranks`]).
//!
//! In both, `batch_size` is the **global** batch (the sum over devices or ranks): the experiment,
//! its learning-rate schedule (which counts global steps) and its `config.json` are those of the
//! same run on one device, so a run may be resumed with another device or rank count.

pub mod collective;
pub mod devices;
pub mod grads;
#[cfg(feature = "mpi")]
pub mod mpi;
pub mod payload;
pub mod ranks;
pub mod shard;
pub mod strategy;
pub mod weights;

use burn::train::{LearnerModel, SupervisedTraining};

use crate::ExperimentConfig;
use crate::error::TrainError;

pub use ranks::{run_planned, train_distributed};

/// How a run is spread over devices or processes (not saved in `config.json`: the same run may
/// be continued on another layout).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Parallel {
    /// One device, Burn's single-device strategy.
    #[default]
    Single,
    /// Several devices of this host (indices; on the CPU they are worker slots of the one CPU
    /// device), Burn's multi-device strategy.
    Devices(Vec<usize>),
    /// One MPI rank of a job started by `mpirun`.
    Mpi,
}

/// The parallelism flags of `cargo xtask train`.
#[derive(Debug, Clone, Default, PartialEq, clap::Args)]
pub struct ParallelArgs {
    /// Train on several devices of this host with Burn's multi-device strategy, e.g. `0,1`
    /// (GPU indices with --backend wgpu; on the CPU, N worker slots of the one CPU device).
    /// --batch-size stays the global batch, split evenly between the devices.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub devices: Option<Vec<usize>>,
    /// `mpi`: this process is one rank of `mpirun -np N …` (cargo feature `mpi`); every rank
    /// trains a shard of each epoch, gradients are averaged every step, rank 0 writes the run.
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub distributed: Option<Engine>,
}

/// A multi-process engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// MPI (OpenMPI, MPICH): `mpirun -np N`.
    Mpi,
}

impl ParallelArgs {
    /// The layout the flags ask for.
    pub fn parallel(&self) -> Result<Parallel, TrainError> {
        match (&self.devices, self.distributed) {
            (Some(_), Some(_)) => Err(TrainError::Config(
                "--devices and --distributed cannot be combined: with MPI each rank trains on one device"
                    .into(),
            )),
            (Some(list), None) if list.is_empty() => {
                Err(TrainError::Config("--devices needs at least one index".into()))
            }
            (Some(list), None) if list.len() == 1 => Ok(Parallel::Single),
            (Some(list), None) => Ok(Parallel::Devices(list.clone())),
            (None, Some(Engine::Mpi)) => Ok(Parallel::Mpi),
            (None, None) => Ok(Parallel::Single),
        }
    }
}

/// How many replicas share each global batch: devices, or MPI ranks.
pub fn replicas(config: &ExperimentConfig) -> usize {
    match &config.parallel {
        Parallel::Single => 1,
        Parallel::Devices(list) => list.len(),
        Parallel::Mpi => collective::world().size(),
    }
}

/// The batch each replica's loader yields: the global batch split evenly, or an error saying
/// why it cannot be.
pub fn replica_batch(config: &ExperimentConfig) -> Result<usize, TrainError> {
    let n = replicas(config);
    if !config.batch_size.is_multiple_of(n) || config.batch_size < n {
        return Err(TrainError::Config(format!(
            "batch size {} cannot be split evenly over {n} replicas (devices or ranks): --batch-size \
             is the global batch; pick a multiple of {n}",
            config.batch_size
        )));
    }
    Ok(config.batch_size / n)
}

/// Optimiser steps per epoch over `train_len` training items: what the learning-rate schedule
/// counts (global steps, each consuming one global batch).
pub fn steps_per_epoch(train_len: usize, config: &ExperimentConfig) -> usize {
    let n = replicas(config);
    let b = (config.batch_size / n).max(1);
    match &config.parallel {
        Parallel::Single => train_len.div_ceil(config.batch_size.max(1)),
        // Burn gives the last device the remainder of its contiguous slices; the longest decides.
        Parallel::Devices(_) => (train_len - (n - 1) * (train_len / n)).div_ceil(b),
        Parallel::Mpi => shard::ShardPlan::new(train_len, 0, n, 0).len().div_ceil(b),
    }
}

/// The batch each replica's training loader yields (the global batch split evenly; an uneven
/// split is refused before training by [`replica_batch`]).
pub fn loader_batch(config: &ExperimentConfig) -> usize {
    (config.batch_size / replicas(config)).max(1)
}

/// The factor each replica's loss is scaled by, so that Burn's summed gradients are those of the
/// mean over the global batch (1 unless Burn's multi-device strategy sums them).
pub fn loss_scale(config: &ExperimentConfig) -> f64 {
    match &config.parallel {
        Parallel::Devices(list) => 1.0 / list.len() as f64,
        _ => 1.0,
    }
}

/// Give `training` the strategy of the config's layout (none for one device).
pub fn attach<M: LearnerModel>(
    training: SupervisedTraining<M>,
    config: &ExperimentConfig,
) -> Result<SupervisedTraining<M>, TrainError> {
    replica_batch(config)?;
    Ok(match &config.parallel {
        Parallel::Single => training,
        Parallel::Devices(list) => devices::attach(training, config.backend, list)?,
        Parallel::Mpi => strategy::attach(training, config.backend)?,
    })
}
