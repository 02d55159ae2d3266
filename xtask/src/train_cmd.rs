//! `cargo xtask train`: the project's main job. With no arguments it trains LeNet-5 on MNIST on the
//! CPU (fetching MNIST first if needed); `--task segment` trains a segmentation net (default U-Net on
//! the derived digits-seg set); a JSON experiment file and flags change anything.

use std::path::PathBuf;

use anyhow::Context;
use model::backend::BackendKind;
use train::experiment::AugmentChoice;
use train::optimizer::OptimizerConfig;
use train::schedule::{Decay, ScheduleConfig, TimeUnit};
use train::{ExperimentConfig, RunOptions, Task, run_classification, run_segmentation};

/// Arguments of `cargo xtask train`.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// classify | segment (default: segment when the model or dataset is a segmentation one).
    #[arg(long)]
    task: Option<String>,
    /// Experiment file (JSON); flags override its values. Examples in `configs/`.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Registry name of the model (`cargo xtask models`).
    #[arg(long)]
    model: Option<String>,
    /// mnist | fashion-mnist | cifar10:DIR | folder:DIR; segmentation: digits-seg[:SEED] |
    /// folder:DIR (DIR/classes.txt, DIR/{train,test}/{images,masks})
    #[arg(long)]
    dataset: Option<String>,
    /// Segmentation: `median-frequency` class weights in the loss (SegNet's recipe).
    #[arg(long)]
    class_weights: Option<String>,
    /// Side of the square input fed to the network (default: the dataset's for small models).
    #[arg(long)]
    input_size: Option<usize>,
    /// Segmentation: base width of the network (default: 16 for inputs up to 64 px, else the
    /// paper's).
    #[arg(long)]
    width: Option<usize>,
    /// Number of epochs (with --resume: the new total).
    #[arg(long)]
    epochs: Option<usize>,
    /// Mini-batch size.
    #[arg(long)]
    batch_size: Option<usize>,
    /// Base learning rate (the schedule's lr0).
    #[arg(long)]
    lr: Option<f64>,
    /// sgd | momentum | nesterov | adam | adamw | rmsprop | adagrad (PyTorch defaults).
    #[arg(long)]
    optimizer: Option<String>,
    /// Coupled L2 weight decay of the optimiser.
    #[arg(long)]
    weight_decay: Option<f64>,
    /// L1 penalty λ₁·Σ|θ| added to the loss.
    #[arg(long)]
    l1: Option<f64>,
    /// L2 penalty λ₂·½Σθ² added to the loss.
    #[arg(long)]
    l2: Option<f64>,
    /// constant | step | exponential | time-based | cosine
    #[arg(long)]
    schedule: Option<String>,
    /// Decay rate k of the exponential and time-based schedules.
    #[arg(long)]
    k: Option<f64>,
    /// Factor γ of the step schedule.
    #[arg(long)]
    gamma: Option<f64>,
    /// Units between two steps of the step schedule.
    #[arg(long)]
    step_size: Option<u64>,
    /// Linear warm-up units before the schedule.
    #[arg(long)]
    warmup: Option<u64>,
    /// Unit of the schedule's time t: iteration | epoch.
    #[arg(long)]
    schedule_unit: Option<String>,
    /// Augmentation preset: default | none.
    #[arg(long)]
    augment: Option<String>,
    /// Train on the first N training images only (quick runs).
    #[arg(long)]
    train_limit: Option<usize>,
    /// Evaluate on the first N test images only.
    #[arg(long)]
    test_limit: Option<usize>,
    /// Seed of initialisation, shuffling, split and augmentation.
    #[arg(long)]
    seed: Option<u64>,
    /// Data-loader worker threads (default 1: reproducible batch order; more are faster with heavy
    /// augmentation but nondeterministic).
    #[arg(long)]
    num_workers: Option<usize>,
    /// flex | ndarray | wgpu
    #[arg(long)]
    backend: Option<String>,
    /// Run folder (default runs/<model>-<dataset>, numbered when taken).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Continue the run in --out (or the default folder) from its last checkpoint.
    #[arg(long)]
    resume: bool,
}

fn schedule_from_flags(base: ScheduleConfig, a: &TrainArgs) -> anyhow::Result<ScheduleConfig> {
    let lr0 = a.lr.unwrap_or(base.lr0);
    let mut s = match a.schedule.as_deref() {
        None => ScheduleConfig { lr0, ..base },
        Some("constant") => ScheduleConfig::constant(lr0),
        Some("step") => ScheduleConfig::step(lr0, a.gamma.unwrap_or(0.1), a.step_size.unwrap_or(1)),
        Some("exponential") => ScheduleConfig::exponential(lr0, a.k.unwrap_or(0.1)),
        Some("time-based") => ScheduleConfig::time_based(lr0, a.k.unwrap_or(0.1)),
        Some("cosine") => ScheduleConfig::new(
            lr0,
            Decay::Cosine {
                min_lr: 0.0,
                period: 0,
            },
        ),
        Some(other) => anyhow::bail!(
            "unknown --schedule `{other}`; expected constant, step, exponential, time-based or cosine"
        ),
    };
    if a.schedule.is_some() {
        s.unit = base.unit;
    }
    if let Some(w) = a.warmup {
        s.warmup = w;
    }
    match a.schedule_unit.as_deref() {
        None => {}
        Some("iteration") => s.unit = TimeUnit::Iteration,
        Some("epoch") => s.unit = TimeUnit::Epoch,
        Some(other) => {
            anyhow::bail!("unknown --schedule-unit `{other}`; expected iteration or epoch")
        }
    }
    Ok(s)
}

/// The experiment described by the file and the flags.
pub fn experiment(a: &TrainArgs) -> anyhow::Result<ExperimentConfig> {
    let flagged_task = match a.task.as_deref() {
        Some(t) => Some(t.parse::<Task>()?),
        None => {
            let seg_model = a
                .model
                .as_deref()
                .is_some_and(|m| model::segmentation::SEGMENTATION_MODELS.contains(&m));
            let seg_data = a.dataset.as_deref().is_some_and(|d| {
                d.parse::<data::DatasetSpec>()
                    .is_ok_and(|s| s.is_segmentation())
            });
            (seg_model || seg_data).then_some(Task::Segment)
        }
    };
    let mut c = match (&a.config, flagged_task) {
        (Some(path), _) => ExperimentConfig::load(path)?,
        (None, Some(Task::Segment)) => ExperimentConfig::segmentation_default(),
        (None, _) => ExperimentConfig::default(),
    };
    if let Some(task) = flagged_task {
        c.task = task;
    }
    if let Some(v) = &a.class_weights {
        c.class_weights = Some(train::experiment::ClassWeights::Named(v.clone()));
    }
    if let Some(v) = a.input_size {
        c.input_size = Some(v);
    }
    if let Some(v) = a.width {
        c.width = Some(v);
    }
    if let Some(v) = &a.model {
        c.model = v.clone();
    }
    if let Some(v) = &a.dataset {
        c.dataset = v.clone();
    }
    if let Some(v) = a.epochs {
        c.epochs = v;
    }
    if let Some(v) = a.batch_size {
        c.batch_size = v;
    }
    if let Some(name) = &a.optimizer {
        let decay = c.optimizer.weight_decay;
        c.optimizer = OptimizerConfig::from_name(name)?.with_weight_decay(decay);
    }
    if let Some(v) = a.weight_decay {
        c.optimizer = c.optimizer.with_weight_decay(v);
    }
    if let Some(v) = a.l1 {
        c.regularization.l1 = v;
    }
    if let Some(v) = a.l2 {
        c.regularization.l2 = v;
    }
    c.schedule = schedule_from_flags(c.schedule, a)?;
    if let Some(v) = &a.augment {
        c.augment = AugmentChoice::Preset(v.clone());
    }
    c.train_limit = a.train_limit.or(c.train_limit);
    c.test_limit = a.test_limit.or(c.test_limit);
    c.seed = a.seed.unwrap_or(c.seed);
    c.num_workers = a.num_workers.unwrap_or(c.num_workers);
    if let Some(b) = &a.backend {
        c.backend = b.parse::<BackendKind>()?;
    }
    c.validate()?;
    Ok(c)
}

pub fn run(args: TrainArgs) -> anyhow::Result<()> {
    let config = experiment(&args)?;
    if config.backend == BackendKind::Wgpu && !cfg!(feature = "wgpu") {
        return crate::wgpu_rebuild::rerun_with_wgpu();
    }
    let opts = RunOptions {
        out: args.out.clone(),
        resume: args.resume,
        epochs: if args.resume { args.epochs } else { None },
    };
    // A resumed run is what its folder's config.json says, whatever the flags' defaults.
    let task = if opts.resume {
        train::run_dir::plan_run(config.clone(), &opts)?.config.task
    } else {
        config.task
    };
    if task == Task::Segment {
        let summary = run_segmentation(config, &opts).context("training failed")?;
        println!(
            "\ndone: {} (base width {}) on {} — test mIoU {:.4}, pixel accuracy {:.2}% (best validation mIoU {:.4} at epoch {}), {} epochs in {:.0} s on {}, {:.1} training images/s",
            summary.model,
            summary.base_width,
            summary.dataset,
            summary.test_miou,
            100.0 * summary.test_pixel_accuracy,
            summary.best_valid_miou,
            summary.best_epoch,
            summary.epochs,
            summary.wall_seconds,
            summary.backend,
            summary.train_images_per_second
        );
        println!("run folder: {}", summary.run_dir);
        return Ok(());
    }
    let summary = run_classification(config, &opts).context("training failed")?;
    println!(
        "\ndone: {} on {} — test accuracy {:.2}% (best validation {:.2}% at epoch {}), {} epochs in {:.0} s on {}",
        summary.model,
        summary.dataset,
        100.0 * summary.test_accuracy,
        100.0 * summary.best_valid_accuracy,
        summary.best_epoch,
        summary.epochs,
        summary.wall_seconds,
        summary.backend
    );
    println!("run folder: {}", summary.run_dir);
    Ok(())
}
