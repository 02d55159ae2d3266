//! Fine-tuning as torchvision's tutorial does it (`train --init-from RUN|FILE [--freeze-backbone]`):
//! every tensor of the new network whose torchvision name and shape match one of the source's
//! (a run folder's `best.bpk`, or a PyTorch/SafeTensors state dict) is loaded, the others — the
//! classifier head when the class count differs — keep their fresh initialisation, and the run
//! says which is which. `--freeze-backbone` stops the gradients of everything but the head (batch
//! norm still updates its running statistics in training mode, as in PyTorch).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use burn::module::{Module, ModuleMapper, Param};
use burn::store::burn_pack::Tensor as PackTensor;
use burn::store::{BurnToPyTorchAdapter, ModuleSnapshot};
use burn::tensor::Tensor;
use model::interop::keymap::shape_text;
use model::interop::module_path::ModulePath;
use model::interop::names::is_head_key;
use model::interop::{KeyMap, StateDict};
use model::{Network, NetworkConfig};

use crate::error::TrainError;
use crate::experiment::ExperimentConfig;
use crate::run_dir::{CheckpointChoice, RunDir};

/// The fine-tuning flags of `cargo xtask train`.
#[derive(Debug, Clone, Default, PartialEq, clap::Args)]
pub struct FineTuneFlags {
    /// Start from the tensors of this run folder (its best.bpk) or PyTorch/SafeTensors state
    /// dict whose torchvision names and shapes match; the rest (the head, when the class count
    /// differs) is freshly initialised.
    #[arg(long, value_name = "RUN|FILE")]
    pub init_from: Option<PathBuf>,
    /// The class count of the new head (must be the dataset's).
    #[arg(long)]
    pub num_classes: Option<usize>,
    /// Train only the classifier head.
    #[arg(long)]
    pub freeze_backbone: bool,
}

impl FineTuneFlags {
    /// Set the given flags in `config`.
    pub fn apply(&self, config: &mut ExperimentConfig) {
        if let Some(source) = &self.init_from {
            config.init_from = Some(source.clone());
        }
        if let Some(n) = self.num_classes {
            config.num_classes = Some(n);
        }
        config.freeze_backbone |= self.freeze_backbone;
    }
}

/// What `--init-from` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitReport {
    /// torchvision keys loaded from the source.
    pub loaded: Vec<String>,
    /// Keys freshly initialised, with the reason.
    pub initialised: Vec<String>,
    /// Keys of the source the network has no use for.
    pub ignored: Vec<String>,
}

impl InitReport {
    /// A few lines for the terminal.
    pub fn describe(&self, source: &Path) -> String {
        let mut text = format!(
            "init-from {}: loaded {} tensors, initialised {}, ignored {} of the source",
            source.display(),
            self.loaded.len(),
            self.initialised.len(),
            self.ignored.len()
        );
        for line in self.initialised.iter().take(8) {
            text.push_str(&format!("\n  initialised {line}"));
        }
        if !self.ignored.is_empty() {
            let shown: Vec<&str> = self.ignored.iter().take(5).map(String::as_str).collect();
            text.push_str(&format!("\n  ignored {}", shown.join(", ")));
        }
        text
    }
}

/// The network a run trains: `network` (freshly built from `config`) with `--init-from`'s weights
/// on a run's first epoch, and `--freeze-backbone` applied on every start (resumes included).
pub fn prepare_network(
    mut network: Network,
    config: &NetworkConfig,
    experiment: &ExperimentConfig,
    start_epoch: usize,
) -> Result<Network, TrainError> {
    if let Some(n) = experiment.num_classes
        && n != config.num_classes()
    {
        return Err(TrainError::Config(format!(
            "--num-classes {n}, but the dataset has {} classes",
            config.num_classes()
        )));
    }
    if let Some(source) = &experiment.init_from
        && start_epoch == 0
    {
        let report = init_from(&mut network, &experiment.model, config, source)?;
        println!("{}", report.describe(source));
    }
    if experiment.freeze_backbone {
        let mut freeze = Freeze {
            config,
            at: ModulePath::default(),
            frozen: 0,
        };
        network = network.map(&mut freeze);
        println!(
            "freeze-backbone: {} tensors frozen; the classifier head trains",
            freeze.frozen
        );
    }
    Ok(network)
}

/// Load into `network` every tensor of `source` whose key and shape match.
pub fn init_from(
    network: &mut Network,
    model: &str,
    config: &NetworkConfig,
    source: &Path,
) -> Result<InitReport, TrainError> {
    let dict = source_dict(source)?;
    let map = KeyMap::of(model, config, network).map_err(interop_error)?;
    let shapes = dict.shapes();
    let mut report = InitReport::default();
    for e in &map.entries {
        match shapes.get(&e.key) {
            Some(shape) if *shape == e.shape => report.loaded.push(e.key.clone()),
            Some(shape) => report.initialised.push(format!(
                "{} (the source's is {}, this network's {})",
                e.key,
                shape_text(shape),
                shape_text(&e.shape)
            )),
            None => report
                .initialised
                .push(format!("{} (not in the source)", e.key)),
        }
    }
    let ours = map.by_key();
    report.ignored = shapes
        .keys()
        .filter(|k| !ours.contains_key(k.as_str()) && !k.ends_with("num_batches_tracked"))
        .cloned()
        .collect();
    if report.loaded.is_empty() {
        return Err(TrainError::Checkpoint {
            path: source.to_path_buf(),
            problem: format!("no tensor of it matches {model} by name and shape"),
        });
    }
    dict.check_dtypes(&map, |k| report.loaded.iter().any(|l| l == k))
        .map_err(interop_error)?;
    let wanted: std::collections::HashSet<String> = report.loaded.iter().cloned().collect();
    dict.load_into(network, &map, |k| wanted.contains(k))
        .map_err(interop_error)?;
    Ok(report)
}

/// The source's tensors by torchvision key: a state-dict file, or a run folder's `best.bpk`.
fn source_dict(source: &Path) -> Result<StateDict, TrainError> {
    if !source.is_dir() {
        return StateDict::read(source).map_err(interop_error);
    }
    let run = RunDir::open(source)?;
    let model = run.config()?.model;
    let (config, _, weights): (NetworkConfig, _, PathBuf) = run.trained(CheckpointChoice::Best)?;
    let device = burn::tensor::Device::flex();
    let network = crate::load::load_network(&config, &weights, &device)?;
    let map = KeyMap::of(&model, &config, &network).map_err(interop_error)?;
    let by_path: BTreeMap<&str, &str> = map
        .entries
        .iter()
        .map(|e| (e.path.as_str(), e.key.as_str()))
        .collect();
    let mut tensors: BTreeMap<String, PackTensor> = BTreeMap::new();
    for t in network.collect(None, Some(Box::new(BurnToPyTorchAdapter)), true) {
        if let Some(key) = by_path.get(t.name.as_str()) {
            tensors.insert(key.to_string(), t);
        }
    }
    Ok(StateDict {
        path: weights,
        tensors,
    })
}

fn interop_error(e: model::interop::InteropError) -> TrainError {
    TrainError::Config(e.to_string())
}

/// Stops the gradients of every parameter outside the classifier head.
struct Freeze<'a> {
    config: &'a NetworkConfig,
    at: ModulePath,
    frozen: usize,
}

impl ModuleMapper for Freeze<'_> {
    fn enter_module(&mut self, name: &str, container_type: &str) {
        self.at.enter(name, container_type);
    }

    fn exit_module(&mut self, _name: &str, container_type: &str) {
        self.at.exit(container_type);
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let path = self.at.joined();
        let head = model::interop::names::torch_key(self.config, &path)
            .is_some_and(|key| is_head_key(self.config, &key));
        if head {
            param
        } else {
            self.frozen += 1;
            param.set_require_grad(false)
        }
    }
}
