//! The MPI training loop, as a custom strategy of Burn's learner (`TrainingStrategy::Custom`):
//! Burn's multi-device strategies keep every replica in one process, and its DDP all-reduce exists
//! only on CUDA, so this loop is Burn's single-device loop with one change — after each backward
//! pass the gradients are averaged over the ranks ([`super::grads::average`]) before the
//! scheduler and optimiser step. Everything around it is Burn's and the pipeline's: the event
//! processor (metrics, `metrics.csv`, the renderer), the checkpointer and its strategy, the
//! resume point, early stopping. Rank 0's early-stopping decision is broadcast, so all ranks
//! stop after the same epoch.

use std::sync::Arc;

use burn::data::dataloader::{DataLoaderIterator, Progress};
use burn::tensor::Device;
use burn::train::{
    EventProcessorTraining, InferenceStep, Interrupter, Learner, LearnerEvent, LearnerModel,
    SupervisedLearningStrategy, SupervisedTraining, SupervisedTrainingEventProcessor, TrainLoader,
    TrainingComponents, TrainingItem, TrainingStrategy, ValidLoader,
};
use model::backend::BackendKind;

use super::collective::world;
use super::grads::average;
use crate::error::TrainError;

/// Data-parallel training over the ranks of the MPI world, on this rank's `device`.
pub struct MpiStrategy {
    device: Device,
}

/// Give `training` the MPI strategy on this rank's device of `backend`.
pub fn attach<M: LearnerModel>(
    training: SupervisedTraining<M>,
    backend: BackendKind,
) -> Result<SupervisedTraining<M>, TrainError> {
    let device = backend.autodiff_device()?;
    Ok(training.with_training_strategy(TrainingStrategy::Custom(Arc::new(MpiStrategy { device }))))
}

impl<M: LearnerModel> SupervisedLearningStrategy<M> for MpiStrategy {
    fn fit(
        &self,
        components: TrainingComponents<M>,
        mut learner: Learner<M>,
        loader_train: TrainLoader<M>,
        loader_valid: ValidLoader<M>,
        starting_epoch: usize,
    ) -> (M, SupervisedTrainingEventProcessor<M>) {
        let loader_train = loader_train.to_device(&self.device);
        let loader_valid = loader_valid.to_device(&self.device.clone().inner());
        learner.fork(&self.device);
        let mut processor = components.event_processor;
        let mut checkpointer = components.checkpointer;
        let mut early_stopping = components.early_stopping;
        let interrupter = components.interrupter.clone();
        let world = world();

        for epoch in starting_epoch..=components.num_epochs {
            interrupter.fail_on_error(processor.process_train(LearnerEvent::StartSplit {
                epoch_number: epoch,
                total_items: loader_train.num_items(),
            }));
            let mut iterator = loader_train.iter();
            let mut iteration = 0;
            while let Some((item, progress)) = next_item(&mut *iterator, &interrupter) {
                iteration += 1;
                let output = learner.train_step(item);
                let grads = average(&learner.model(), output.grads, &*world);
                learner.lr_step();
                learner.optimizer_step(grads);
                let item = TrainingItem::new(
                    output.item,
                    progress,
                    Some(iteration),
                    Some(learner.lr_current()),
                );
                interrupter
                    .fail_on_error(processor.process_train(LearnerEvent::ProcessedItem(item)));
                if interrupter.should_stop() {
                    break;
                }
            }
            interrupter.fail_on_error(processor.process_train(LearnerEvent::EndSplit(epoch)));
            if interrupter.should_stop() {
                break;
            }

            validate(&learner, &loader_valid, epoch, &mut processor, &interrupter);
            interrupter.fail_on_error(processor.process_train(LearnerEvent::EndEpoch(epoch)));
            if checkpointer.is_some() || early_stopping.is_some() {
                interrupter.fail_on_error(processor.flush());
            }
            if interrupter.should_stop() {
                break;
            }
            if let Some(checkpointer) = &mut checkpointer {
                checkpointer.checkpoint(&learner, epoch, &components.event_store);
            }
            let stop = early_stopping
                .as_mut()
                .is_some_and(|e| e.should_stop(epoch, &components.event_store));
            let mut decision = vec![u8::from(stop)];
            world.broadcast_bytes(&mut decision);
            if decision.first() == Some(&1) {
                break;
            }
        }
        (learner.model(), processor)
    }
}

/// One validation pass of the whole validation split (each rank validates the same, averaged
/// weights; with batch norm each its own running statistics).
fn validate<M: LearnerModel>(
    learner: &Learner<M>,
    loader: &ValidLoader<M>,
    epoch: usize,
    processor: &mut SupervisedTrainingEventProcessor<M>,
    interrupter: &Interrupter,
) {
    interrupter.fail_on_error(processor.process_valid(LearnerEvent::StartSplit {
        epoch_number: epoch,
        total_items: loader.num_items(),
    }));
    let model = learner.model().valid();
    let mut iterator = loader.iter();
    let mut iteration = 0;
    while let Some((item, progress)) = next_item(&mut *iterator, interrupter) {
        iteration += 1;
        let output = InferenceStep::step(&model, item);
        let item = TrainingItem::new(output, progress, Some(iteration), None);
        interrupter.fail_on_error(processor.process_valid(LearnerEvent::ProcessedItem(item)));
        if interrupter.should_stop() {
            break;
        }
    }
    interrupter.fail_on_error(processor.process_valid(LearnerEvent::EndSplit(epoch)));
}

/// The next item of an epoch and the progress after it; a data error fails the run (and ends
/// the epoch).
fn next_item<T>(
    iterator: &mut dyn DataLoaderIterator<T>,
    interrupter: &Interrupter,
) -> Option<(T, Progress)> {
    match iterator.next()? {
        Ok(item) => Some((item, iterator.progress())),
        Err(err) => {
            interrupter.fail(err);
            None
        }
    }
}
