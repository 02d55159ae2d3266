//! A classification run with Burn's `SupervisedTraining` + `Learner`: our schedulers, optimisers,
//! penalties, atomic checkpoints, `metrics.csv`, the best model by validation accuracy, one
//! evaluation of the test split with that model, `curves.png` and `summary.json`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use burn::module::Module;
use burn::train::checkpoint::{Checkpoint, MetricCheckpointingStrategy};
use burn::train::metric::store::{Aggregate, Direction, Split};
use burn::train::metric::{AccuracyMetric, LearningRateMetric, LossMetric, TopKAccuracyMetric};
use burn::train::{Learner, SupervisedTraining};
use data::ClassificationBatcher;
use serde::Serialize;

use crate::atomic::write_atomic;
use crate::checkpoint::checkpoint_path;
use crate::classifier::Classifier;
use crate::confusion_plot::plot_confusion;
use crate::curves::plot_curves;
use crate::error::TrainError;
use crate::evaluate::{Evaluation, evaluate_with_confusion};
use crate::learning::{configure_training, data_loaders};
use crate::metrics_csv::MetricsTable;
use crate::recorder::RecorderState;
use crate::segmentation::ConfusionMatrix;

use crate::run_dir::{RunOptions, checkpoint_dir, config_path, plan_run};
use crate::schedule::Scheduler;
use crate::setup::{load_data, prepare};

/// What `summary.json` holds.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    /// The run folder.
    pub run_dir: String,
    /// Registry name of the model.
    pub model: String,
    /// Dataset name.
    pub dataset: String,
    /// Backend that trained.
    pub backend: String,
    /// Epochs completed.
    pub epochs: usize,
    /// Epoch of the best validation accuracy (its model is `best.bpk`).
    pub best_epoch: usize,
    /// Best validation top-1 accuracy.
    pub best_valid_accuracy: f64,
    /// Test top-1 accuracy of the best model.
    pub test_accuracy: f64,
    /// Test top-5 accuracy of the best model.
    pub test_top5: f64,
    /// Test loss of the best model.
    pub test_loss: f64,
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

/// Train a classifier as `config` describes; see [`crate::run_dir`] for the folder it writes.
pub fn run_classification(
    config: crate::ExperimentConfig,
    opts: &RunOptions,
) -> Result<RunSummary, TrainError> {
    let RunStart {
        dir,
        config,
        start_epoch,
        started,
        device,
    } = begin_run(config, opts)?;
    let data = load_data(&config)?;
    let (pre_path, saved_pre) = preprocessing_file(&dir, start_epoch);
    let saved_pre = saved_pre.as_deref();
    let prepared = prepare(&config, data, saved_pre, start_epoch)?;
    prepared.preprocessing.save(&pre_path)?;
    save_json(&dir.join("model.json"), &prepared.network)?;
    let train_len = burn::data::dataset::Dataset::len(&prepared.train);
    println!(
        "{} on {}: {} training, {} validation, {} test images, input {:?}, backend {}",
        config.model,
        prepared.dataset_name,
        train_len,
        burn::data::dataset::Dataset::len(&prepared.valid),
        prepared.test.len(),
        prepared.network.input_shape(),
        config.backend
    );

    let network = prepared.network.init(&device)?;
    let parameters = model::params::trainable_params(&network);
    let aux_weight = config.aux_weight.unwrap_or(0.3);
    let classifier = Classifier::new(network, config.regularization, aux_weight);
    let iterations_per_epoch = train_len.div_ceil(config.batch_size) as u64;
    let scheduler = Scheduler::new(
        config.resolved_schedule(iterations_per_epoch),
        iterations_per_epoch,
    )?;
    let optimizer = config.optimizer.init()?;

    let batcher = ClassificationBatcher::new(prepared.preprocessing.clone());
    let (loader_train, loader_valid) =
        data_loaders(batcher.clone(), &config, prepared.train, prepared.valid);
    let state = recorder_state(&dir.join("metrics.csv"), start_epoch)?;
    let training = SupervisedTraining::new(&dir, loader_train, loader_valid)
        .metrics((
            AccuracyMetric::new(),
            LossMetric::new(),
            TopKAccuracyMetric::new(5),
        ))
        .metric_train_numeric(LearningRateMetric::new());
    let best_by = MetricCheckpointingStrategy::new(
        &AccuracyMetric::new(),
        Aggregate::Mean,
        Direction::Highest,
        Split::Valid,
    );
    let training = configure_training(training, &dir, &state, best_by, config.epochs, start_epoch);
    let result = training.launch(Learner::new(classifier, optimizer, scheduler));

    let mut warnings = Vec::new();
    let table = finish_launch(
        &dir,
        &state,
        result.error.map(|e| e.to_string()),
        result.interrupted.map(|i| format!("{i:?}")),
        result.model,
        &mut warnings,
    )?;
    let (best_epoch, best_valid_accuracy) = keep_best(&dir, &table, |r| r.top1)?;

    let (test, matrix) = test_best(
        &dir,
        &prepared.network,
        &batcher,
        &*prepared.test,
        config.batch_size,
        &config,
    )?;
    draw(
        plot_confusion(
            &matrix,
            &batcher.preprocessing.classes,
            &format!(
                "{} on {} test split: top-1 {:.2} %",
                config.model,
                prepared.dataset_name,
                100.0 * test.top1
            ),
            &dir.join("confusion.png"),
        ),
        &mut warnings,
    );
    let (epochs, train_images_per_second) = train_speed(&table);
    let summary = RunSummary {
        run_dir: dir.display().to_string(),
        model: config.model.clone(),
        dataset: prepared.dataset_name.clone(),
        backend: config.backend.to_string(),
        epochs,
        best_epoch,
        best_valid_accuracy,
        test_accuracy: test.top1,
        test_top5: test.top5,
        test_loss: test.loss,
        test_images: test.count,
        train_images_per_second,
        parameters,
        wall_seconds: started.elapsed().as_secs_f64(),
        warnings,
    };
    save_json(&dir.join("summary.json"), &summary)?;
    Ok(summary)
}

/// Evaluate `best.bpk` once on the test split, on the backend's inference device.
fn test_best(
    dir: &Path,
    network: &model::NetworkConfig,
    batcher: &ClassificationBatcher,
    test: &dyn burn::data::dataset::Dataset<data::ImageItem>,
    batch_size: usize,
    config: &crate::ExperimentConfig,
) -> Result<(Evaluation, ConfusionMatrix), TrainError> {
    let device = config.backend.device()?;
    let best = crate::load::load_classifier(network, &dir.join("best.bpk"), &device)?;
    evaluate_with_confusion(&best.network, test, batcher, batch_size.max(256), &device)
}

/// A run folder made ready: the resolved config written, the first epoch to train known, the
/// training device created and seeded.
pub(crate) struct RunStart {
    pub dir: PathBuf,
    pub config: crate::ExperimentConfig,
    pub start_epoch: usize,
    pub started: Instant,
    pub device: burn::tensor::Device,
}

/// The run's `preprocessing.json`, and the same path when a resumed run must reuse it.
pub(crate) fn preprocessing_file(dir: &Path, start_epoch: usize) -> (PathBuf, Option<PathBuf>) {
    let path = dir.join("preprocessing.json");
    let saved = (start_epoch > 0 && path.is_file()).then(|| path.clone());
    (path, saved)
}

/// Plan the run folder (new or resumed), validate and write `config.json`.
pub(crate) fn begin_run(
    config: crate::ExperimentConfig,
    opts: &RunOptions,
) -> Result<RunStart, TrainError> {
    let started = Instant::now();
    let plan = plan_run(config, opts)?;
    let (dir, config, start_epoch) = (plan.dir, plan.config, plan.start_epoch);
    config.validate()?;
    std::fs::create_dir_all(&dir).map_err(|e| TrainError::io(&dir, e))?;
    write_atomic(&config_path(&dir), config.to_json().as_bytes())?;
    if start_epoch > 0 {
        println!("resuming {} after epoch {start_epoch}", dir.display());
    } else {
        println!("run folder {}", dir.display());
    }
    let device = config.backend.autodiff_device()?;
    device.seed(config.seed);
    Ok(RunStart {
        dir,
        config,
        start_epoch,
        started,
        device,
    })
}

/// The recorder's state, holding the rows of the epochs already done when resuming.
pub(crate) fn recorder_state(
    csv: &Path,
    start_epoch: usize,
) -> Result<Arc<Mutex<RecorderState>>, TrainError> {
    let mut table = if start_epoch > 0 && csv.is_file() {
        MetricsTable::load(csv)?
    } else {
        MetricsTable::default()
    };
    table.truncate_after(start_epoch);
    Ok(Arc::new(Mutex::new(RecorderState {
        table,
        non_finite: None,
    })))
}

/// Keep the outcome of drawing one of the run's pictures: a failure (no font, an unwritable file)
/// must not lose a trained run, so it is printed and kept in `warnings` for `summary.json`.
pub(crate) fn draw(result: Result<(), TrainError>, warnings: &mut Vec<String>) {
    if let Err(e) = result {
        eprintln!("warning: {e}");
        warnings.push(e.to_string());
    }
}

/// After the learner returns: draw the curves, report a stop, write `last.bpk`.
pub(crate) fn finish_launch<M: Module>(
    dir: &Path,
    state: &Arc<Mutex<RecorderState>>,
    error: Option<String>,
    interrupted: Option<String>,
    model: M,
    warnings: &mut Vec<String>,
) -> Result<MetricsTable, TrainError> {
    let table = state.lock().map(|s| s.table.clone()).unwrap_or_default();
    let non_finite = state.lock().ok().and_then(|s| s.non_finite.clone());
    if !table.rows.is_empty() {
        draw(plot_curves(&table, &dir.join("curves.png")), warnings);
    }
    if let Some(message) = non_finite {
        return Err(TrainError::Stopped(message));
    }
    if let Some(error) = error {
        return Err(TrainError::Stopped(error));
    }
    let last_bytes =
        model
            .into_record()
            .checkpoint_into_bytes()
            .map_err(|e| TrainError::Checkpoint {
                path: dir.join("last.bpk"),
                problem: e.to_string(),
            })?;
    write_atomic(&dir.join("last.bpk"), &last_bytes)?;
    if let Some(interruption) = interrupted {
        return Err(TrainError::Stopped(format!(
            "interrupted ({interruption}); continue with --resume"
        )));
    }
    Ok(table)
}

/// Copy the kept checkpoint with the best validation `score` to `best.bpk`; returns its epoch
/// and score.
pub(crate) fn keep_best(
    dir: &Path,
    table: &MetricsTable,
    score: impl Fn(&crate::metrics_csv::EpochRow) -> f64,
) -> Result<(usize, f64), TrainError> {
    let ckpt = checkpoint_dir(dir);
    let mut ranked: Vec<(usize, f64)> = table.split("valid").map(|r| (r.epoch, score(r))).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best_epoch, best_score) = ranked
        .into_iter()
        .find(|(epoch, _)| checkpoint_path(&ckpt, "model", *epoch).is_file())
        .ok_or_else(|| TrainError::Checkpoint {
            path: ckpt.clone(),
            problem: "no model checkpoint of a validated epoch is left".into(),
        })?;
    let best_src = checkpoint_path(&ckpt, "model", best_epoch);
    let best_bytes = std::fs::read(&best_src).map_err(|e| TrainError::io(&best_src, e))?;
    write_atomic(&dir.join("best.bpk"), &best_bytes)?;
    Ok((best_epoch, best_score))
}

/// Epochs trained and the mean training images/s over them.
pub(crate) fn train_speed(table: &MetricsTable) -> (usize, f64) {
    let epochs = table.split("train").map(|r| r.epoch).max().unwrap_or(0);
    let speeds: Vec<f64> = table.split("train").map(|r| r.images_per_second).collect();
    (
        epochs,
        speeds.iter().sum::<f64>() / speeds.len().max(1) as f64,
    )
}

/// Write `value` as pretty JSON, atomically.
pub(crate) fn save_json<T: Serialize>(path: &Path, value: &T) -> Result<(), TrainError> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| TrainError::Config(e.to_string()))?;
    write_atomic(path, text.as_bytes())
}
