//! `infer`: classify image files with a trained run, or segment them with a segmentation run.
//!
//! ```text
//! cargo run -p infer --release -- --run runs/lenet5-mnist digits/
//! cargo install --path infer && infer --run runs/lenet5-mnist --format json photo.jpg
//! cargo run -p infer --release -- --run runs/unet-digits-seg --out masks/ scenes/
//! ```

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use infer::output::{Format, Report, render};
use infer::{
    CheckpointChoice, SegmentationRun, TrainedRun, classify_files, files, run_task, segment_files,
};
use model::backend::BackendKind;
use train::Task;

/// Classify image files (PNG, JPEG, BMP; folders searched recursively) with a run trained by
/// `cargo xtask train`; with a segmentation run, write each image's class-id mask PNG and colour
/// overlay to --out and print its class pixel fractions. Exits with status 1 if any file could not
/// be processed, 2 if the run cannot be used.
#[derive(Parser)]
#[command(name = "infer", version)]
struct Args {
    /// The run folder written by `cargo xtask train` (e.g. runs/lenet5-mnist).
    #[arg(long)]
    run: PathBuf,
    /// Weights to use: best, last, or an epoch number.
    #[arg(long, default_value = "best")]
    checkpoint: CheckpointChoice,
    /// How many classes to show per image.
    #[arg(long, default_value_t = 5)]
    top_k: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// flex | ndarray | wgpu
    #[arg(long, default_value = "flex")]
    backend: BackendKind,
    /// Segmentation runs: folder for `<name>_mask.png` (class ids, palette PNG) and
    /// `<name>_overlay.png`, both the size of the input.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Classification: also print each image's raw scores (logits, in label order) — as JSON,
    /// whatever --format says — to compare with PyTorch's output.
    #[arg(long)]
    logits: bool,
    /// Images per forward pass (classification).
    #[arg(long, default_value_t = 64)]
    batch_size: usize,
    /// Image files or folders.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<bool> {
    let args = Args::parse();
    let device = args.backend.device()?;
    let task =
        run_task(&args.run).with_context(|| format!("opening run {}", args.run.display()))?;
    let (files, missing) = files::collect(&args.paths);
    let bar = (std::io::stderr().is_terminal() && files.len() > 64).then(|| {
        let bar = ProgressBar::new(files.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} images {per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    if task == Task::Segment {
        let Some(out) = &args.out else {
            anyhow::bail!(
                "{} is a segmentation run: give --out DIR for the masks and overlays",
                args.run.display()
            );
        };
        let run = SegmentationRun::open(&args.run, args.checkpoint, &device)
            .with_context(|| format!("opening run {}", args.run.display()))?;
        let results = segment_files(&run, &files, out, &device, |done| {
            if let Some(bar) = &bar {
                bar.set_position(done as u64);
            }
        })?;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        return Ok(report(results, missing, args.format));
    }
    let trained = TrainedRun::open(&args.run, args.checkpoint, &device)
        .with_context(|| format!("opening run {}", args.run.display()))?;
    let mut results = classify_files(
        &trained,
        &files,
        args.top_k,
        args.batch_size,
        &device,
        |done| {
            if let Some(bar) = &bar {
                bar.set_position(done as u64);
            }
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if !args.logits {
        for r in &mut results {
            r.logits = None;
        }
    }
    let format = if args.logits {
        Format::Json
    } else {
        args.format
    };
    Ok(report(results, missing, format))
}

/// Add the `missing` files to `results`, print them in `format` and the failures on stderr; true
/// when there were files and none failed.
fn report<R: Report>(mut results: Vec<R>, missing: Vec<(PathBuf, String)>, format: Format) -> bool {
    results.extend(missing.into_iter().map(|(p, e)| R::failed(p, e)));
    print!("{}", render(&results, format));
    let mut ok = true;
    for r in &results {
        if let Some(error) = r.error() {
            // Data errors already begin with the file's path: name it once.
            let path = r.path().display().to_string();
            if error.starts_with(&path) {
                eprintln!("error: {error}");
            } else {
                eprintln!("error: {path}: {error}");
            }
            ok = false;
        }
    }
    if results.is_empty() {
        eprintln!("error: no image files found in the given paths");
        return false;
    }
    ok
}
