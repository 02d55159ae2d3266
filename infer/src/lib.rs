//! # infer — classify image files (or segment them) with a trained run
//!
//! Everything comes from the run folder written by `cargo xtask train`: the network's config
//! (`model.json`), the input format, normalisation statistics and class names
//! (`preprocessing.json`) and the weights (`best.bpk`, `last.bpk` or `checkpoint/model-N.bpk`).
//! Images of any size, grey or colour, PNG/JPEG/BMP, are converted exactly as the training data were.
//! A file that cannot be read or decoded is reported with its error; the others are still classified.
//! A segmentation run writes a class-id mask PNG and a colour overlay per image ([`segment`]).

pub mod classify;
pub mod files;
pub mod output;
pub mod run_folder;
pub mod segment;

pub use classify::{Classified, Prediction, classify_files};
pub use run_folder::{CheckpointChoice, TrainedRun, run_task};
pub use segment::{SegmentationRun, Segmented, segment_files};
