//! The one place where command-line flags meet the experiment file: [`Overrides`] (every flag of
//! `cargo xtask train` that changes the experiment, typed) and [`ExperimentConfig::apply`]. A
//! resumed run accepts only the flags that are sound for a run already under way
//! ([`ExperimentConfig::resumed`]); the others are refused with the reason.

use data::DatasetSpec;
use model::backend::BackendKind;

use super::{
    AugmentChoice, AugmentPreset, ClassWeights, ClassWeightsFlag, ExperimentConfig, OptimizerKind,
    ScheduleKind, Task,
};
use crate::error::TrainError;
use crate::optimizer::Method;
use crate::schedule::{Decay, ScheduleConfig, TimeUnit};

fn parse_dataset(s: &str) -> Result<DatasetSpec, String> {
    s.parse().map_err(|e: data::DataError| e.to_string())
}

fn parse_backend(s: &str) -> Result<BackendKind, String> {
    s.parse()
        .map_err(|e: model::backend::BackendError| e.to_string())
}

/// The flags of `cargo xtask train` that change the experiment (absent: the file's or the
/// default's value).
#[derive(Debug, Clone, Default, PartialEq, clap::Args)]
pub struct Overrides {
    /// Default: segment when the model or dataset is a segmentation one.
    #[arg(long, value_enum)]
    pub task: Option<Task>,
    /// Registry name of the model (`cargo xtask models`).
    #[arg(long)]
    pub model: Option<String>,
    /// mnist | fashion-mnist | cifar10:DIR | folder:DIR; segmentation: digits-seg |
    /// digits-seg:SEED | seg-folder:DIR or folder:DIR (DIR/classes.txt,
    /// DIR/{train,test}/{images,masks})
    #[arg(long, value_parser = parse_dataset)]
    pub dataset: Option<DatasetSpec>,
    /// Segmentation: class weights in the loss (median-frequency: SegNet's recipe).
    #[arg(long, value_enum)]
    pub class_weights: Option<ClassWeightsFlag>,
    /// Side of the square input fed to the network (default: the dataset's for small models).
    #[arg(long)]
    pub input_size: Option<usize>,
    /// Segmentation: base width of the network (default: 16 for inputs up to 64 px, else the
    /// paper's).
    #[arg(long)]
    pub width: Option<usize>,
    /// Number of epochs (with --resume: the new total).
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Mini-batch size.
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// Base learning rate (the schedule's lr0).
    #[arg(long)]
    pub lr: Option<f64>,
    /// The update rule, with PyTorch's defaults. The coupled weight decay carries over between
    /// the SGD family, Adam, RMSProp and AdaGrad; adamw starts from its own decoupled 1e-2.
    #[arg(long, value_enum)]
    pub optimizer: Option<OptimizerKind>,
    /// Weight decay: coupled L2 (g += λθ), or AdamW's decoupled decay with --optimizer adamw.
    #[arg(long)]
    pub weight_decay: Option<f64>,
    /// L1 penalty λ₁·Σ|θ| added to the loss.
    #[arg(long)]
    pub l1: Option<f64>,
    /// L2 penalty λ₂·½Σθ² added to the loss.
    #[arg(long)]
    pub l2: Option<f64>,
    /// The decay law (the file's warm-up and unit are kept).
    #[arg(long, value_enum)]
    pub schedule: Option<ScheduleKind>,
    /// Decay rate k of the exponential and time-based schedules.
    #[arg(long)]
    pub k: Option<f64>,
    /// Factor γ of the step schedule.
    #[arg(long)]
    pub gamma: Option<f64>,
    /// Units between two steps of the step schedule.
    #[arg(long)]
    pub step_size: Option<u64>,
    /// Linear warm-up units before the schedule.
    #[arg(long)]
    pub warmup: Option<u64>,
    /// Unit of the schedule's time t.
    #[arg(long, value_enum)]
    pub schedule_unit: Option<TimeUnit>,
    /// Augmentation preset.
    #[arg(long, value_enum)]
    pub augment: Option<AugmentPreset>,
    /// Train on the first N training images only (quick runs).
    #[arg(long)]
    pub train_limit: Option<usize>,
    /// Evaluate on the first N test images only.
    #[arg(long)]
    pub test_limit: Option<usize>,
    /// Seed of initialisation, shuffling, split and augmentation.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Data-loader worker threads (default 1: reproducible batch order; more are faster with heavy
    /// augmentation but nondeterministic).
    #[arg(long)]
    pub num_workers: Option<usize>,
    /// flex | ndarray | wgpu
    #[arg(long, value_parser = parse_backend)]
    pub backend: Option<BackendKind>,
    /// Stop after PATIENCE epochs without a better validation accuracy (segmentation: mIoU).
    #[arg(long, value_name = "PATIENCE")]
    pub early_stop: Option<usize>,
    #[command(flatten)]
    pub fine_tune: crate::init_from::FineTuneFlags,
    /// Image folders: skip the files that do not decode or check (all listed at the start) and
    /// train on the rest, instead of stopping with the list.
    #[arg(long)]
    pub skip_bad: bool,
}

fn config_error(message: String) -> TrainError {
    TrainError::Config(message)
}

impl Overrides {
    /// The task the flags ask for: `--task`, else segmentation when `--model` or `--dataset` is a
    /// segmentation one.
    pub fn task(&self) -> Option<Task> {
        let seg_model = self
            .model
            .as_deref()
            .is_some_and(|m| model::registry::find(m).is_ok_and(|e| e.is_segmentation()));
        let seg_data = self.dataset.as_ref().is_some_and(|d| d.is_segmentation());
        self.task
            .or((seg_model || seg_data).then_some(Task::Segment))
    }

    /// The flags given, by name.
    fn given(&self) -> Vec<&'static str> {
        let flags = [
            ("--task", self.task.is_some()),
            ("--model", self.model.is_some()),
            ("--dataset", self.dataset.is_some()),
            ("--class-weights", self.class_weights.is_some()),
            ("--input-size", self.input_size.is_some()),
            ("--width", self.width.is_some()),
            ("--batch-size", self.batch_size.is_some()),
            ("--lr", self.lr.is_some()),
            ("--optimizer", self.optimizer.is_some()),
            ("--weight-decay", self.weight_decay.is_some()),
            ("--l1", self.l1.is_some()),
            ("--l2", self.l2.is_some()),
            ("--schedule", self.schedule.is_some()),
            ("--k", self.k.is_some()),
            ("--gamma", self.gamma.is_some()),
            ("--step-size", self.step_size.is_some()),
            ("--warmup", self.warmup.is_some()),
            ("--schedule-unit", self.schedule_unit.is_some()),
            ("--augment", self.augment.is_some()),
            ("--train-limit", self.train_limit.is_some()),
            ("--seed", self.seed.is_some()),
        ];
        flags.into_iter().filter(|f| f.1).map(|f| f.0).collect()
    }
}

impl ExperimentConfig {
    /// The experiment of a new run: `file` (or the default recipe of the flags' task) with the
    /// flags applied.
    pub fn from_overrides(file: Option<Self>, o: &Overrides) -> Result<Self, TrainError> {
        let mut config = match (file, o.task()) {
            (Some(c), _) => c,
            (None, Some(Task::Segment)) => Self::segmentation_default(),
            (None, _) => Self::default(),
        };
        config.apply(o)?;
        Ok(config)
    }

    /// Apply the flags to this experiment, then validate it.
    pub fn apply(&mut self, o: &Overrides) -> Result<(), TrainError> {
        if let Some(task) = o.task() {
            self.task = task;
        }
        set(&mut self.model, o.model.clone());
        set(&mut self.dataset, o.dataset.clone());
        match o.class_weights {
            Some(ClassWeightsFlag::MedianFrequency) => {
                self.class_weights = Some(ClassWeights::MedianFrequency);
            }
            Some(ClassWeightsFlag::None) => self.class_weights = None,
            None => {}
        }
        self.input_size = o.input_size.or(self.input_size);
        self.width = o.width.or(self.width);
        set(&mut self.epochs, o.epochs);
        set(&mut self.batch_size, o.batch_size);
        if let Some(kind) = o.optimizer {
            let mut next = kind.config();
            next.gradient_clipping = self.optimizer.gradient_clipping;
            // Coupled L2 decay means nothing to AdamW, whose decay is its own (decoupled) field.
            let coupled = |m: &Method| !matches!(m, Method::AdamW { .. });
            if coupled(&next.method) && coupled(&self.optimizer.method) {
                next.weight_decay = self.optimizer.weight_decay;
            }
            self.optimizer = next;
        }
        if let Some(decay) = o.weight_decay {
            match &mut self.optimizer.method {
                Method::AdamW { weight_decay, .. } => *weight_decay = decay,
                _ => self.optimizer.weight_decay = decay,
            }
        }
        set(&mut self.regularization.l1, o.l1);
        set(&mut self.regularization.l2, o.l2);
        apply_schedule(&mut self.schedule, o)?;
        if let Some(preset) = o.augment {
            self.augment = AugmentChoice::Preset(preset);
        }
        self.train_limit = o.train_limit.or(self.train_limit);
        self.test_limit = o.test_limit.or(self.test_limit);
        set(&mut self.seed, o.seed);
        set(&mut self.num_workers, o.num_workers);
        set(&mut self.backend, o.backend);
        self.early_stop = o.early_stop.or(self.early_stop);
        o.fine_tune.apply(self);
        self.skip_bad |= o.skip_bad;
        self.normalize();
        self.validate()
    }

    /// The experiment of a resumed run: the saved one, with the flags that are sound mid-run
    /// applied (`--epochs`, a new total; `--backend`; `--num-workers`; `--test-limit`, which
    /// only touches the final evaluation; `--early-stop`). A flag that would change anything else
    /// is refused, naming the flag: the checkpointed model, optimiser state, LR schedule, data split
    /// and statistics all belong to the saved experiment.
    pub fn resumed(saved: &Self, o: &Overrides) -> Result<Self, TrainError> {
        let mut next = saved.clone();
        next.apply(o)?;
        let groups: [(bool, &[&str]); 13] = [
            (next.task != saved.task, &["--task"]),
            (next.model != saved.model, &["--model"]),
            (next.dataset != saved.dataset, &["--dataset"]),
            (
                next.class_weights != saved.class_weights,
                &["--class-weights"],
            ),
            (next.input_size != saved.input_size, &["--input-size"]),
            (next.width != saved.width, &["--width"]),
            (next.batch_size != saved.batch_size, &["--batch-size"]),
            (
                next.optimizer != saved.optimizer,
                &["--optimizer", "--weight-decay"],
            ),
            (
                next.regularization != saved.regularization,
                &["--l1", "--l2"],
            ),
            (
                next.schedule != saved.schedule,
                &[
                    "--lr",
                    "--schedule",
                    "--k",
                    "--gamma",
                    "--step-size",
                    "--warmup",
                    "--schedule-unit",
                ],
            ),
            (next.augment != saved.augment, &["--augment"]),
            (next.train_limit != saved.train_limit, &["--train-limit"]),
            (next.seed != saved.seed, &["--seed"]),
        ];
        let given = o.given();
        let refused: Vec<&str> = groups
            .iter()
            .filter(|(changed, _)| *changed)
            .flat_map(|(_, flags)| flags.iter().copied())
            .filter(|flag| given.contains(flag))
            .collect();
        if refused.is_empty() {
            return Ok(next);
        }
        Err(config_error(format!(
            "{} cannot change a resumed run: its checkpoint (model, optimiser state, learning-rate \
             schedule) and its data split continue the saved config.json; start a new run (another \
             --out) to train differently. A resumed run accepts --epochs (the new total), \
             --backend, --num-workers, --test-limit and --early-stop",
            refused.join(", ")
        )))
    }
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

/// `--lr`, `--schedule` and its parameters on top of the file's schedule: a new decay law keeps
/// the file's warm-up and unit; `--k`, `--gamma` and `--step-size` set the parameters of the decay
/// law in force (and are an error for one that has no such parameter).
fn apply_schedule(s: &mut ScheduleConfig, o: &Overrides) -> Result<(), TrainError> {
    set(&mut s.lr0, o.lr);
    if let Some(kind) = o.schedule
        && kind != ScheduleKind::of(&s.decay)
    {
        s.decay = kind.default_decay();
    }
    let name = s.name();
    let misplaced = |flag: &str, applies: &str| {
        config_error(format!(
            "{flag} sets a parameter of the {applies} schedule, but the schedule is {name}; \
             add --schedule {applies}"
        ))
    };
    if let Some(value) = o.k {
        match &mut s.decay {
            Decay::Exponential { k } | Decay::TimeBased { k } => *k = value,
            _ => return Err(misplaced("--k", "exponential|time-based")),
        }
    }
    if let Some(value) = o.gamma {
        match &mut s.decay {
            Decay::Step { gamma, .. } => *gamma = value,
            _ => return Err(misplaced("--gamma", "step")),
        }
    }
    if let Some(value) = o.step_size {
        match &mut s.decay {
            Decay::Step { step_size, .. } => *step_size = value,
            _ => return Err(misplaced("--step-size", "step")),
        }
    }
    set(&mut s.warmup, o.warmup);
    set(&mut s.unit, o.schedule_unit);
    Ok(())
}
