//! Semantic segmentation: the pixel-wise loss, the confusion-matrix metrics (pixel accuracy,
//! per-class IoU, mean IoU; Long, Shelhamer & Darrell, FCN, CVPR 2015), the module the learner
//! trains, and the run (`cargo xtask train --task segment`).

pub mod evaluate;
pub mod loss;
pub mod metric;
pub mod run;
pub mod segmenter;
pub mod setup;

pub use crate::confusion::ConfusionMatrix;
pub use loss::pixel_cross_entropy;
