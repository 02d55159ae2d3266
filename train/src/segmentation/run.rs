//! The segmentation part of the run pipeline ([`crate::pipeline`]): pixel-wise cross-entropy with
//! the class weights resolved (and written back to `config.json`), pixel accuracy and mIoU per
//! epoch, the best model by validation mIoU evaluated once on the test split (`summary.json` with
//! per-class IoU, `confusion.png`).

use burn::data::dataset::Dataset;
use burn::train::metric::{LearningRateMetric, LossMetric};
use burn::train::{Learner, SupervisedTraining};
use data::SegmentationBatcher;

use crate::confusion_plot::plot_confusion;
use crate::error::TrainError;
use crate::experiment::ClassWeights;
use crate::learning::data_loaders;
use crate::pipeline::{RunStart, TestOutcome, draw};
use crate::run_dir::{RunOptions, RunPlan, plan_run};
use crate::schedule::Scheduler;
use crate::segmentation::evaluate::{evaluate_segmentation, load_segmenter};
use crate::segmentation::metric::SegmentationMetric;
use crate::segmentation::segmenter::Segmenter;
use crate::segmentation::setup::{load_seg_data, median_frequency_weights, prepare_segmentation};
use crate::summary::{RunSummary, SegmentationScores, TaskScores};

/// Train a segmentation network as `config` describes (its `task` is `segment`).
pub fn run_segmentation(
    config: crate::ExperimentConfig,
    opts: &RunOptions,
) -> Result<RunSummary, TrainError> {
    segment(plan_run(config, opts)?)
}

/// Train the planned segmentation run.
pub(crate) fn segment(plan: RunPlan) -> Result<RunSummary, TrainError> {
    let mut run = RunStart::begin(plan)?;
    let data = load_seg_data(&run.config)?;
    let prepared = prepare_segmentation(
        &run.config,
        data,
        run.saved_preprocessing().as_deref(),
        run.start_epoch,
    )?;
    prepared.preprocessing.save(&run.dir.preprocessing_file())?;
    run.dir.save_json("model.json", &prepared.network)?;
    let classes = prepared.preprocessing.classes.clone();
    let n = classes.len();
    let train_len = prepared.train.len();
    println!(
        "{} (base width {}) on {}: {} training, {} validation, {} test images, input {:?}, {n} classes, backend {}",
        run.config.model,
        prepared.network.base_width(),
        prepared.dataset_name,
        train_len,
        prepared.valid.len(),
        prepared.test.len(),
        prepared.preprocessing.input.shape(),
        run.config.backend
    );
    let class_weights = match &run.config.class_weights {
        None => None,
        Some(ClassWeights::List(w)) if w.len() != n => {
            return Err(TrainError::Config(format!(
                "class_weights has {} entries for {n} classes",
                w.len()
            )));
        }
        Some(ClassWeights::List(w)) => Some(w.clone()),
        Some(ClassWeights::MedianFrequency) => {
            let w = median_frequency_weights(&*prepared.train_plain, n, 2000)?;
            println!("median-frequency class weights: {w:.3?}");
            // config.json keeps the weights themselves: resume and infer use exactly these.
            run.config.class_weights = Some(ClassWeights::List(w.clone()));
            run.dir.save_config(&run.config)?;
            Some(w)
        }
    };
    let config = &run.config;

    let network = prepared.network.init(&run.device)?;
    let parameters = model::params::trainable_params(&network);
    let segmenter = Segmenter::new(network, config.regularization, class_weights.clone());
    let iterations = run.iterations_per_epoch(train_len);
    let scheduler = Scheduler::new(config.resolved_schedule(iterations), iterations)?;
    let learner = Learner::new(segmenter, config.optimizer.init()?, scheduler);

    let batcher = SegmentationBatcher::new(prepared.preprocessing.clone());
    let (loader_train, loader_valid) =
        data_loaders(batcher.clone(), config, prepared.train, prepared.valid);
    let training = SupervisedTraining::new(run.dir.path(), loader_train, loader_valid)
        .metrics((
            LossMetric::new(),
            SegmentationMetric::pixel_accuracy(n),
            SegmentationMetric::mean_iou(n),
        ))
        .metric_train_numeric(LearningRateMetric::new());
    let mut warnings = Vec::new();
    let fitted = run.fit(
        training,
        learner,
        &SegmentationMetric::mean_iou(n),
        |r| r.miou,
        &mut warnings,
    )?;

    let device = config.backend.device()?;
    let best = load_segmenter(
        &prepared.network,
        &run.dir.file("best.bpk"),
        class_weights,
        &device,
    )?;
    let batch = config.batch_size.max(64);
    let test = evaluate_segmentation(&best, &*prepared.test, &batcher, n, batch, &device)?;
    let title = format!(
        "{} on {} test split: mIoU {:.3}",
        config.model, prepared.dataset_name, test.miou
    );
    draw(
        plot_confusion(&test.matrix, &classes, &title, &run.dir.confusion_file()),
        &mut warnings,
    );
    let scores = TaskScores::Segment(SegmentationScores {
        base_width: prepared.network.base_width(),
        best_valid_miou: fitted.best_score,
        test_miou: test.miou,
        test_pixel_accuracy: test.pixel_accuracy,
        test_iou: classes.into_iter().zip(test.iou.iter().copied()).collect(),
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
