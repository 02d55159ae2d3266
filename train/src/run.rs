//! The classification part of the run pipeline ([`crate::pipeline`]): the data and network, the
//! classifier with its penalties, accuracy / top-k metrics (k = min(5, classes)), the best model
//! by validation accuracy evaluated once on the test split, `confusion.png`.

use burn::data::dataset::Dataset;
use burn::train::metric::{AccuracyMetric, LearningRateMetric, LossMetric, TopKAccuracyMetric};
use burn::train::{Learner, SupervisedTraining};
use data::ClassificationBatcher;

use crate::classifier::Classifier;
use crate::confusion_plot::plot_confusion;
use crate::error::TrainError;
use crate::evaluate::{evaluate_with_confusion, top_k_for};
use crate::learning::data_loaders;
use crate::pipeline::{RunStart, TestOutcome, draw};
use crate::run_dir::{RunOptions, RunPlan, plan_run};
use crate::schedule::Scheduler;
use crate::setup::{load_data, prepare};
use crate::summary::{ClassificationScores, RunSummary, TaskScores};

/// Train a classifier as `config` describes; see [`crate::run_dir`] for the folder it writes.
pub fn run_classification(
    config: crate::ExperimentConfig,
    opts: &RunOptions,
) -> Result<RunSummary, TrainError> {
    classify(plan_run(config, opts)?)
}

/// Train the planned classification run.
pub(crate) fn classify(plan: RunPlan) -> Result<RunSummary, TrainError> {
    let run = RunStart::begin(plan)?;
    let config = &run.config;
    let data = load_data(config)?;
    let prepared = prepare(
        config,
        data,
        run.saved_preprocessing().as_deref(),
        run.start_epoch,
    )?;
    prepared.preprocessing.save(&run.dir.preprocessing_file())?;
    run.dir.save_json("model.json", &prepared.network)?;
    let train_len = prepared.train.len();
    let classes = prepared.preprocessing.classes.len();
    println!(
        "{} on {}: {} training, {} validation, {} test images, input {:?}, {classes} classes, backend {}",
        config.model,
        prepared.dataset_name,
        train_len,
        prepared.valid.len(),
        prepared.test.len(),
        prepared.network.input_shape(),
        config.backend
    );

    let network = prepared.network.init(&run.device)?;
    let parameters = model::params::trainable_params(&network);
    let classifier = Classifier::new(
        network,
        config.regularization,
        config.aux_weight.unwrap_or(0.3),
    );
    let iterations = run.iterations_per_epoch(train_len);
    let scheduler = Scheduler::new(config.resolved_schedule(iterations), iterations)?;
    let learner = Learner::new(classifier, config.optimizer.init()?, scheduler);

    let batcher = ClassificationBatcher::new(prepared.preprocessing.clone());
    let (loader_train, loader_valid) =
        data_loaders(batcher.clone(), config, prepared.train, prepared.valid);
    let k = top_k_for(classes);
    let training = SupervisedTraining::new(run.dir.path(), loader_train, loader_valid)
        .metrics((
            AccuracyMetric::new(),
            LossMetric::new(),
            TopKAccuracyMetric::new(k),
        ))
        .metric_train_numeric(LearningRateMetric::new());
    let mut warnings = Vec::new();
    let fitted = run.fit(
        training,
        learner,
        &AccuracyMetric::new(),
        |r| r.top1,
        &mut warnings,
    )?;

    let device = config.backend.device()?;
    let best = crate::load::load_classifier(&prepared.network, &run.dir.file("best.bpk"), &device)?;
    let batch = config.batch_size.max(256);
    let (test, matrix) =
        evaluate_with_confusion(&best.network, &*prepared.test, &batcher, batch, &device)?;
    let title = format!(
        "{} on {} test split: top-1 {:.2} %",
        config.model,
        prepared.dataset_name,
        100.0 * test.top1
    );
    draw(
        plot_confusion(
            &matrix,
            &prepared.preprocessing.classes,
            &title,
            &run.dir.confusion_file(),
        ),
        &mut warnings,
    );
    let scores = TaskScores::Classify(ClassificationScores {
        best_valid_accuracy: fitted.best_score,
        test_accuracy: test.top1,
        top_k: k,
        test_top5: test.top5,
    });
    let outcome = TestOutcome {
        dataset: prepared.dataset_name,
        parameters,
        loss: test.loss,
        count: test.count,
        scores,
    };
    run.summarize(&fitted, outcome, warnings)
}
