//! `cargo xtask bench train|infer`: throughput of training steps and of inference, in images per
//! second, for chosen models on chosen backends — the figures behind the CPU default backend and
//! the README. Synthetic inputs (the cost of a step does not depend on the pixels).

use std::time::Instant;

use anyhow::Context;
use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Distribution, Int, Tensor};
use model::backend::BackendKind;
use model::registry::{self, ModelArgs};
use train::classifier::Classifier;
use train::optimizer::OptimizerConfig;

/// What to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// Forward + backward + SGD-momentum update.
    Train,
    /// Forward pass in evaluation mode.
    Infer,
}

/// Arguments of `cargo xtask bench`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// train or infer.
    #[arg(value_enum)]
    target: Target,
    /// Registry names, comma-separated.
    #[arg(long, default_value = "lenet5,resnet18_small", value_delimiter = ',')]
    models: Vec<String>,
    /// Backends, comma-separated.
    #[arg(long, default_value = "flex,ndarray", value_delimiter = ',')]
    backends: Vec<String>,
    /// Batch sizes, comma-separated (default: 64 for train, 1 and 256 for infer).
    #[arg(long, value_delimiter = ',')]
    batch: Vec<usize>,
    /// Input as C,H (square); default 1,28 (MNIST-sized).
    #[arg(long, default_value = "1,28")]
    input: String,
    /// Timed steps after one warm-up step.
    #[arg(long, default_value_t = 5)]
    steps: usize,
}

fn input_of(text: &str) -> anyhow::Result<(usize, usize)> {
    let parts: Vec<usize> = text
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .context("--input C,H")?;
    match parts[..] {
        [c, h] => Ok((c, h)),
        _ => anyhow::bail!("--input must be C,H"),
    }
}

fn train_rate(
    name: &str,
    device: &Device,
    batch: usize,
    c: usize,
    h: usize,
    steps: usize,
) -> anyhow::Result<f64> {
    let args = ModelArgs {
        num_classes: 10,
        in_channels: c,
        input_size: h,
    };
    let network = registry::config(name, args)?.init(device)?;
    let mut model = Classifier::new(network, Default::default(), 0.0).train();
    let mut optim = OptimizerConfig::momentum(0.9).init()?;
    let mut step = |model: Classifier| {
        let x = Tensor::<4>::random([batch, c, h, h], Distribution::Normal(0.0, 1.0), device);
        let y = Tensor::<1, Int>::random([batch], Distribution::Uniform(0.0, 10.0), device);
        let loss = Classifier::cross_entropy(model.network.forward(x), y);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        optim.step(0.01, model, grads)
    };
    model = step(model);
    device.sync().ok();
    let t = Instant::now();
    for _ in 0..steps {
        model = step(model);
    }
    device.sync().ok();
    Ok((steps * batch) as f64 / t.elapsed().as_secs_f64())
}

fn infer_rate(
    name: &str,
    device: &Device,
    batch: usize,
    c: usize,
    h: usize,
    steps: usize,
) -> anyhow::Result<f64> {
    let args = ModelArgs {
        num_classes: 10,
        in_channels: c,
        input_size: h,
    };
    let network = registry::config(name, args)?.init(device)?.valid();
    let x = Tensor::<4>::random([batch, c, h, h], Distribution::Normal(0.0, 1.0), device);
    let _ = network.forward(x.clone()).into_data();
    let t = Instant::now();
    for _ in 0..steps {
        let _ = network.forward(x.clone()).into_data();
    }
    Ok((steps * batch) as f64 / t.elapsed().as_secs_f64())
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    let (c, h) = input_of(&args.input)?;
    let batches = if args.batch.is_empty() {
        match args.target {
            Target::Train => vec![64],
            Target::Infer => vec![1, 256],
        }
    } else {
        args.batch.clone()
    };
    println!(
        "{:<18} {:<8} {:>6} {:>12}   ({:?}, input {c}×{h}×{h}, {} timed steps)",
        "model", "backend", "batch", "images/s", args.target, args.steps
    );
    for name in &args.models {
        for backend in &args.backends {
            let kind: BackendKind = backend.parse()?;
            for &batch in &batches {
                let rate = match args.target {
                    Target::Train => {
                        train_rate(name, &kind.autodiff_device()?, batch, c, h, args.steps)?
                    }
                    Target::Infer => infer_rate(name, &kind.device()?, batch, c, h, args.steps)?,
                };
                println!("{name:<18} {backend:<8} {batch:>6} {rate:>12.1}");
            }
        }
    }
    Ok(())
}
