//! A segmentation run with Burn's `SupervisedTraining` + `Learner`: the same run folder, schedules,
//! optimisers, atomic checkpoints and resume as classification; pixel-wise cross-entropy; pixel
//! accuracy and mIoU per epoch in `metrics.csv`; the best model by validation mIoU evaluated once on
//! the test split (`summary.json` with per-class IoU, `confusion.png`).

use burn::data::dataset::Dataset;
use burn::train::checkpoint::MetricCheckpointingStrategy;
use burn::train::metric::store::{Aggregate, Direction, Split};
use burn::train::metric::{LearningRateMetric, LossMetric};
use burn::train::{Learner, SupervisedTraining};
use data::SegmentationBatcher;
use serde::Serialize;

use crate::atomic::write_atomic;
use crate::confusion_plot::plot_confusion;
use crate::error::TrainError;
use crate::experiment::ClassWeights;
use crate::learning::{configure_training, data_loaders};
use crate::run::{
    RunStart, begin_run, draw, finish_launch, keep_best, preprocessing_file, recorder_state,
    save_json, train_speed,
};
use crate::run_dir::{RunOptions, config_path};
use crate::schedule::Scheduler;
use crate::segmentation::evaluate::{evaluate_segmentation, load_segmenter};
use crate::segmentation::metric::SegmentationMetric;
use crate::segmentation::segmenter::Segmenter;
use crate::segmentation::setup::{load_seg_data, median_frequency_weights, prepare_segmentation};

/// What `summary.json` of a segmentation run holds.
#[derive(Debug, Clone, Serialize)]
pub struct SegRunSummary {
    /// The run folder.
    pub run_dir: String,
    /// Registry name of the model.
    pub model: String,
    /// Base width of the network.
    pub base_width: usize,
    /// Dataset name.
    pub dataset: String,
    /// Backend that trained.
    pub backend: String,
    /// Epochs completed.
    pub epochs: usize,
    /// Epoch of the best validation mIoU (its model is `best.bpk`).
    pub best_epoch: usize,
    /// Best validation mIoU.
    pub best_valid_miou: f64,
    /// Test mIoU of the best model.
    pub test_miou: f64,
    /// Test pixel accuracy of the best model.
    pub test_pixel_accuracy: f64,
    /// Test pixel cross-entropy of the best model.
    pub test_loss: f64,
    /// Test IoU of every class (null: absent from targets and predictions).
    pub test_iou: Vec<(String, Option<f64>)>,
    /// Test images evaluated.
    pub test_images: usize,
    /// Mean training images per second over the epochs.
    pub train_images_per_second: f64,
    /// Trainable parameters.
    pub parameters: usize,
    /// Wall time of this invocation (data loading, training, evaluation).
    pub wall_seconds: f64,
    /// Pictures that could not be drawn (the run itself is complete).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Train a segmentation network as `config` describes (its `task` is `segment`).
pub fn run_segmentation(
    config: crate::ExperimentConfig,
    opts: &RunOptions,
) -> Result<SegRunSummary, TrainError> {
    let RunStart {
        dir,
        config,
        start_epoch,
        started,
        device,
    } = begin_run(config, opts)?;
    let data = load_seg_data(&config)?;
    let (pre_path, saved_pre) = preprocessing_file(&dir, start_epoch);
    let saved_pre = saved_pre.as_deref();
    let prepared = prepare_segmentation(&config, data, saved_pre, start_epoch)?;
    prepared.preprocessing.save(&pre_path)?;
    save_json(&dir.join("model.json"), &prepared.network)?;
    let classes = prepared.preprocessing.classes.clone();
    let train_len = prepared.train.len();
    println!(
        "{} (base width {}) on {}: {} training, {} validation, {} test images, input {:?}, {} classes, backend {}",
        config.model,
        prepared.network.base_width(),
        prepared.dataset_name,
        train_len,
        prepared.valid.len(),
        prepared.test.len(),
        prepared.preprocessing.input.shape(),
        classes.len(),
        config.backend
    );
    let class_weights = match &config.class_weights {
        None => None,
        Some(ClassWeights::List(w)) if w.len() != classes.len() => {
            return Err(TrainError::Config(format!(
                "class_weights has {} entries for {} classes",
                w.len(),
                classes.len()
            )));
        }
        Some(ClassWeights::List(w)) => Some(w.clone()),
        Some(ClassWeights::Named(_)) => {
            let w = median_frequency_weights(&*prepared.train_plain, classes.len(), 2000)?;
            println!("median-frequency class weights: {w:.3?}");
            // config.json keeps the weights themselves: resume and infer use exactly these.
            let mut resolved = config.clone();
            resolved.class_weights = Some(ClassWeights::List(w.clone()));
            write_atomic(&config_path(&dir), resolved.to_json().as_bytes())?;
            Some(w)
        }
    };

    let network = prepared.network.init(&device)?;
    let parameters = model::params::trainable_params(&network);
    let segmenter = Segmenter::new(network, config.regularization, class_weights.clone());
    let iterations_per_epoch = train_len.div_ceil(config.batch_size) as u64;
    let scheduler = Scheduler::new(
        config.resolved_schedule(iterations_per_epoch),
        iterations_per_epoch,
    )?;
    let optimizer = config.optimizer.init()?;

    let batcher = SegmentationBatcher::new(prepared.preprocessing.clone());
    let (loader_train, loader_valid) =
        data_loaders(batcher.clone(), &config, prepared.train, prepared.valid);
    let state = recorder_state(&dir.join("metrics.csv"), start_epoch)?;
    let n = classes.len();
    let training = SupervisedTraining::new(&dir, loader_train, loader_valid)
        .metrics((
            LossMetric::new(),
            SegmentationMetric::pixel_accuracy(n),
            SegmentationMetric::mean_iou(n),
        ))
        .metric_train_numeric(LearningRateMetric::new());
    let best_by = MetricCheckpointingStrategy::new(
        &SegmentationMetric::mean_iou(n),
        Aggregate::Mean,
        Direction::Highest,
        Split::Valid,
    );
    let training = configure_training(training, &dir, &state, best_by, config.epochs, start_epoch);
    let result = training.launch(Learner::new(segmenter, optimizer, scheduler));
    let mut warnings = Vec::new();
    let table = finish_launch(
        &dir,
        &state,
        result.error.map(|e| e.to_string()),
        result.interrupted.map(|i| format!("{i:?}")),
        result.model,
        &mut warnings,
    )?;
    let (best_epoch, best_valid_miou) = keep_best(&dir, &table, |r| r.miou)?;

    let eval_device = config.backend.device()?;
    let best = load_segmenter(
        &prepared.network,
        &dir.join("best.bpk"),
        class_weights,
        &eval_device,
    )?;
    let test = evaluate_segmentation(
        &best,
        &*prepared.test,
        &batcher,
        n,
        config.batch_size.max(64),
        &eval_device,
    )?;
    draw(
        plot_confusion(
            &test.matrix,
            &classes,
            &format!(
                "{} on {} test split: mIoU {:.3}",
                config.model, prepared.dataset_name, test.miou
            ),
            &dir.join("confusion.png"),
        ),
        &mut warnings,
    );
    let (epochs, train_images_per_second) = train_speed(&table);
    let summary = SegRunSummary {
        run_dir: dir.display().to_string(),
        model: config.model.clone(),
        base_width: prepared.network.base_width(),
        dataset: prepared.dataset_name.clone(),
        backend: config.backend.to_string(),
        epochs,
        best_epoch,
        best_valid_miou,
        test_miou: test.miou,
        test_pixel_accuracy: test.pixel_accuracy,
        test_loss: test.loss,
        test_iou: classes
            .iter()
            .cloned()
            .zip(test.iou.iter().copied())
            .collect(),
        test_images: test.count,
        train_images_per_second,
        parameters,
        wall_seconds: started.elapsed().as_secs_f64(),
        warnings,
    };
    save_json(&dir.join("summary.json"), &summary)?;
    Ok(summary)
}
