//! The run pipeline both tasks share: plan the folder and write `config.json`, seed the device,
//! fit with Burn's learner (checkpoints, `metrics.csv`, the best epoch by a validation metric,
//! optional early stopping on it), write `last.bpk`, `best.bpk`, `curves.png`, `summary.json` and
//! `report.html`.
//! The per-task part ([`crate::run`] for classification, [`crate::segmentation::run`]) brings the
//! data, the model, its metrics, its test evaluation and its summary section.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use burn::module::Module;
use burn::train::checkpoint::MetricCheckpointingStrategy;
use burn::train::metric::Metric;
use burn::train::metric::store::{Aggregate, Direction, Split};
use burn::train::{
    Learner, LearnerModel, MetricEarlyStoppingStrategy, StoppingCondition, SupervisedTraining,
};

use data::Preprocessing;
use serde::Serialize;

use crate::atomic::write_atomic;
use crate::checkpoint::checkpoint_bytes;
use crate::confusion::ConfusionMatrix;
use crate::confusion_plot::plot_confusion;
use crate::curves::plot_curves;
use crate::error::TrainError;
use crate::experiment::{ExperimentConfig, Task};
use crate::learning::configure_training;
use crate::metrics_csv::{EpochRow, MetricsTable};
use crate::mistakes::Gallery;
use crate::recorder::RecorderState;
use crate::run_dir::{RunDir, RunOptions, RunPlan, plan_run};
use crate::run_report::write_report;
use crate::schedule::Scheduler;
use crate::summary::{RunSummary, TaskScores};

/// Train what `config` describes, classification or segmentation (its `task`; a resumed run's is
/// the saved one), in the folder `opts` picks (resuming as `opts` asks).
pub fn run_experiment(
    config: ExperimentConfig,
    opts: &RunOptions,
) -> Result<RunSummary, TrainError> {
    run_plan(plan_run(config, opts)?)
}

/// Train a planned run.
///
/// A new run that fails before its first checkpoint (a bad dataset, a bad config value) leaves no
/// folder behind when it created it: only runs with something to resume keep theirs.
pub fn run_plan(plan: RunPlan) -> Result<RunSummary, TrainError> {
    let created = (plan.start_epoch == 0 && !plan.dir.path().exists()).then(|| plan.dir.clone());
    let result = match plan.config.task {
        Task::Classify => crate::run::classify(plan),
        Task::Segment => crate::segmentation::run::segment(plan),
    };
    if let (Err(_), Some(dir)) = (&result, created)
        && dir.complete_epochs().is_empty()
    {
        let _ = std::fs::remove_dir_all(dir.path());
    }
    result
}

/// A run folder made ready: the resolved config written, the first epoch to train known, the
/// training device created and seeded.
pub(crate) struct RunStart {
    pub dir: RunDir,
    pub config: ExperimentConfig,
    pub start_epoch: usize,
    pub started: Instant,
    pub device: burn::tensor::Device,
}

impl RunStart {
    /// Validate the plan's config, create the folder, write `config.json`, seed the device.
    pub fn begin(plan: RunPlan) -> Result<Self, TrainError> {
        let started = Instant::now();
        let RunPlan {
            dir,
            mut config,
            start_epoch,
        } = plan;
        config.normalize();
        config.validate()?;
        std::fs::create_dir_all(dir.path()).map_err(|e| TrainError::io(dir.path(), e))?;
        dir.save_config(&config)?;
        let stale = dir.remove_stale_temporaries();
        if stale > 0 {
            println!("removed {stale} temporary file(s) of an interrupted write");
        }
        if start_epoch > 0 {
            crate::checkpoint::check_resumable(&dir.checkpoint_dir(), start_epoch)?;
            println!(
                "resuming {} after epoch {start_epoch}",
                dir.path().display()
            );
        } else {
            println!("run folder {}", dir.path().display());
        }
        let device = config.backend.autodiff_device()?;
        device.seed(config.seed);
        Ok(Self {
            dir,
            config,
            start_epoch,
            started,
            device,
        })
    }

    /// The saved `preprocessing.json` a resumed run must reuse (none for a fresh run).
    pub fn saved_preprocessing(&self) -> Option<PathBuf> {
        let path = self.dir.preprocessing_file();
        (self.start_epoch > 0 && path.is_file()).then_some(path)
    }

    /// Write `preprocessing.json` and `model.json` (the network's config), and say what trains.
    pub fn save_inputs<N: Serialize>(
        &self,
        preprocessing: &Preprocessing,
        network: &N,
        what: &str,
        sizes: [usize; 3],
    ) -> Result<(), TrainError> {
        preprocessing.save(&self.dir.preprocessing_file())?;
        self.dir.save_json("model.json", network)?;
        let [train, valid, test] = sizes;
        println!(
            "{what}: {train} training, {valid} validation, {test} test images, input {:?}, {} classes, backend {}",
            preprocessing.input.shape(),
            preprocessing.classes.len(),
            self.config.backend
        );
        Ok(())
    }

    /// The learner of `model` trained on `train_len` items: the config's optimiser and schedule
    /// (an absent cosine period resolved to the whole run).
    pub fn learner<M: LearnerModel>(
        &self,
        model: M,
        train_len: usize,
    ) -> Result<Learner<M>, TrainError> {
        let iterations = crate::distributed::steps_per_epoch(train_len, &self.config) as u64;
        let schedule = self.config.resolved_schedule(iterations);
        let scheduler = Scheduler::new(schedule, iterations)?;
        Ok(Learner::new(
            model,
            self.config.optimizer.init()?,
            scheduler,
        ))
    }

    /// Fit `learner` with `training` (its metrics registered, `score_metric` among them): the
    /// shared checkpointing, logging and resume point, the best epoch by the validation mean of
    /// `score_metric` (read back from `metrics.csv` through `score`), early stopping on it when
    /// the config asks. Returns the table of epochs, the best epoch and its score.
    pub fn fit<M: LearnerModel, Me: Metric>(
        &self,
        training: SupervisedTraining<M>,
        learner: Learner<M>,
        score_metric: &Me,
        score: impl Fn(&EpochRow) -> f64,
        warnings: &mut Vec<String>,
    ) -> Result<Fitted, TrainError> {
        let state = recorder_state(&self.dir, self.start_epoch)?;
        let best_by = MetricCheckpointingStrategy::new(
            score_metric,
            Aggregate::Mean,
            Direction::Highest,
            Split::Valid,
        );
        let early = self.config.early_stop.map(|n_epochs| {
            MetricEarlyStoppingStrategy::new(
                score_metric,
                Aggregate::Mean,
                Direction::Highest,
                Split::Valid,
                StoppingCondition::NoImprovementSince { n_epochs },
            )
        });
        let training = crate::distributed::attach(training, &self.config)?;
        let training = configure_training(
            training,
            &self.dir,
            &state,
            best_by,
            early,
            self.config.epochs,
            self.start_epoch,
        );
        let result = training.launch(learner);
        let table = self.finish_launch(
            &state,
            result.error.map(|e| e.to_string()),
            result.interrupted.map(|i| format!("{i:?}")),
            result.model,
            warnings,
        )?;
        let (best_epoch, best_score) = self.keep_best(&table, score)?;
        Ok(Fitted {
            table,
            best_epoch,
            best_score,
        })
    }

    /// After the learner returns: draw the curves, report a stop, write `last.bpk`.
    fn finish_launch<M: Module>(
        &self,
        state: &Arc<Mutex<RecorderState>>,
        error: Option<String>,
        interrupted: Option<String>,
        model: M,
        warnings: &mut Vec<String>,
    ) -> Result<MetricsTable, TrainError> {
        let table = state.lock().map(|s| s.table.clone()).unwrap_or_default();
        let non_finite = state.lock().ok().and_then(|s| s.non_finite.clone());
        if !table.rows.is_empty() {
            draw(plot_curves(&table, &self.dir.curves_file()), warnings);
        }
        if let Some(message) = non_finite.or(error) {
            return Err(TrainError::Stopped(message));
        }
        let last = self.dir.file("last.bpk");
        // Batch norm's running statistics: a training-mode record holds them as of their last
        // sync, one update behind when training stopped before a validation pass (an
        // interruption); `valid()` folds the pending update into the shared state first.
        drop(model.valid());
        let bytes = checkpoint_bytes(model.into_record(), &last)?;
        write_atomic(&last, &bytes)?;
        if let Some(interruption) = interrupted {
            return Err(TrainError::Stopped(format!(
                "interrupted ({interruption}); continue with --resume"
            )));
        }
        Ok(table)
    }

    /// Copy the kept checkpoint with the best validation `score` to `best.bpk`; returns its
    /// epoch and score.
    fn keep_best(
        &self,
        table: &MetricsTable,
        score: impl Fn(&EpochRow) -> f64,
    ) -> Result<(usize, f64), TrainError> {
        let mut ranked: Vec<(usize, f64)> =
            table.split("valid").map(|r| (r.epoch, score(r))).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (best_epoch, best_score) = ranked
            .into_iter()
            .find(|(epoch, _)| self.dir.checkpoint_file("model", *epoch).is_file())
            .ok_or_else(|| TrainError::Checkpoint {
                path: self.dir.checkpoint_dir(),
                problem: "no model checkpoint of a validated epoch is left".into(),
            })?;
        let src = self.dir.checkpoint_file("model", best_epoch);
        let bytes = std::fs::read(&src).map_err(|e| TrainError::io(&src, e))?;
        write_atomic(&self.dir.file("best.bpk"), &bytes)?;
        Ok((best_epoch, best_score))
    }

    /// Draw the test split's `confusion.png` and write `report.html` and `summary.json` from the
    /// fitted run and the task's test scores.
    pub fn conclude(
        &self,
        fitted: &Fitted,
        test: TestOutcome,
        mut warnings: Vec<String>,
    ) -> Result<RunSummary, TrainError> {
        let title = format!(
            "{} on {} test split: {}",
            self.config.model, test.dataset, test.headline
        );
        draw(
            plot_confusion(
                &test.matrix,
                &test.classes,
                &title,
                &self.dir.confusion_file(),
            ),
            &mut warnings,
        );
        let train_rows: Vec<&EpochRow> = fitted.table.split("train").collect();
        let epochs = train_rows.iter().map(|r| r.epoch).max().unwrap_or(0);
        let speed = train_rows.iter().map(|r| r.images_per_second).sum::<f64>()
            / train_rows.len().max(1) as f64;
        let mut summary = RunSummary {
            run_dir: self.dir.path().display().to_string(),
            model: self.config.model.clone(),
            dataset: test.dataset,
            backend: self.config.backend.to_string(),
            epochs,
            stopped_early: self.config.early_stop.is_some() && epochs < self.config.epochs,
            best_epoch: fitted.best_epoch,
            test_loss: test.loss,
            test_images: test.count,
            train_images_per_second: speed,
            parameters: test.parameters,
            wall_seconds: self.started.elapsed().as_secs_f64(),
            scores: test.scores,
            warnings,
        };
        let page = write_report(&self.dir, &self.config, &summary, &test.gallery);
        draw(page, &mut summary.warnings);
        self.dir.save_json("summary.json", &summary)?;
        Ok(summary)
    }
}

/// What [`RunStart::fit`] returns.
pub(crate) struct Fitted {
    pub table: MetricsTable,
    pub best_epoch: usize,
    pub best_score: f64,
}

/// The task's part of the summary: its test evaluation of the best model.
pub(crate) struct TestOutcome {
    pub dataset: String,
    pub classes: Vec<String>,
    pub parameters: usize,
    pub loss: f64,
    pub count: usize,
    pub matrix: ConfusionMatrix,
    /// The headline score, for the confusion matrix's title.
    pub headline: String,
    pub scores: TaskScores,
    /// What `report.html` shows of the test predictions.
    pub gallery: Gallery,
}

/// The recorder's state, holding the rows of the epochs already done when resuming.
fn recorder_state(
    dir: &RunDir,
    start_epoch: usize,
) -> Result<Arc<Mutex<RecorderState>>, TrainError> {
    let csv = dir.metrics_file();
    let mut table = if start_epoch > 0 && csv.is_file() {
        MetricsTable::load(&csv)?
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
fn draw(result: Result<(), TrainError>, warnings: &mut Vec<String>) {
    if let Err(e) = result {
        eprintln!("warning: {e}");
        warnings.push(e.to_string());
    }
}
