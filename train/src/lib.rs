//! # train — training the classic networks with Burn's Learner
//!
//! [`run_experiment`] trains any registered model on any dataset of the `data` crate with
//! Burn's `SupervisedTraining` + `Learner`, our learning-rate [`schedule`]s (step, exponential,
//! time-based, cosine, warm-up), [`optimizer`]s with PyTorch-like defaults, L1/L2
//! [`regularization`], atomic [`checkpoint`]s, resume, `metrics.csv`, `curves.png` and
//! `summary.json`, through the run pipeline both tasks share ([`pipeline`]); flags meet the
//! experiment file in one place ([`ExperimentConfig::apply`]) and the run folder is one type
//! ([`RunDir`]); every run ends with a self-contained `report.html` ([`run_report`]). Segmentation runs do the same for the segmentation nets, with
//! pixel-wise cross-entropy and mIoU. The experiment is one serialisable [`ExperimentConfig`].

pub mod atomic;
pub mod checkpoint;
pub mod classifier;
pub mod confusion;
pub mod confusion_plot;
pub mod curves;
pub mod disk_space;
pub mod distributed;
pub mod error;
pub mod evaluate;
pub mod experiment;
pub mod imported;
pub mod init_from;
pub mod interrupt;
pub mod lab;
pub(crate) mod learning;
pub mod load;
pub mod metrics_csv;
pub mod mistakes;
pub mod optimizer;
pub mod pipeline;
pub mod plot;
pub mod recorder;
pub mod regularization;
pub mod renderer;
pub mod resume_loader;
pub mod run;
pub mod run_dir;
pub mod run_report;
pub mod schedule;
pub mod segmentation;
pub mod setup;
pub mod split;
pub mod summary;

pub use error::TrainError;
pub use experiment::{ExperimentConfig, Overrides, Task};
pub use pipeline::{run_experiment, run_plan};
pub use run_dir::{RunDir, RunOptions};
pub use summary::RunSummary;
