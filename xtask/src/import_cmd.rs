//! `cargo xtask import --model NAME --weights FILE.pth|FILE.safetensors [--classes FILE] --out RUN`:
//! a PyTorch state dict (torchvision's ImageNet weights, or a twin's) read through burn-store with
//! the family's key mapping (`model::interop`) into an ordinary run folder that `infer`,
//! `evaluate` and `train --init-from` use. The class count comes from the file's classifier; the
//! ImageNet forms get torchvision's evaluation transform (shorter side 256, centre crop 224,
//! ImageNet mean/std; GoogLeNet's weights expect (x − 0.5)/0.5, torchvision's `transform_input`).

use std::path::PathBuf;

use anyhow::Context;
use data::{DatasetSpec, Fit, InputSpec, Normalize, Preprocessing};
use model::interop::names::head_weight_key;
use model::interop::{self, StateDict, is_safetensors};
use model::registry::{self, ModelEntry};
use train::imported::{ImportRecord, ImportedRun, write_imported_run};

const IMAGENET_MEAN: [f32; 3] = [0.485, 0.456, 0.406];
const IMAGENET_STD: [f32; 3] = [0.229, 0.224, 0.225];

/// Arguments of `cargo xtask import`.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Registry name: alexnet, vgg11 … vgg19_bn, googlenet, resnet18 … resnet152, lenet5,
    /// resnet20 (`cargo xtask models`).
    #[arg(long)]
    model: String,
    /// The state dict: a PyTorch checkpoint (.pth/.pt) or a SafeTensors file.
    #[arg(long)]
    weights: PathBuf,
    /// Class names, one per line, in label order (e.g. ImageNet's 1000).
    #[arg(long)]
    classes: Option<PathBuf>,
    /// The run folder to create (must not exist).
    #[arg(long)]
    out: PathBuf,
    /// Input side in pixels (default: the model's own, 224 for the ImageNet forms).
    #[arg(long)]
    input_size: Option<usize>,
    /// Input channels (default: the model's own).
    #[arg(long)]
    in_channels: Option<usize>,
    /// Per-channel mean of the normalisation, comma-separated (default: ImageNet's for the
    /// ImageNet forms, none for the small ones).
    #[arg(long, value_delimiter = ',')]
    mean: Option<Vec<f32>>,
    /// Per-channel standard deviation, comma-separated (with --mean).
    #[arg(long, value_delimiter = ',')]
    std: Option<Vec<f32>>,
    /// The dataset `evaluate` scores the run on (default: mnist for lenet5, folder:imagenet/val
    /// otherwise).
    #[arg(long)]
    dataset: Option<DatasetSpec>,
}

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    let mut entry = registry::lookup(&args.model)?;
    let dict = StateDict::read(&args.weights)?;
    // torchvision's GoogLeNet files keep the two auxiliary heads.
    if entry.name == "googlenet" && dict.tensors.keys().any(|k| k.starts_with("aux1.")) {
        println!(
            "{}: has GoogLeNet's auxiliary heads; imported as googlenet_aux (they only act in training)",
            args.weights.display()
        );
        entry = registry::lookup("googlenet_aux")?;
    }
    let mut model_args = entry.default_args();
    if let Some(size) = args.input_size {
        model_args.input_size = size;
    }
    if let Some(c) = args.in_channels {
        model_args.in_channels = c;
    }
    let probe = entry.config(model_args);
    if let Some((_, shape)) = dict.floats(head_weight_key(&probe))
        && let Some(&classes) = shape.first()
    {
        model_args.num_classes = classes;
    }
    let config = entry.config(model_args);
    let device = burn::tensor::Device::flex();
    let (network, tensors) = interop::import_dict(&entry.name, &config, dict, &device)?;
    let classes = class_names(args.classes.as_ref(), model_args.num_classes)?;
    let preprocessing = preprocessing(&entry, model_args, &args, classes)?;
    let dataset = match &args.dataset {
        Some(d) => d.clone(),
        None if entry.name.starts_with("lenet") => DatasetSpec::Mnist(None),
        None => DatasetSpec::Folder(PathBuf::from("imagenet/val")),
    };
    let record = ImportRecord {
        source: args.weights.clone(),
        format: if is_safetensors(&args.weights) {
            "safetensors"
        } else {
            "pytorch"
        }
        .into(),
        tensors,
    };
    let run = ImportedRun {
        model: entry.name.clone(),
        config,
        network,
        preprocessing,
        dataset,
        record,
    };
    let dir = write_imported_run(run, &args.out).context("cannot write the run folder")?;
    println!(
        "imported {tensors} tensors from {} into {} ({} classes, input {}x{}x{})",
        args.weights.display(),
        entry.name,
        model_args.num_classes,
        model_args.in_channels,
        model_args.input_size,
        model_args.input_size
    );
    println!("run folder: {}", dir.path().display());
    Ok(())
}

/// The class names in `path` (one per line; their count must be the classifier's), or the class
/// indices when no file is given.
fn class_names(path: Option<&PathBuf>, classes: usize) -> anyhow::Result<Vec<String>> {
    let Some(path) = path else {
        return Ok((0..classes).map(|c| c.to_string()).collect());
    };
    let names = data::names::read_names(path)
        .with_context(|| format!("cannot read the class names in {}", path.display()))?;
    if names.len() != classes {
        anyhow::bail!(
            "{}: {} class names, but the weights' classifier has {classes} outputs",
            path.display(),
            names.len()
        );
    }
    Ok(names)
}

/// torchvision's evaluation transform for the ImageNet forms; a plain resize (and the given
/// normalisation, or none) for the small ones.
fn preprocessing(
    entry: &ModelEntry,
    model_args: registry::ModelArgs,
    args: &ImportArgs,
    classes: Vec<String>,
) -> anyhow::Result<Preprocessing> {
    let side = model_args.input_size;
    let imagenet = entry.default_input == 224;
    let fit = if imagenet {
        // 256 for 224: the same ratio at other sizes.
        Fit::ResizeShorterCrop(side * 256 / 224)
    } else {
        Fit::Resize
    };
    let input = InputSpec::new(model_args.in_channels, side, side).with_fit(fit);
    let channels = model_args.in_channels;
    let (mean, std) = match (&args.mean, &args.std) {
        (Some(m), Some(s)) => (m.clone(), s.clone()),
        (None, None) if imagenet && entry.name.starts_with("googlenet") => {
            (vec![0.5; channels], vec![0.5; channels])
        }
        (None, None) if imagenet => (IMAGENET_MEAN.to_vec(), IMAGENET_STD.to_vec()),
        (None, None) => return Ok(Preprocessing::new(input, Normalize::None, classes)?),
        _ => anyhow::bail!("--mean and --std go together"),
    };
    let stats = data::stats::ChannelStats {
        mean,
        std,
        count: 0,
    };
    Ok(Preprocessing::new(
        input,
        Normalize::Standardize(stats),
        classes,
    )?)
}
