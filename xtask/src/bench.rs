//! `cargo xtask bench train|infer|suite`: throughput of training steps and of inference, in images
//! per second, for chosen models on chosen backends — and, with `--compare pytorch`, the same
//! workloads in PyTorch eager on the same machine, interleaved round by round (ours, theirs, ours,
//! theirs …), with the median of each and their ratio. Synthetic inputs: the cost of a step does
//! not depend on the pixels.
//!
//! `suite` is the fixed set of workloads the README's table reports.

use std::time::Instant;

use anyhow::Context;
use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Distribution, Int, Tensor};
use model::backend::BackendKind;
use model::params::trainable_params;
use model::registry::{self, ModelArgs};
use model::segmentation::{self, SEGMENTATION_MODELS};
use train::classifier::Classifier;
use train::optimizer::OptimizerConfig;
use train::segmentation::loss::pixel_cross_entropy;

use crate::bench_pytorch::PyTorch;

/// What to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// Forward + backward + SGD-momentum update.
    Train,
    /// Forward pass in evaluation mode.
    Infer,
    /// The README's workloads: training and inference of lenet5, resnet20, resnet18_small,
    /// vgg11_bn_small and unet_small at their benchmark sizes.
    Suite,
}

/// What to compare with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Compare {
    /// PyTorch eager on the CPU, through xtask/scripts/pytorch_twins.py (needs `pip install torch`).
    Pytorch,
}

/// Arguments of `cargo xtask bench`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// train, infer or suite.
    #[arg(value_enum)]
    target: Target,
    /// Registry names, comma-separated (classification or segmentation models).
    #[arg(long, default_value = "lenet5,resnet18_small", value_delimiter = ',')]
    models: Vec<String>,
    /// Backends, comma-separated.
    #[arg(long, default_value = "flex", value_delimiter = ',')]
    backends: Vec<String>,
    /// Batch sizes, comma-separated (default: 64 for train, 1 and 256 for infer).
    #[arg(long, value_delimiter = ',')]
    batch: Vec<usize>,
    /// Input as C,H (square); default 1,28 (MNIST-sized).
    #[arg(long, default_value = "1,28")]
    input: String,
    /// Timed steps per round, after one warm-up step.
    #[arg(long, default_value_t = 5)]
    steps: usize,
    /// Rounds per workload (the median is reported).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Also run each workload in PyTorch, interleaved with ours, and print the ratio.
    #[arg(long, value_enum)]
    compare: Option<Compare>,
    /// The Python interpreter that has torch (for --compare pytorch).
    #[arg(long, default_value = "python3")]
    python: String,
}

/// One thing to time.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Registry name.
    pub model: String,
    /// Train or infer.
    pub target: Target,
    /// Batch size.
    pub batch: usize,
    /// Input channels.
    pub channels: usize,
    /// Input side.
    pub size: usize,
    /// Output classes.
    pub classes: usize,
}

impl Workload {
    fn new(model: &str, target: Target, batch: usize, channels: usize, size: usize) -> Self {
        let classes = if is_segmentation(model) { 11 } else { 10 };
        Self {
            model: model.to_string(),
            target,
            batch,
            channels,
            size,
            classes,
        }
    }
}

fn is_segmentation(name: &str) -> bool {
    SEGMENTATION_MODELS.contains(&name)
}

/// The README's workloads.
pub fn suite() -> Vec<Workload> {
    use Target::{Infer, Train};
    vec![
        Workload::new("lenet5", Train, 64, 1, 28),
        Workload::new("resnet20", Train, 64, 1, 28),
        Workload::new("resnet18_small", Train, 64, 3, 32),
        Workload::new("vgg11_bn_small", Train, 64, 3, 32),
        Workload::new("unet_small", Train, 16, 1, 64),
        Workload::new("lenet5", Infer, 256, 1, 28),
        Workload::new("resnet18_small", Infer, 64, 3, 32),
        Workload::new("vgg11_bn_small", Infer, 64, 3, 32),
        Workload::new("unet_small", Infer, 16, 1, 64),
    ]
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

/// A network of either task behind one forward (built once per measurement: boxing buys nothing).
#[allow(clippy::large_enum_variant)]
enum Net {
    Classifier(model::Network),
    Segmenter(segmentation::SegNetwork),
}

impl Net {
    fn build(w: &Workload, device: &Device) -> anyhow::Result<Self> {
        Ok(if is_segmentation(&w.model) {
            let config = segmentation::segmentation_config(&w.model, w.classes, w.channels)?;
            Net::Segmenter(config.init(device)?)
        } else {
            let args = ModelArgs {
                num_classes: w.classes,
                in_channels: w.channels,
                input_size: w.size,
            };
            Net::Classifier(registry::config(&w.model, args)?.init(device)?)
        })
    }

    fn params(&self) -> usize {
        match self {
            Net::Classifier(n) => trainable_params(n),
            Net::Segmenter(n) => trainable_params(n),
        }
    }
}

/// A random training batch and the loss of `net` on it.
fn loss_of<M: Module>(
    net: &M,
    forward: impl Fn(&M, Tensor<4>) -> Tensor<4>,
    w: &Workload,
    device: &Device,
) -> Tensor<1> {
    let x = Tensor::<4>::random(
        [w.batch, w.channels, w.size, w.size],
        Distribution::Normal(0.0, 1.0),
        device,
    );
    let scores = forward(net, x);
    let [b, c, h, wd] = scores.dims();
    let classes = Distribution::Uniform(0.0, c as f64);
    if h == 1 && wd == 1 {
        let y = Tensor::<1, Int>::random([b], classes, device);
        Classifier::cross_entropy(scores.reshape([b, c]), y)
    } else {
        let y = Tensor::<3, Int>::random([b, h, wd], classes, device);
        pixel_cross_entropy(scores, y, 255, None)
    }
}

fn scores(net: &model::Network, x: Tensor<4>) -> Tensor<4> {
    let logits = net.forward(x);
    let [b, c] = logits.dims();
    logits.reshape([b, c, 1, 1])
}

fn train_rate_of<M: Module>(
    mut net: M,
    forward: impl Fn(&M, Tensor<4>) -> Tensor<4> + Copy,
    w: &Workload,
    device: &Device,
    steps: usize,
) -> anyhow::Result<f64> {
    let mut optim = OptimizerConfig::momentum(0.9).init()?;
    let mut step = |net: M| {
        let loss = loss_of(&net, forward, w, device);
        let grads = GradientsParams::from_grads(loss.backward(), &net);
        optim.step(0.01, net, grads)
    };
    net = step(net);
    device.sync().ok();
    let t = Instant::now();
    for _ in 0..steps {
        net = step(net);
    }
    device.sync().ok();
    Ok((steps * w.batch) as f64 / t.elapsed().as_secs_f64())
}

fn infer_rate_of<M: Module>(
    net: M,
    forward: impl Fn(&M, Tensor<4>) -> Tensor<4>,
    w: &Workload,
    device: &Device,
    steps: usize,
) -> f64 {
    let net = net.valid();
    let x = Tensor::<4>::random(
        [w.batch, w.channels, w.size, w.size],
        Distribution::Normal(0.0, 1.0),
        device,
    );
    let _ = forward(&net, x.clone()).into_data();
    let t = Instant::now();
    for _ in 0..steps {
        let _ = forward(&net, x.clone()).into_data();
    }
    (steps * w.batch) as f64 / t.elapsed().as_secs_f64()
}

/// Our images/s for one workload on `backend`, and the model's trainable parameter count.
pub fn our_rate(w: &Workload, backend: BackendKind, steps: usize) -> anyhow::Result<(f64, usize)> {
    let train = w.target == Target::Train;
    let device = if train {
        backend.autodiff_device()?
    } else {
        backend.device()?
    };
    let net = Net::build(w, &device)?;
    let params = net.params();
    let rate = match (net, train) {
        (Net::Classifier(n), true) => train_rate_of(
            Classifier::new(n, Default::default(), 0.0).train(),
            |c: &Classifier, x| scores(&c.network, x),
            w,
            &device,
            steps,
        )?,
        (Net::Segmenter(n), true) => train_rate_of(
            n.train(),
            |n: &segmentation::SegNetwork, x| n.forward(x),
            w,
            &device,
            steps,
        )?,
        (Net::Classifier(n), false) => infer_rate_of(n, scores, w, &device, steps),
        (Net::Segmenter(n), false) => infer_rate_of(
            n,
            |n: &segmentation::SegNetwork, x| n.forward(x),
            w,
            &device,
            steps,
        ),
    };
    Ok((rate, params))
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    match xs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => xs[n / 2],
        n => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

fn workloads(args: &BenchArgs) -> anyhow::Result<Vec<Workload>> {
    if args.target == Target::Suite {
        return Ok(suite());
    }
    let (c, h) = input_of(&args.input)?;
    let batches = match (args.batch.is_empty(), args.target) {
        (false, _) => args.batch.clone(),
        (true, Target::Infer) => vec![1, 256],
        (true, _) => vec![64],
    };
    Ok(args
        .models
        .iter()
        .flat_map(|m| {
            batches
                .iter()
                .map(move |&b| Workload::new(m, args.target, b, c, h))
        })
        .collect())
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    let list = workloads(&args)?;
    let mut torch = match args.compare {
        Some(Compare::Pytorch) => Some(PyTorch::start(&args.python)?),
        None => None,
    };
    let rounds = args.rounds.max(1);
    println!(
        "{:<16} {:<6} {:>5} {:>8} {:<8} {:>12} {:>12} {:>7}   (median of {rounds} interleaved rounds, {} timed steps each)",
        "model",
        "target",
        "batch",
        "input",
        "backend",
        "ours img/s",
        "torch img/s",
        "ratio",
        args.steps
    );
    for w in &list {
        for backend in &args.backends {
            let kind: BackendKind = backend.parse()?;
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            for _ in 0..rounds {
                let (rate, params) = our_rate(w, kind, args.steps)?;
                ours.push(rate);
                if let Some(t) = torch.as_mut() {
                    theirs.push(t.rate(w, params, args.steps)?);
                }
            }
            let (a, b) = (median(ours), median(theirs));
            let target = if w.target == Target::Train {
                "train"
            } else {
                "infer"
            };
            let input = format!("{}×{}", w.channels, w.size);
            let (tb, ratio) = match torch {
                Some(_) => (format!("{b:.1}"), format!("{:.2}×", a / b)),
                None => ("—".into(), "—".into()),
            };
            println!(
                "{:<16} {target:<6} {:>5} {input:>8} {backend:<8} {a:>12.1} {tb:>12} {ratio:>7}",
                w.model, w.batch
            );
        }
    }
    Ok(())
}
