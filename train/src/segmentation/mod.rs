//! Semantic-segmentation pieces: the pixel-wise loss and the confusion-matrix metrics (pixel accuracy,
//! per-class IoU, mean IoU), following Long, Shelhamer & Darrell (FCN, CVPR 2015) for the metrics.

pub mod loss;
pub mod metrics;

pub use loss::pixel_cross_entropy;
pub use metrics::ConfusionMatrix;
