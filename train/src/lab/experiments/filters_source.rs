//! Where the `filters` experiment's network comes from: `alexnet_small` from the model registry
//! trained here under the lab's budget (its initial weights kept for comparison), or the trained
//! run the user names with `--run RUN`, read through [`RunDir`] (its best weights, its network
//! config and preprocessing, its dataset's test split), compared with a fresh draw of the same
//! architecture.

use std::path::Path;

use burn::data::dataset::Dataset;
use burn::module::Module;
use burn::tensor::{Device, Tensor};
use model::init::InitScheme;
use model::registry::{ModelArgs, config as registry_config};
use model::{Network, NetworkConfig};

use super::common::{fit_net, momentum, training_curves};
use crate::lab::conv_probe::{ConvWeights, conv_layers};
use crate::lab::data::Split;
use crate::lab::fit::evaluate_with;
use crate::lab::report::pct;
use crate::lab::{Ctx, LabError, Report};
use crate::run_dir::{CheckpointChoice, RunDir};

/// The registry model trained when no `--run` is given.
pub const MODEL: &str = "alexnet_small";

/// A trained network and what it is compared with.
pub struct Subject {
    /// The trained network, on the plain device, in evaluation mode.
    pub network: Network,
    /// Its recipe.
    pub config: NetworkConfig,
    /// The convolutions before training (`exact`) or of a fresh draw of the same architecture.
    pub initial: Vec<ConvWeights>,
    /// Whether `initial` holds this network's own initial weights.
    pub exact: bool,
    /// Test images in the network's input format.
    pub test: Split,
    /// `[c, h, w]` of the network's input.
    pub shape: [usize; 3],
    /// Accuracy on `test`.
    pub test_acc: f64,
    /// The number of classes.
    pub classes: usize,
    /// The model's and the dataset's names, for sentences.
    pub what: (String, String),
    /// The iteration at which training diverged, if it did.
    pub diverged_at: Option<usize>,
}

/// The forward pass of a network fed flat `[n, c·h·w]` images of `shape`.
pub fn flat_forward(shape: [usize; 3]) -> impl Fn(&Network, Tensor<2>, bool) -> Tensor<2> {
    move |m: &Network, x: Tensor<2>, _: bool| {
        let n = x.dims()[0];
        m.forward(x.reshape([n, shape[0], shape[1], shape[2]]))
    }
}

fn cfg_err(e: impl std::fmt::Display) -> LabError {
    LabError::Config(e.to_string())
}

/// Trains `alexnet_small` on the lab's subset and keeps its initial convolutions.
pub fn train_here(ctx: &Ctx, report: &mut Report) -> Result<Subject, LabError> {
    let data = ctx.load("mnist", ctx.size(6000, 600), ctx.size(2000, 300))?;
    let epochs = ctx.epochs(2, 2);
    let (batch, lr) = (ctx.size(32, 16), 0.003);
    let shape = data.shape;
    let args = ModelArgs {
        num_classes: data.classes,
        in_channels: shape[0],
        input_size: shape[1],
    };
    let config = match registry_config(MODEL, args).map_err(cfg_err)? {
        NetworkConfig::AlexNet(c) => NetworkConfig::AlexNet(c.with_init(InitScheme::He)),
        other => other,
    };
    report.setup("data", data.describe());
    report.setup(
        "network",
        format!(
            "{MODEL} from the model registry ({} input channel(s), {} px, {} classes), He initialisation (Burn's default, PyTorch's, shrinks the signal through its 8 layers so much that SGD barely starts)",
            shape[0], shape[1], data.classes
        ),
    );
    report.setup(
        "training",
        format!("{epochs} epoch(s), batch {batch}, SGD momentum 0.9, lr {lr}"),
    );
    let forward = flat_forward(shape);
    let mut initial = Vec::new();
    let build = |device: &Device| {
        let network = config.init(device).map_err(cfg_err)?;
        initial = conv_layers(&network)?;
        Ok(network)
    };
    let cfg = momentum(ctx, epochs, batch, lr);
    let fitted = fit_net(ctx, MODEL, build, &forward, &data, &cfg)?;
    training_curves(
        ctx,
        report,
        &[(MODEL.to_string(), &fitted)],
        false,
        &format!(
            "{MODEL}: training loss per iteration and test accuracy per epoch ({}).",
            pct(fitted.test_acc())
        ),
    )?;
    let test_acc = fitted.test_acc();
    Ok(Subject {
        network: fitted.model.valid(),
        config,
        initial,
        exact: true,
        test: data.test,
        shape,
        test_acc,
        classes: data.classes,
        what: (MODEL.into(), data.name),
        diverged_at: fitted.diverged_at,
    })
}

/// The best weights of the run in `dir`, evaluated on (up to 2,000 images of) its dataset's
/// test split (or `--dataset`'s) in the run's own preprocessing.
pub fn from_run(ctx: &Ctx, dir: &Path, report: &mut Report) -> Result<Subject, LabError> {
    let run = RunDir::open(dir).map_err(cfg_err)?;
    let saved = run.config().map_err(cfg_err)?;
    let (config, prep, weights) = run
        .trained::<NetworkConfig>(CheckpointChoice::Best)
        .map_err(cfg_err)?;
    let device: Device = ctx.device.clone().without_autodiff();
    let network = crate::load::load_network(&config, &weights, &device).map_err(cfg_err)?;
    let dataset = ctx.dataset(&saved.dataset.to_string());
    let spec: data::DatasetSpec = dataset.parse()?;
    let sets = data::load_classification(&spec, &ctx.opts.cache)?;
    let shape = prep.input.shape();
    let n = sets.test.len().min(ctx.size(2000, 300));
    let mut test = Split {
        x: Vec::with_capacity(n * shape.iter().product::<usize>()),
        y: Vec::with_capacity(n),
        dim: shape.iter().product(),
    };
    for i in 0..n {
        let item = sets
            .test
            .get(i)
            .map_err(|e| LabError::Config(format!("{dataset}: test image {i}: {e}")))?;
        test.x.extend(prep.apply(&item.pixels, item.shape));
        test.y.push(item.label as i64);
    }
    let forward = flat_forward(shape);
    let (_, test_acc) = evaluate_with(&network, &forward, &test, usize::MAX, &device);
    ctx.device.seed(ctx.opts.seed);
    let initial = conv_layers(&config.init(&device).map_err(cfg_err)?)?;
    report.setup(
        "run",
        format!(
            "{} ({}, {})",
            run.path().display(),
            saved.model,
            weights.display()
        ),
    );
    report.setup("data", format!("{dataset}: the first {n} test images"));
    report.setup(
        "reference",
        "a fresh draw of the same architecture (the run's initial weights are not kept)",
    );
    Ok(Subject {
        network,
        config,
        initial,
        exact: false,
        test,
        shape,
        test_acc,
        classes: prep.classes.len().max(1),
        what: (saved.model, sets.name),
        diverged_at: None,
    })
}
