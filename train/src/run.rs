//! The classification part of the run pipeline ([`crate::pipeline`]): the data and network, the
//! classifier with its penalties, accuracy / top-k metrics (k = min(5, classes)), the best model
//! by validation accuracy evaluated once on the test split.

use burn::data::dataset::Dataset;
use burn::train::SupervisedTraining;
use burn::train::metric::{AccuracyMetric, LearningRateMetric, LossMetric, TopKAccuracyMetric};
use data::ClassificationBatcher;

use crate::classifier::Classifier;
use crate::error::TrainError;
use crate::evaluate::{evaluate_with_confusion, top_k_for};
use crate::learning::data_loaders;
use crate::mistakes::{Gallery, most_wrong};
use crate::pipeline::{RunStart, TestOutcome};
use crate::run_dir::RunPlan;
use crate::run_report::MISTAKES_SHOWN;
use crate::setup::{load_data, prepare};
use crate::summary::{ClassificationScores, RunSummary, TaskScores};

/// Train the planned classification run.
pub(crate) fn classify(plan: RunPlan) -> Result<RunSummary, TrainError> {
    let run = RunStart::begin(plan)?;
    let config = &run.config;
    let saved = run.saved_preprocessing();
    let p = prepare(
        config,
        load_data(config)?,
        saved.as_deref(),
        run.start_epoch,
    )?;
    let sizes = [p.train.len(), p.valid.len(), p.test.len()];
    let what = format!("{} on {}", config.model, p.dataset_name);
    run.save_inputs(&p.preprocessing, &p.network, &what, sizes)?;

    if run.start_epoch > 0 {
        // Another architecture's checkpoint is an error naming it (Burn's learner panics on it).
        let last = run.dir.checkpoint_file("model", run.start_epoch);
        crate::load::load_network(&p.network, &last, &config.backend.device()?)?;
    }
    let network = p.network.init(&run.device)?;
    let network = crate::init_from::prepare_network(network, &p.network, config, run.start_epoch)?;
    let parameters = model::params::trainable_params(&network);
    let aux_weight = config.aux_weight.unwrap_or(0.3);
    let classifier = Classifier::new(network, config.regularization, aux_weight)
        .with_loss_scale(crate::distributed::loss_scale(config));
    let learner = run.learner(classifier, sizes[0])?;

    let batcher = ClassificationBatcher::new(p.preprocessing.clone());
    let (loader_train, loader_valid) =
        data_loaders(batcher.clone(), config, p.train, p.valid, run.start_epoch);
    let k = top_k_for(p.preprocessing.classes.len());
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
    let best = crate::load::load_network(&p.network, &run.dir.file("best.bpk"), &device)?;
    let batch = config.batch_size.max(256);
    let (test, matrix) = evaluate_with_confusion(&best, &*p.test, &batcher, batch, &device)?;
    let shown = MISTAKES_SHOWN;
    let gallery = match most_wrong(&best, &*p.test, &batcher, batch, &device, shown) {
        Ok(items) => Gallery::Mistakes {
            items,
            classes: p.preprocessing.classes.clone(),
        },
        Err(e) => Gallery::Note(format!("not drawn: {e}")),
    };
    let outcome = TestOutcome {
        dataset: p.dataset_name,
        classes: p.preprocessing.classes,
        parameters,
        loss: test.loss,
        count: test.count,
        matrix,
        headline: format!("top-1 {:.2} %", 100.0 * test.top1),
        scores: TaskScores::Classify(ClassificationScores {
            best_valid_accuracy: fitted.best_score,
            test_accuracy: test.top1,
            top_k: k,
            test_top5: test.top5,
        }),
        gallery,
    };
    run.conclude(&fitted, outcome, warnings)
}
