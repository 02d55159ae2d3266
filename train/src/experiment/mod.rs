//! The experiment: one serialisable description of a training run — model, data, preprocessing,
//! augmentation, optimiser, regularisation, learning-rate schedule, batch size, epochs, seed and
//! backend. Read from JSON (unknown keys are errors), overridden by command-line flags, and saved as
//! `config.json` in the run folder, from which `--resume` and the `infer` binary read it back.

mod choices;
mod overrides;

use std::path::{Path, PathBuf};

use data::DatasetSpec;
use model::backend::BackendKind;
use serde::{Deserialize, Serialize};

pub use choices::{
    AugmentChoice, AugmentPreset, ClassWeights, ClassWeightsFlag, OptimizerKind, PreprocessKind,
    ScheduleKind, Task,
};
pub use overrides::Overrides;

use crate::error::TrainError;
use crate::optimizer::OptimizerConfig;
use crate::regularization::Regularization;
use crate::schedule::{Decay, ScheduleConfig, TimeUnit};

/// Everything that defines a run, classification or segmentation. Every field may be left out of
/// the JSON (the defaults are [`ExperimentConfig::default`], the LeNet-5 MNIST recipe).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExperimentConfig {
    /// Classification or segmentation.
    pub task: Task,
    /// Registry name of the model (`cargo xtask models`).
    pub model: String,
    /// Dataset: `mnist`, `fashion-mnist`, `cifar10:DIR`, `folder:DIR`, `digits-seg[:SEED]`,
    /// `seg-folder:DIR` (parsed once, here; `folder:DIR` of a segmentation run is read as
    /// `seg-folder:DIR`).
    pub dataset: DatasetSpec,
    /// Input side fed to the network (default: the dataset's own size for small models, the
    /// model's size otherwise; segmentation: the images' own size).
    pub input_size: Option<usize>,
    /// Input channels fed to the network (default: the dataset's).
    pub channels: Option<usize>,
    /// Preprocessing statistics computed from the training split.
    pub preprocess: PreprocessKind,
    /// Training-time augmentation.
    pub augment: AugmentChoice,
    /// Optimiser and its hyper-parameters.
    pub optimizer: OptimizerConfig,
    /// L1 / L2 penalties added to the loss.
    pub regularization: Regularization,
    /// Learning-rate schedule (its `lr0` is the base learning rate).
    pub schedule: ScheduleConfig,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Number of epochs.
    pub epochs: usize,
    /// Seed of initialisation, shuffling, the validation split and augmentation.
    pub seed: u64,
    /// Fraction of the training split held out for validation.
    pub valid_fraction: f64,
    /// Use only this many training images (before the validation split); for quick runs.
    pub train_limit: Option<usize>,
    /// Use only this many test images.
    pub test_limit: Option<usize>,
    /// Segmentation: base width (channels of the first stage) replacing the registry's; when absent,
    /// inputs of at most 64 px get 16 (a quarter of the papers' 64) so the nets train on a CPU.
    pub width: Option<usize>,
    /// Segmentation: loss weight per class — a list (PyTorch's `weight`) or `"median-frequency"`
    /// (Eigen & Fergus 2015, as SegNet trains); default all 1.
    pub class_weights: Option<ClassWeights>,
    /// Weight of GoogLeNet's auxiliary losses (the paper uses 0.3).
    pub aux_weight: Option<f64>,
    /// Backend that trains the network.
    pub backend: BackendKind,
    /// Data-loader worker threads (1 keeps runs reproducible; more deliver batches in a
    /// nondeterministic order).
    pub num_workers: usize,
    /// Data cache folder (default: `$CNN_DATA_DIR` or `<workspace>/.cache/data`).
    pub data_dir: Option<PathBuf>,
    /// Stop when the validation metric (accuracy, or mIoU) has not improved for this many epochs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub early_stop: Option<usize>,
    /// Fine-tuning: start from the matching tensors of this run folder or PyTorch/SafeTensors
    /// state dict ([`crate::init_from`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init_from: Option<PathBuf>,
    /// Fine-tuning: the class count the new head must have (checked against the dataset's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_classes: Option<usize>,
    /// Fine-tuning: train only the classifier head.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub freeze_backbone: bool,
    /// Image folders (`folder:DIR`, segmentation folders): leave out the files that do not decode
    /// or check, each named before the run starts, instead of stopping (`--skip-bad`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub skip_bad: bool,
    /// How the run is spread over devices or MPI ranks (`--devices`, `--distributed`); never
    /// saved, so a run may continue on another layout.
    #[serde(skip)]
    pub parallel: crate::distributed::Parallel,
}

impl Default for ExperimentConfig {
    /// The LeNet-5 MNIST recipe (`configs/lenet5_mnist.json`): Nesterov momentum 0.9 with coupled
    /// weight decay 5e-4, cosine annealing from 0.05 over the whole run, batch 128, 12 epochs,
    /// the default augmentation, 10 % held out for validation, flex, one loader thread (which keeps
    /// a CPU run reproducible from its seed).
    fn default() -> Self {
        Self {
            task: Task::Classify,
            model: "lenet5".into(),
            dataset: DatasetSpec::Mnist(None),
            input_size: None,
            channels: None,
            preprocess: PreprocessKind::Standardize,
            augment: AugmentChoice::Preset(AugmentPreset::Default),
            optimizer: OptimizerConfig::nesterov(0.9).with_weight_decay(5e-4),
            regularization: Regularization::default(),
            schedule: ScheduleConfig::cosine_over_run(0.05),
            batch_size: 128,
            epochs: 12,
            seed: 42,
            valid_fraction: 0.1,
            train_limit: None,
            test_limit: None,
            width: None,
            class_weights: None,
            aux_weight: None,
            backend: BackendKind::Flex,
            num_workers: 1,
            data_dir: None,
            early_stop: None,
            init_from: None,
            num_classes: None,
            freeze_backbone: false,
            skip_bad: false,
            parallel: crate::distributed::Parallel::Single,
        }
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
            dataset: DatasetSpec::DigitsSeg { seed: 0 },
            optimizer: OptimizerConfig::adam(),
            schedule: ScheduleConfig::cosine_over_run(2e-3),
            class_weights: Some(ClassWeights::MedianFrequency),
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
        let mut config: Self =
            serde_json::from_str(text).map_err(|e| TrainError::Config(e.to_string()))?;
        config.normalize();
        config.validate()?;
        Ok(config)
    }

    /// Pretty JSON, as written to `config.json`.
    pub fn to_json(&self) -> Result<String, TrainError> {
        serde_json::to_string_pretty(self).map_err(|e| TrainError::Config(e.to_string()))
    }

    /// Settle what depends on the task, once: a segmentation run reads `folder:DIR` as a
    /// segmentation folder.
    pub(crate) fn normalize(&mut self) {
        if self.task == Task::Segment
            && let DatasetSpec::Folder(dir) = &self.dataset
        {
            self.dataset = DatasetSpec::SegFolder(dir.clone());
        }
    }

    /// Reject values that cannot train: unknown model, empty batch, bad LR, bad split …
    pub fn validate(&self) -> Result<(), TrainError> {
        let spec = &self.dataset;
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
                // `folder:DIR` is read as `seg-folder:DIR` ([`Self::normalize`]).
                if !(spec.is_segmentation() || matches!(spec, DatasetSpec::Folder(_))) {
                    return Err(TrainError::Config(format!(
                        "`{}` has no masks; segmentation trains on digits-seg[:SEED] or folder:DIR",
                        self.dataset
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
        // The best model is chosen on the validation split, so it must not be empty.
        if !(self.valid_fraction > 0.0 && self.valid_fraction < 1.0) {
            return Err(TrainError::Config(format!(
                "valid_fraction must be in (0, 1): the best epoch is chosen on the validation split, got {}",
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
        if self.early_stop == Some(0) {
            return Err(TrainError::Config(
                "early_stop (patience) must be at least 1 epoch".into(),
            ));
        }
        self.resolved_schedule(1).validate()?;
        self.optimizer.validate()?;
        self.regularization.validate()?;
        Ok(())
    }

    /// The schedule with an absent cosine period resolved to the whole run (`epochs`, or `epochs ×
    /// iterations_per_epoch` when the schedule counts iterations).
    pub fn resolved_schedule(&self, iterations_per_epoch: u64) -> ScheduleConfig {
        let mut schedule = self.schedule;
        if let Decay::Cosine {
            min_lr,
            period: None,
        } = schedule.decay
        {
            let epochs = self.epochs as u64;
            let period = match schedule.unit {
                TimeUnit::Epoch => epochs,
                TimeUnit::Iteration => epochs * iterations_per_epoch.max(1),
            };
            schedule.decay = Decay::Cosine {
                min_lr,
                period: Some(period.max(1)),
            };
        }
        schedule
    }

    /// The data cache folder: `data_dir`, else `$CNN_DATA_DIR` or `<workspace>/.cache/data`.
    pub fn data_cache(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(data::default_cache_dir)
    }

    /// The folder name a run of this config gets by default: `runs/<model>-<dataset>`.
    pub fn default_run_name(&self) -> String {
        format!("{}-{}", self.model, self.dataset.name())
    }
}
