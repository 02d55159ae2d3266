//! The experiment: one serialisable description of a training run — model, data, preprocessing,
//! augmentation, optimiser, regularisation, learning-rate schedule, batch size, epochs, seed and
//! backend. Read from JSON (unknown keys are errors), overridden by command-line flags, and saved as
//! `config.json` in the run folder, from which `--resume` and the `infer` binary read it back.

use std::path::{Path, PathBuf};

use data::AugmentConfig;
use model::backend::BackendKind;
use serde::{Deserialize, Serialize};

use crate::error::TrainError;
use crate::optimizer::OptimizerConfig;
use crate::regularization::Regularization;
use crate::schedule::{Decay, ScheduleConfig, TimeUnit};

/// How training images are standardised before they reach the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PreprocessKind {
    /// Per-channel mean/std from the training split (zero-centring and normalisation).
    #[default]
    Standardize,
    /// PCA whitening from the training covariance.
    Pca,
    /// ZCA whitening from the training covariance.
    Zca,
    /// Pixels scaled to [0, 1] only.
    None,
}

/// Augmentation: `"default"` (the dataset's usual recipe), `"none"`, or an explicit pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AugmentChoice {
    /// A named preset: `default` or `none`.
    Preset(String),
    /// An explicit list of transforms.
    Pipeline(AugmentConfig),
}

impl Default for AugmentChoice {
    fn default() -> Self {
        Self::Preset("none".into())
    }
}

/// What a run learns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// One class per image (the classification registry).
    #[default]
    Classify,
    /// One class per pixel (the segmentation registry, datasets with masks).
    Segment,
}

impl std::fmt::Display for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Classify => "classify",
            Self::Segment => "segment",
        })
    }
}

impl std::str::FromStr for Task {
    type Err = TrainError;
    fn from_str(s: &str) -> Result<Self, TrainError> {
        match s {
            "classify" => Ok(Self::Classify),
            "segment" => Ok(Self::Segment),
            _ => Err(TrainError::Config(format!(
                "unknown task `{s}`; use classify or segment"
            ))),
        }
    }
}

/// Per-class loss weights of a segmentation run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ClassWeights {
    /// `"median-frequency"`: `median(f) / f(c)`, with `f(c)` the pixels of class `c` over the
    /// pixels of the training images that contain `c`.
    Named(String),
    /// One weight per class.
    List(Vec<f32>),
}

fn default_model() -> String {
    "lenet5".into()
}
fn default_dataset() -> String {
    "mnist".into()
}
fn default_batch_size() -> usize {
    128
}
fn default_epochs() -> usize {
    12
}
fn default_seed() -> u64 {
    42
}
fn default_valid_fraction() -> f64 {
    0.1
}
fn default_optimizer() -> OptimizerConfig {
    OptimizerConfig::nesterov(0.9).with_weight_decay(5e-4)
}
fn default_schedule() -> ScheduleConfig {
    // Cosine annealing over the whole run (a period of 0 is resolved to the run's length).
    ScheduleConfig::new(
        0.05,
        Decay::Cosine {
            min_lr: 0.0,
            period: 0,
        },
    )
}
fn default_augment() -> AugmentChoice {
    AugmentChoice::Preset("default".into())
}
fn default_backend() -> BackendKind {
    BackendKind::Flex
}
fn default_workers() -> usize {
    // One loader thread keeps the batch order, and so a CPU run, reproducible from the seed; more
    // threads help only when augmentation is heavy (large images), at the cost of that determinism.
    1
}

/// Everything that defines a classification run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentConfig {
    /// Classification or segmentation.
    #[serde(default)]
    pub task: Task,
    /// Registry name of the model (`cargo xtask models`).
    #[serde(default = "default_model")]
    pub model: String,
    /// Dataset: `mnist`, `fashion-mnist`, `cifar10:DIR`, `folder:DIR`.
    #[serde(default = "default_dataset")]
    pub dataset: String,
    /// Input side fed to the network (default: the dataset's own size for small models, the
    /// model's size otherwise; segmentation: the images' own size).
    #[serde(default)]
    pub input_size: Option<usize>,
    /// Input channels fed to the network (default: the dataset's).
    #[serde(default)]
    pub channels: Option<usize>,
    /// Preprocessing statistics computed from the training split.
    #[serde(default)]
    pub preprocess: PreprocessKind,
    /// Training-time augmentation.
    #[serde(default = "default_augment")]
    pub augment: AugmentChoice,
    /// Optimiser and its hyper-parameters.
    #[serde(default = "default_optimizer")]
    pub optimizer: OptimizerConfig,
    /// L1 / L2 penalties added to the loss.
    #[serde(default)]
    pub regularization: Regularization,
    /// Learning-rate schedule (its `lr0` is the base learning rate).
    #[serde(default = "default_schedule")]
    pub schedule: ScheduleConfig,
    /// Mini-batch size.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// Number of epochs.
    #[serde(default = "default_epochs")]
    pub epochs: usize,
    /// Seed of initialisation, shuffling, the validation split and augmentation.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Fraction of the training split held out for validation.
    #[serde(default = "default_valid_fraction")]
    pub valid_fraction: f64,
    /// Use only this many training images (before the validation split); for quick runs.
    #[serde(default)]
    pub train_limit: Option<usize>,
    /// Use only this many test images.
    #[serde(default)]
    pub test_limit: Option<usize>,
    /// Segmentation: base width (channels of the first stage) replacing the registry's; when absent,
    /// inputs of at most 64 px get 16 (a quarter of the papers' 64) so the nets train on a CPU.
    #[serde(default)]
    pub width: Option<usize>,
    /// Segmentation: loss weight per class — a list (PyTorch's `weight`) or `"median-frequency"`
    /// (Eigen & Fergus 2015, as SegNet trains); default all 1.
    #[serde(default)]
    pub class_weights: Option<ClassWeights>,
    /// Weight of GoogLeNet's auxiliary losses (the paper uses 0.3).
    #[serde(default)]
    pub aux_weight: Option<f64>,
    /// Backend that trains the network.
    #[serde(default = "default_backend")]
    pub backend: BackendKind,
    /// Data-loader worker threads (1 keeps runs reproducible; more deliver batches in a
    /// nondeterministic order).
    #[serde(default = "default_workers")]
    pub num_workers: usize,
    /// Data cache folder (default: `$CNN_DATA_DIR` or `<workspace>/.cache/data`).
    #[serde(default)]
    pub data_dir: Option<PathBuf>,
}

impl Default for ExperimentConfig {
    fn default() -> Self {
        serde_json::from_str("{}").unwrap_or_else(|_| unreachable!("every field has a default"))
    }
}

impl ExperimentConfig {
    /// The segmentation recipe `--task segment` starts from: U-Net on the derived digit set, Adam
    /// (lr 2e-3, no weight decay) with cosine annealing, batch 16, 12 epochs, median-frequency class
    /// weights (SegNet's loss), image+mask augmentation. At 64 px it reaches test mIoU 0.82 (README).
    pub fn segmentation_default() -> Self {
        Self {
            task: Task::Segment,
            model: "unet".into(),
            dataset: "digits-seg".into(),
            optimizer: OptimizerConfig::adam(),
            schedule: ScheduleConfig::new(
                2e-3,
                Decay::Cosine {
                    min_lr: 0.0,
                    period: 0,
                },
            ),
            class_weights: Some(ClassWeights::Named("median-frequency".into())),
            batch_size: 16,
            epochs: 12,
            ..Self::default()
        }
    }

    /// Read a config from a JSON file; unknown keys and wrong types are errors naming the file.
    pub fn load(path: &Path) -> Result<Self, TrainError> {
        let text = std::fs::read_to_string(path).map_err(|e| TrainError::io(path, e))?;
        Self::from_json(&text).map_err(|e| TrainError::Config(format!("{}: {e}", path.display())))
    }

    /// Parse and validate a JSON text.
    pub fn from_json(text: &str) -> Result<Self, TrainError> {
        let config: Self =
            serde_json::from_str(text).map_err(|e| TrainError::Config(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Pretty JSON, as written to `config.json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| unreachable!("plain data serialises"))
    }

    /// Reject values that cannot train: unknown model, empty batch, bad LR, bad split …
    pub fn validate(&self) -> Result<(), TrainError> {
        let spec = self.dataset.parse::<data::DatasetSpec>()?;
        match self.task {
            Task::Classify => {
                model::registry::lookup(&self.model)?;
                if spec.is_segmentation() {
                    return Err(TrainError::Config(format!(
                        "`{}` is a segmentation dataset; train it with --task segment",
                        self.dataset
                    )));
                }
            }
            Task::Segment => {
                model::segmentation::segmentation_config(&self.model, 2, 1)?;
                if !matches!(
                    spec,
                    data::DatasetSpec::DigitsSeg { .. }
                        | data::DatasetSpec::SegFolder(_)
                        | data::DatasetSpec::Folder(_)
                ) {
                    return Err(TrainError::Config(format!(
                        "`{}` has no masks; segmentation trains on digits-seg[:SEED] or folder:DIR",
                        self.dataset
                    )));
                }
                if let Some(ClassWeights::Named(name)) = &self.class_weights
                    && name != "median-frequency"
                {
                    return Err(TrainError::Config(format!(
                        "class_weights must be a list or \"median-frequency\", got \"{name}\""
                    )));
                }
                if self.width == Some(0) {
                    return Err(TrainError::Config("width must be at least 1".into()));
                }
            }
        }
        if self.batch_size == 0 {
            return Err(TrainError::Config("batch_size must be at least 1".into()));
        }
        if self.epochs == 0 {
            return Err(TrainError::Config("epochs must be at least 1".into()));
        }
        if !(0.0..1.0).contains(&self.valid_fraction) {
            return Err(TrainError::Config(format!(
                "valid_fraction must be in [0, 1), got {}",
                self.valid_fraction
            )));
        }
        if let Some(c) = self.channels
            && c != 1
            && c != 3
        {
            return Err(TrainError::Config(format!(
                "channels must be 1 or 3, got {c}"
            )));
        }
        if let AugmentChoice::Preset(name) = &self.augment
            && name != "default"
            && name != "none"
        {
            return Err(TrainError::Config(format!(
                "augment must be \"default\", \"none\" or a pipeline object, got \"{name}\""
            )));
        }
        self.resolved_schedule(1).validate()?;
        self.optimizer.validate()?;
        self.regularization.validate()?;
        Ok(())
    }

    /// The schedule with a cosine period of 0 resolved to the whole run (`epochs`, or `epochs ×
    /// iterations_per_epoch` when the schedule counts iterations).
    pub fn resolved_schedule(&self, iterations_per_epoch: u64) -> ScheduleConfig {
        let mut schedule = self.schedule;
        if let Decay::Cosine { min_lr, period: 0 } = schedule.decay {
            let epochs = self.epochs as u64;
            let period = match schedule.unit {
                TimeUnit::Epoch => epochs,
                TimeUnit::Iteration => epochs * iterations_per_epoch.max(1),
            };
            schedule.decay = Decay::Cosine {
                min_lr,
                period: period.max(1),
            };
        }
        schedule
    }

    /// The folder name a run of this config gets by default: `runs/<model>-<dataset>`.
    pub fn default_run_name(&self) -> String {
        let dataset: String = self.dataset.chars().take_while(|c| *c != ':').collect();
        format!("{}-{}", self.model, dataset)
    }
}
