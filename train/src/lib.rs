//! # train — training the classic networks with Burn's Learner
//!
//! [`run::run_classification`] trains any registered model on any dataset of the `data` crate with
//! Burn's `SupervisedTraining` + `Learner`, our learning-rate [`schedule`]s (step, exponential,
//! time-based, cosine, warm-up), [`optimizer`]s with PyTorch-like defaults, L1/L2
//! [`regularization`], atomic [`checkpoint`]s, resume, `metrics.csv`, `curves.png` and
//! `summary.json`. [`segmentation::run_segmentation`] does the same for the segmentation nets, with
//! pixel-wise cross-entropy and mIoU. The experiment is one serialisable [`ExperimentConfig`].

pub mod atomic;
pub mod checkpoint;
pub mod classifier;
pub mod confusion_plot;
pub mod curves;
pub mod error;
pub mod evaluate;
pub mod experiment;
pub(crate) mod learning;
pub mod load;
pub mod metrics_csv;
pub mod optimizer;
pub mod plot;
pub mod recorder;
pub mod regularization;
pub mod renderer;
pub mod run;
pub mod run_dir;
pub mod run_files;
pub mod schedule;
pub mod segmentation;
pub mod setup;
pub mod split;

pub use error::TrainError;
pub use experiment::{ExperimentConfig, Task};
pub use run::{RunSummary, run_classification};
pub use run_dir::RunOptions;
pub use segmentation::{SegRunSummary, run_segmentation};
