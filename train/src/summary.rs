//! `summary.json`: one [`RunSummary`] for both tasks, with a task-specific section
//! ([`TaskScores`]) whose fields sit beside the common ones in the JSON, as before.

use serde::Serialize;

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
    /// Whether early stopping ended the run before its last epoch.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stopped_early: bool,
    /// Epoch of the best validation score (its model is `best.bpk`).
    pub best_epoch: usize,
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
    /// The task's scores.
    #[serde(flatten)]
    pub scores: TaskScores,
    /// Pictures that could not be drawn (the run itself is complete).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The task-specific part of a summary.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum TaskScores {
    /// A classification run.
    Classify(ClassificationScores),
    /// A segmentation run.
    Segment(SegmentationScores),
}

/// Scores of a classification run.
#[derive(Debug, Clone, Serialize)]
pub struct ClassificationScores {
    /// Best validation top-1 accuracy.
    pub best_valid_accuracy: f64,
    /// Test top-1 accuracy of the best model.
    pub test_accuracy: f64,
    /// The k of the top-k accuracy: min(5, classes).
    pub top_k: usize,
    /// Test top-k accuracy of the best model (the name is kept from the runs where k was 5).
    pub test_top5: f64,
}

/// Scores of a segmentation run.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentationScores {
    /// Base width of the network.
    pub base_width: usize,
    /// Best validation mIoU.
    pub best_valid_miou: f64,
    /// Test mIoU of the best model.
    pub test_miou: f64,
    /// Test pixel accuracy of the best model.
    pub test_pixel_accuracy: f64,
    /// Test IoU of every class (null: absent from targets and predictions).
    pub test_iou: Vec<(String, Option<f64>)>,
}

impl RunSummary {
    /// The scores of a classification run.
    pub fn classification(&self) -> Option<&ClassificationScores> {
        match &self.scores {
            TaskScores::Classify(s) => Some(s),
            TaskScores::Segment(_) => None,
        }
    }

    /// The scores of a segmentation run.
    pub fn segmentation(&self) -> Option<&SegmentationScores> {
        match &self.scores {
            TaskScores::Segment(s) => Some(s),
            TaskScores::Classify(_) => None,
        }
    }

    /// The one line `cargo xtask train` ends with.
    pub fn headline(&self) -> String {
        let scores = match &self.scores {
            TaskScores::Classify(s) => format!(
                "test accuracy {:.2}% (best validation {:.2}% at epoch {})",
                100.0 * s.test_accuracy,
                100.0 * s.best_valid_accuracy,
                self.best_epoch
            ),
            TaskScores::Segment(s) => format!(
                "base width {}: test mIoU {:.4}, pixel accuracy {:.2}% (best validation mIoU {:.4} at epoch {})",
                s.base_width,
                s.test_miou,
                100.0 * s.test_pixel_accuracy,
                s.best_valid_miou,
                self.best_epoch
            ),
        };
        let stopped = if self.stopped_early {
            " (stopped early)"
        } else {
            ""
        };
        format!(
            "{} on {} — {scores}, {} epochs{stopped} in {:.0} s on {}, {:.1} training images/s",
            self.model,
            self.dataset,
            self.epochs,
            self.wall_seconds,
            self.backend,
            self.train_images_per_second
        )
    }
}
