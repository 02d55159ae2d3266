//! # lab — the lecture's claims as controlled experiments
//!
//! `cargo xtask experiment NAME` trains the variants of one experiment under identical conditions
//! (same data subset, same seed, same batch order, same budget: [`fit`]), measures them, draws
//! them ([`plots`]) and writes `runs/experiments/NAME/` with `results.csv`, `results.json`, the
//! PNG pictures, one `variants/<variant>/metrics.csv` per trained variant and a self-contained
//! `report.html` ([`html`]). Every conclusion sentence is computed from the run's numbers.
//!
//! An experiment (one file of [`experiments`]) states only what is particular to it: its
//! variants, its measurements and its sentences. The rest is shared: training a variant and
//! writing its folder, the budgets and the usual charts ([`experiments::common`]), and the table
//! filled one variant at a time with its named numbers ([`Report::row`], [`table`]).
//!
//! Implemented: `init` (Glorot & Bengio 2010; He et al. 2015), `activations` (vanishing
//! gradients; Glorot & Bengio 2010, Maas et al. 2013, Clevert et al. 2016, Goodfellow et al.
//! 2013), `batch-norm` (Ioffe & Szegedy 2015), `dropout` (Srivastava et al. 2014),
//! `regularization` (Tibshirani 1996, Krogh & Hertz 1992, Zou & Hastie 2005), `lr-schedules`,
//! `learning-rate`, `optimizers` (Polyak 1964, Nesterov 1983, Duchi et al. 2011, Hinton's
//! RMSProp, Kingma & Ba 2015, Loshchilov & Hutter 2019). The others the issue lists are known
//! names that are refused with [`LabError::NotImplemented`].

pub mod cnn;
pub mod data;
pub mod error;
pub mod experiments;
pub mod fit;
pub mod html;
pub mod mlp;
pub mod plots;
pub mod probe;
pub mod report;
pub mod table;
pub mod variants;

use std::path::{Path, PathBuf};
use std::time::Instant;

use burn::tensor::Device;
use model::backend::BackendKind;

pub use error::LabError;
pub use report::Report;

/// Every experiment the issue names, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExperimentName {
    /// Initialisation schemes in a 10-layer network.
    Init,
    /// Activation functions and vanishing gradients.
    Activations,
    /// Input preprocessing and whitening.
    Preprocessing,
    /// Batch normalisation placement, learning rate and bad initialisation.
    BatchNorm,
    /// Dropout and the train/test gap.
    Dropout,
    /// L1, L2 and elastic-net penalties.
    Regularization,
    /// Data augmentation on a small subset.
    Augmentation,
    /// Learning-rate schedules under one budget.
    LrSchedules,
    /// Too small, good and too large learning rates.
    LearningRate,
    /// Batch size, wall time and sharpness.
    BatchSize,
    /// Optimisers on a network and on a 2-D ill-conditioned function.
    Optimizers,
    /// Fully connected vs locally connected vs convolutional.
    Layers,
    /// Max vs average vs L2 pooling.
    Pooling,
    /// First-layer filters and feature maps.
    Filters,
}

impl ExperimentName {
    /// All of them.
    pub const ALL: [ExperimentName; 14] = [
        Self::Init,
        Self::Activations,
        Self::Preprocessing,
        Self::BatchNorm,
        Self::Dropout,
        Self::Regularization,
        Self::Augmentation,
        Self::LrSchedules,
        Self::LearningRate,
        Self::BatchSize,
        Self::Optimizers,
        Self::Layers,
        Self::Pooling,
        Self::Filters,
    ];

    /// The command-line name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Init => "init",
            Self::Activations => "activations",
            Self::Preprocessing => "preprocessing",
            Self::BatchNorm => "batch-norm",
            Self::Dropout => "dropout",
            Self::Regularization => "regularization",
            Self::Augmentation => "augmentation",
            Self::LrSchedules => "lr-schedules",
            Self::LearningRate => "learning-rate",
            Self::BatchSize => "batch-size",
            Self::Optimizers => "optimizers",
            Self::Layers => "layers",
            Self::Pooling => "pooling",
            Self::Filters => "filters",
        }
    }

    /// Whether it has an implementation.
    pub fn implemented(&self) -> bool {
        experiments::runner(*self).is_some()
    }

    /// Every name.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|e| e.name()).collect()
    }

    /// The names of the implemented experiments.
    pub fn implemented_names() -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|e| e.implemented())
            .map(|e| e.name())
            .collect()
    }
}

impl std::str::FromStr for ExperimentName {
    type Err = LabError;
    fn from_str(s: &str) -> Result<Self, LabError> {
        let s = s.to_ascii_lowercase().replace('_', "-");
        Self::ALL
            .into_iter()
            .find(|e| e.name() == s)
            .ok_or(LabError::Unknown(s))
    }
}

/// The flags every experiment takes.
#[derive(Debug, Clone)]
pub struct LabOptions {
    /// Dataset spec (`mnist`, `fashion-mnist`, …); `None`: the experiment's default.
    pub dataset: Option<String>,
    /// Epochs; `None`: the experiment's default.
    pub epochs: Option<usize>,
    /// Seed of the data subset, the weights and the batch order.
    pub seed: u64,
    /// The backend.
    pub backend: BackendKind,
    /// Seconds instead of minutes: smaller subsets and budgets.
    pub quick: bool,
    /// The folder that receives `NAME/` (default `runs/experiments`).
    pub out: PathBuf,
    /// The data cache folder.
    pub cache: PathBuf,
}

/// What an experiment runs with: its options, its folder and the training device.
pub struct Ctx<'a> {
    /// The options.
    pub opts: &'a LabOptions,
    /// `out/NAME`.
    pub dir: PathBuf,
    /// The autodiff device.
    pub device: Device,
}

impl Ctx<'_> {
    /// `full`, or `quick` under `--quick`.
    pub fn size(&self, full: usize, quick: usize) -> usize {
        if self.opts.quick { quick } else { full }
    }

    /// `--epochs`, else `full` / `quick`.
    pub fn epochs(&self, full: usize, quick: usize) -> usize {
        self.opts.epochs.unwrap_or(self.size(full, quick)).max(1)
    }

    /// `--dataset`, else `default`.
    pub fn dataset(&self, default: &str) -> String {
        self.opts
            .dataset
            .clone()
            .unwrap_or_else(|| default.to_string())
    }

    /// Loads the subset: `n_train` / `n_test` images of `--dataset` or `default`.
    pub fn load(
        &self,
        default: &str,
        n_train: usize,
        n_test: usize,
    ) -> Result<data::LabData, LabError> {
        data::load(
            &self.dataset(default),
            &self.opts.cache,
            n_train,
            n_test,
            self.opts.seed,
        )
    }

    /// A path inside the experiment's folder.
    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }
}

/// Runs experiment `name`, writes its folder and returns its report.
pub fn run(name: ExperimentName, opts: &LabOptions) -> Result<Report, LabError> {
    let runner =
        experiments::runner(name).ok_or_else(|| LabError::NotImplemented(name.name().into()))?;
    let dir = opts.out.join(name.name());
    std::fs::create_dir_all(&dir).map_err(LabError::io(&dir))?;
    let ctx = Ctx {
        opts,
        dir: dir.clone(),
        device: opts.backend.autodiff_device()?,
    };
    let start = Instant::now();
    let mut report = runner(&ctx)?;
    report.name = name.name().to_string();
    report.seconds = start.elapsed().as_secs_f64();
    report.setup("seed", opts.seed.to_string());
    report.setup("backend", format!("{:?}", opts.backend).to_lowercase());
    report.setup("size", if opts.quick { "--quick" } else { "default" });
    report.write(&dir)?;
    Ok(report)
}

/// An experiment's name and what running it gave.
pub type Outcome = (String, Result<Report, LabError>);

/// Runs every implemented experiment and writes `out/index.html`; the not-implemented ones
/// are listed there as such. Returns the index page's path and each experiment's outcome.
pub fn run_all(opts: &LabOptions) -> Result<(PathBuf, Vec<Outcome>), LabError> {
    let mut outcomes = Vec::new();
    for name in ExperimentName::ALL {
        outcomes.push((name.name().to_string(), run(name, opts)));
    }
    let rows: Vec<(String, Option<Report>, String)> = outcomes
        .iter()
        .map(|(n, r)| match r {
            Ok(rep) => (n.clone(), Some(rep.clone()), String::new()),
            Err(e) => (n.clone(), None, e.to_string()),
        })
        .collect();
    let index = opts.out.join("index.html");
    write_file(&index, &html::index_page(&rows))?;
    Ok((index, outcomes))
}

fn write_file(path: &Path, text: &str) -> Result<(), LabError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(LabError::io(parent))?;
    }
    std::fs::write(path, text).map_err(LabError::io(path))
}
