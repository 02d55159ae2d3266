//! `cargo xtask evaluate --run DIR`: score a trained run's weights on its dataset's test split —
//! top-1/top-k accuracy (k = min(5, classes)) for classification, mIoU, pixel accuracy and per-class IoU for
//! segmentation — with the run's own preprocessing (and class weights).

use std::path::PathBuf;

use data::{ClassificationBatcher, SegmentationBatcher};
use model::backend::BackendKind;
use train::run_dir::CheckpointChoice;
use train::segmentation::evaluate::{evaluate_segmentation, load_segmenter};
use train::segmentation::setup::load_seg_data;
use train::{RunDir, Task};

/// Arguments of `cargo xtask evaluate`.
#[derive(clap::Args)]
pub struct EvaluateArgs {
    /// Run folder written by `cargo xtask train`.
    #[arg(long)]
    run: PathBuf,
    /// Weights: best, last, or an epoch number.
    #[arg(long, default_value = "best")]
    checkpoint: CheckpointChoice,
    /// flex | ndarray | wgpu (default: the run's backend)
    #[arg(long)]
    backend: Option<String>,
    /// Images per forward pass.
    #[arg(long, default_value_t = 64)]
    batch_size: usize,
}

pub fn run(args: EvaluateArgs) -> anyhow::Result<()> {
    let run = RunDir::open(&args.run)?;
    let config = run.config()?;
    let weights = run.weights(args.checkpoint)?;
    let backend = match &args.backend {
        Some(b) => b.parse::<BackendKind>()?,
        None => config.backend,
    };
    let device = backend.device()?;
    let preprocessing = run.preprocessing()?;
    match config.task {
        Task::Segment => {
            let network = run.network()?;
            let model = load_segmenter(&network, &weights, run.class_weights()?, &device)?;
            let data = load_seg_data(&config)?;
            let n = preprocessing.classes.len();
            let test = data.test;
            let limit = config.test_limit.unwrap_or(usize::MAX).min(test.len());
            let subset = train::split::Subset::new(test, (0..limit).collect());
            let batcher = SegmentationBatcher::new(preprocessing.clone());
            let e = evaluate_segmentation(&model, &subset, &batcher, n, args.batch_size, &device)?;
            println!(
                "{}: {} test images — mIoU {:.4}, pixel accuracy {:.2}%, loss {:.4}",
                weights.display(),
                e.count,
                e.miou,
                100.0 * e.pixel_accuracy,
                e.loss
            );
            for (name, iou) in preprocessing.classes.iter().zip(&e.iou) {
                match iou {
                    Some(v) => println!("  {name:<12} IoU {v:.4}"),
                    None => println!("  {name:<12} absent"),
                }
            }
        }
        Task::Classify => {
            let network = run.network()?;
            let model = train::load::load_network(&network, &weights, &device)?;
            let data = train::setup::load_data(&config)?;
            let limit = config.test_limit.unwrap_or(usize::MAX).min(data.test.len());
            let subset = train::split::Subset::new(data.test, (0..limit).collect());
            let k = train::evaluate::top_k_for(preprocessing.classes.len());
            let batcher = ClassificationBatcher::new(preprocessing);
            let e = train::evaluate::evaluate(&model, &subset, &batcher, args.batch_size, &device)?;
            println!(
                "{}: {} test images — top-1 {:.2}%, top-{k} {:.2}%, loss {:.4}",
                weights.display(),
                e.count,
                100.0 * e.top1,
                100.0 * e.top5,
                e.loss
            );
        }
    }
    Ok(())
}
