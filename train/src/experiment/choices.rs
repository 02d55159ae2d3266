//! The enum-like fields of an experiment: the task, preprocessing, augmentation and the
//! segmentation loss's class weights. Each reads the JSON forms older run folders wrote, and each
//! that a flag sets is a clap `ValueEnum`.

use data::AugmentConfig;
use serde::{Deserialize, Serialize};

use crate::optimizer::OptimizerConfig;
use crate::schedule::Decay;

/// What a run learns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, clap::ValueEnum)]
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

/// A named augmentation recipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AugmentPreset {
    /// The dataset's usual recipe (shifts, small rotations, brightness jitter).
    Default,
    /// No augmentation.
    None,
}

/// Augmentation: `"default"`, `"none"`, or an explicit pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawAugment", into = "RawAugment")]
pub enum AugmentChoice {
    /// A named preset.
    Preset(AugmentPreset),
    /// An explicit list of transforms.
    Pipeline(AugmentConfig),
}

impl Default for AugmentChoice {
    fn default() -> Self {
        Self::Preset(AugmentPreset::None)
    }
}

/// The JSON forms of [`AugmentChoice`].
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum RawAugment {
    Name(String),
    Pipeline(AugmentConfig),
}

impl TryFrom<RawAugment> for AugmentChoice {
    type Error = String;
    fn try_from(raw: RawAugment) -> Result<Self, String> {
        match raw {
            RawAugment::Name(n) if n == "default" => Ok(Self::Preset(AugmentPreset::Default)),
            RawAugment::Name(n) if n == "none" => Ok(Self::Preset(AugmentPreset::None)),
            RawAugment::Name(n) => Err(format!(
                "augment must be \"default\", \"none\" or a pipeline object, got \"{n}\""
            )),
            RawAugment::Pipeline(p) => Ok(Self::Pipeline(p)),
        }
    }
}

impl From<AugmentChoice> for RawAugment {
    fn from(choice: AugmentChoice) -> Self {
        match choice {
            AugmentChoice::Preset(AugmentPreset::Default) => Self::Name("default".into()),
            AugmentChoice::Preset(AugmentPreset::None) => Self::Name("none".into()),
            AugmentChoice::Pipeline(p) => Self::Pipeline(p),
        }
    }
}

/// Per-class loss weights of a segmentation run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawWeights", into = "RawWeights")]
pub enum ClassWeights {
    /// `"median-frequency"`: `median(f) / f(c)`, with `f(c)` the pixels of class `c` over the
    /// pixels of the training images that contain `c` (resolved to a list when training starts).
    MedianFrequency,
    /// One weight per class.
    List(Vec<f32>),
}

/// The `--class-weights` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClassWeightsFlag {
    /// SegNet's median-frequency weights.
    MedianFrequency,
    /// All classes weigh 1.
    None,
}

/// The JSON forms of [`ClassWeights`].
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum RawWeights {
    Name(String),
    List(Vec<f32>),
}

impl TryFrom<RawWeights> for ClassWeights {
    type Error = String;
    fn try_from(raw: RawWeights) -> Result<Self, String> {
        let name = match raw {
            RawWeights::List(w) => return Ok(Self::List(w)),
            RawWeights::Name(name) => name,
        };
        (name == "median-frequency")
            .then_some(Self::MedianFrequency)
            .ok_or_else(|| {
                format!("class_weights must be a list or \"median-frequency\", got \"{name}\"")
            })
    }
}

impl From<ClassWeights> for RawWeights {
    fn from(w: ClassWeights) -> Self {
        if let ClassWeights::List(w) = w {
            return Self::List(w);
        }
        Self::Name("median-frequency".into())
    }
}

impl AugmentChoice {
    /// The pipeline for stored images of shape `native` (augmentation works on them before they
    /// are fitted to the input size).
    pub fn resolve(&self, native: [usize; 3]) -> AugmentConfig {
        match self {
            Self::Preset(AugmentPreset::Default) => AugmentConfig::default_for(native),
            Self::Preset(AugmentPreset::None) => AugmentConfig::none(),
            Self::Pipeline(pipeline) => pipeline.clone(),
        }
    }
}

/// `--optimizer`: the update rule, with PyTorch's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OptimizerKind {
    /// Plain SGD.
    Sgd,
    /// Heavy-ball momentum 0.9.
    Momentum,
    /// Nesterov momentum 0.9.
    Nesterov,
    /// Adam.
    Adam,
    /// AdamW (decoupled weight decay).
    Adamw,
    /// RMSProp.
    Rmsprop,
    /// AdaGrad.
    Adagrad,
}

impl OptimizerKind {
    pub(super) fn config(self) -> OptimizerConfig {
        match self {
            Self::Sgd => OptimizerConfig::sgd(),
            Self::Momentum => OptimizerConfig::momentum(0.9),
            Self::Nesterov => OptimizerConfig::nesterov(0.9),
            Self::Adam => OptimizerConfig::adam(),
            Self::Adamw => OptimizerConfig::adamw(),
            Self::Rmsprop => OptimizerConfig::rmsprop(),
            Self::Adagrad => OptimizerConfig::adagrad(),
        }
    }
}

/// `--schedule`: the decay law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScheduleKind {
    /// `lr0`.
    Constant,
    /// `lr0·γ^⌊t/s⌋` (default γ 0.1, s 1).
    Step,
    /// `lr0·e^(−k·t)` (default k 0.1).
    Exponential,
    /// `lr0/(1 + k·t)` (default k 0.1).
    TimeBased,
    /// Cosine annealing to 0 over the whole run.
    Cosine,
}

impl ScheduleKind {
    pub(super) fn of(decay: &Decay) -> Self {
        match decay {
            Decay::Constant => Self::Constant,
            Decay::Step { .. } => Self::Step,
            Decay::Exponential { .. } => Self::Exponential,
            Decay::TimeBased { .. } => Self::TimeBased,
            Decay::Cosine { .. } => Self::Cosine,
        }
    }

    pub(super) fn default_decay(self) -> Decay {
        match self {
            Self::Constant => Decay::Constant,
            Self::Step => Decay::Step {
                gamma: 0.1,
                step_size: 1,
            },
            Self::Exponential => Decay::Exponential { k: 0.1 },
            Self::TimeBased => Decay::TimeBased { k: 0.1 },
            Self::Cosine => Decay::Cosine {
                min_lr: 0.0,
                period: None,
            },
        }
    }
}
