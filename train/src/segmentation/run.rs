//! The segmentation part of the run pipeline ([`crate::pipeline`]): pixel-wise cross-entropy with
//! the class weights resolved (and written back to `config.json`), pixel accuracy and mIoU per
//! epoch, the best model by validation mIoU evaluated once on the test split (`summary.json` with
//! per-class IoU).

use burn::data::dataset::Dataset;
use burn::train::SupervisedTraining;
use burn::train::metric::{LearningRateMetric, LossMetric};
use data::{SegItem, SegmentationBatcher};

use crate::error::TrainError;
use crate::experiment::ClassWeights;
use crate::learning::data_loaders;
use crate::mistakes::{Gallery, seg_triplets};
use crate::pipeline::{RunStart, TestOutcome};
use crate::run_dir::RunPlan;
use crate::segmentation::evaluate::{evaluate_segmentation, load_segmenter};
use crate::segmentation::metric::SegmentationMetric;
use crate::segmentation::segmenter::Segmenter;
use crate::segmentation::setup::{load_seg_data, median_frequency_weights, prepare_segmentation};
use crate::summary::{RunSummary, SegmentationScores, TaskScores};

/// Train the planned segmentation run.
pub(crate) fn segment(plan: RunPlan) -> Result<RunSummary, TrainError> {
    let mut run = RunStart::begin(plan)?;
    let saved = run.saved_preprocessing();
    let data = load_seg_data(&run.config)?;
    let p = prepare_segmentation(&run.config, data, saved.as_deref(), run.start_epoch)?;
    let sizes = [p.train.len(), p.valid.len(), p.test.len()];
    let what = format!(
        "{} (base width {}) on {}",
        run.config.model,
        p.network.base_width(),
        p.dataset_name
    );
    run.save_inputs(&p.preprocessing, &p.network, &what, sizes)?;
    let n = p.preprocessing.classes.len();
    let class_weights = resolve_class_weights(&mut run, &*p.train_plain, n)?;
    let config = &run.config;

    let network = p.network.init(&run.device)?;
    let parameters = model::params::trainable_params(&network);
    let segmenter = Segmenter::new(network, config.regularization, class_weights.clone())
        .with_loss_scale(crate::distributed::loss_scale(config));
    let learner = run.learner(segmenter, sizes[0])?;

    let batcher = SegmentationBatcher::new(p.preprocessing.clone());
    let (loader_train, loader_valid) =
        data_loaders(batcher.clone(), config, p.train, p.valid, run.start_epoch);
    let training = SupervisedTraining::new(run.dir.path(), loader_train, loader_valid)
        .metrics((
            LossMetric::new(),
            SegmentationMetric::pixel_accuracy(n),
            SegmentationMetric::mean_iou(n),
        ))
        .metric_train_numeric(LearningRateMetric::new());
    let mut warnings = Vec::new();
    let miou = SegmentationMetric::mean_iou(n);
    let fitted = run.fit(training, learner, &miou, |r| r.miou, &mut warnings)?;

    let device = config.backend.device()?;
    let best_file = run.dir.file("best.bpk");
    let best = load_segmenter(&p.network, &best_file, class_weights, &device)?;
    let batch = config.batch_size.max(64);
    let test = evaluate_segmentation(&best, &*p.test, &batcher, n, batch, &device)?;
    let gallery = match seg_triplets(&best, &*p.test, &batcher, n, 4, &device) {
        Ok(tiles) => Gallery::Triplets(tiles),
        Err(e) => Gallery::Note(format!("not drawn: {e}")),
    };
    let classes = p.preprocessing.classes;
    let outcome = TestOutcome {
        dataset: p.dataset_name,
        classes: classes.clone(),
        parameters,
        loss: test.loss,
        count: test.count,
        headline: format!("mIoU {:.3}", test.miou),
        scores: TaskScores::Segment(SegmentationScores {
            base_width: p.network.base_width(),
            best_valid_miou: fitted.best_score,
            test_miou: test.miou,
            test_pixel_accuracy: test.pixel_accuracy,
            test_iou: classes.into_iter().zip(test.iou.iter().copied()).collect(),
        }),
        matrix: test.matrix,
        gallery,
    };
    run.conclude(&fitted, outcome, warnings)
}

/// The loss weights of the run: none, the config's list (checked against the `n` classes), or
/// median-frequency weights counted on `train`, then written to `config.json` so that resume,
/// evaluate and infer use exactly these.
fn resolve_class_weights(
    run: &mut RunStart,
    train: &dyn Dataset<SegItem>,
    n: usize,
) -> Result<Option<Vec<f32>>, TrainError> {
    match &run.config.class_weights {
        None => Ok(None),
        Some(ClassWeights::List(w)) if w.len() != n => Err(TrainError::Config(format!(
            "class_weights has {} entries for {n} classes",
            w.len()
        ))),
        Some(ClassWeights::List(w)) => Ok(Some(w.clone())),
        Some(ClassWeights::MedianFrequency) => {
            let w = median_frequency_weights(train, n, 2000)?;
            println!("median-frequency class weights: {w:.3?}");
            run.config.class_weights = Some(ClassWeights::List(w.clone()));
            run.dir.save_config(&run.config)?;
            Ok(Some(w))
        }
    }
}
