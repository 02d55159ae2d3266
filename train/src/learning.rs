//! What classification and segmentation runs attach alike to Burn's `SupervisedTraining`: the data
//! loaders, the atomic checkpointers, the checkpoints kept (the last two and the best by a
//! validation metric), the loggers (`metrics.csv` included), the renderer and the resume point;
//! and the `TrainStep` of their loss wrappers ([`train_step`]).

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataloader::{DataLoader, DataLoaderBuilder};
use burn::data::dataset::Dataset;
use burn::train::checkpoint::{
    ComposedCheckpointingStrategy, KeepLastNCheckpoints, MetricCheckpointingStrategy,
};
use burn::train::logger::FileMetricLogger;
use burn::train::{LearnerModel, MetricEarlyStoppingStrategy, SupervisedTraining};

use crate::ExperimentConfig;
use crate::checkpoint::AtomicCheckpointer;
use crate::recorder::{EpochRecorder, RecorderState};
use crate::renderer::PlainRenderer;
use crate::resume_loader::SkipEpochs;
use crate::run_dir::RunDir;

/// The training loader (shuffled with the run's seed) and the validation loader of a run.
pub(crate) type Loaders<O> = (Arc<dyn DataLoader<O>>, Arc<dyn DataLoader<O>>);

/// Loaders over `train` and `valid` with the run's batch size, seed and worker count; a run
/// resumed after `start_epoch` epochs replays their shuffles ([`SkipEpochs`]).
pub(crate) fn data_loaders<I, O, Bt, DT, DV>(
    batcher: Bt,
    config: &ExperimentConfig,
    train: DT,
    valid: DV,
    start_epoch: usize,
) -> Loaders<O>
where
    I: Send + Sync + Clone + std::fmt::Debug + 'static,
    O: Send + Clone + std::fmt::Debug + 'static,
    Bt: Batcher<I, O> + Clone + 'static,
    DT: Dataset<I> + 'static,
    DV: Dataset<I> + 'static,
{
    let loader_valid = DataLoaderBuilder::new(batcher.clone())
        .batch_size(config.batch_size)
        .num_workers(config.num_workers)
        .build(valid);
    if config.parallel == crate::distributed::Parallel::Mpi {
        let shard = crate::distributed::shard::rank_loader(batcher, config, train, start_epoch);
        return (shard, loader_valid);
    }
    let loader_train = DataLoaderBuilder::new(batcher)
        .batch_size(crate::distributed::loader_batch(config))
        .shuffle(config.seed)
        .num_workers(config.num_workers)
        .build(train);
    let loader_train: Arc<dyn DataLoader<O>> = if start_epoch > 0 {
        Arc::new(SkipEpochs::new(loader_train, start_epoch))
    } else {
        loader_train
    };
    (loader_train, loader_valid)
}

/// Attach to `training` (its metrics already registered) the parts every run shares: atomic
/// checkpointers in `dir/checkpoint`, keeping the last two epochs and the best by `best_by`, the
/// file logger and our `metrics.csv` recorder, a plain renderer when stdout is not a terminal,
/// early stopping when asked, `epochs` in all and, when `start_epoch > 0`, the checkpoint to
/// resume from.
pub(crate) fn configure_training<M: LearnerModel>(
    training: SupervisedTraining<M>,
    dir: &RunDir,
    state: &Arc<Mutex<RecorderState>>,
    best_by: MetricCheckpointingStrategy,
    early_stop: Option<MetricEarlyStoppingStrategy>,
    epochs: usize,
    start_epoch: usize,
) -> SupervisedTraining<M> {
    crate::interrupt::stop_on_ctrl_c(training.interrupter(), dir.path());
    // mpirun hands its ranks a pseudo-terminal, where Burn's TUI cannot start: plain lines there.
    let interactive =
        std::io::stdout().is_terminal() && !crate::distributed::collective::in_mpi_job();
    let recorder = EpochRecorder::new(
        state.clone(),
        dir.metrics_file(),
        training.interrupter(),
        !interactive,
    );
    let ckpt = dir.checkpoint_dir();
    let mut training = training
        .with_custom_checkpointers(
            AtomicCheckpointer::new(&ckpt, "model"),
            AtomicCheckpointer::new(&ckpt, "optim"),
            AtomicCheckpointer::new(&ckpt, "scheduler"),
        )
        .with_checkpointing_strategy(
            ComposedCheckpointingStrategy::builder()
                .add(KeepLastNCheckpoints::new(2))
                .add(best_by)
                .build(),
        )
        .with_metric_logger(FileMetricLogger::new(dir.path()))
        .with_metric_logger(recorder)
        .num_epochs(epochs);
    if !interactive {
        training = training.renderer(Box::new(PlainRenderer::new(Duration::from_secs(15))));
    }
    if let Some(strategy) = early_stop {
        training = training.early_stopping(strategy);
    }
    if start_epoch > 0 {
        training = training.checkpoint(start_epoch);
    }
    training
}

/// `impl TrainStep` for a loss wrapper `$model` (the classifier, the segmenter) whose
/// `losses(&self, $batch)` returns the `$output` the metrics read and the total loss minimised.
macro_rules! train_step {
    ($model:ty, $batch:ty, $output:ty) => {
        impl burn::train::TrainStep for $model {
            type Input = $batch;
            type Output = $output;

            fn step(&self, batch: $batch) -> burn::train::TrainOutput<$output> {
                let (output, total) = self.losses(batch);
                // `loss_scale`: 1, or 1/N on N devices, whose gradients Burn sums.
                let total = total.mul_scalar(self.loss_scale);
                burn::train::TrainOutput::new(self, total.backward(), output)
            }
        }
    };
}
pub(crate) use train_step;
