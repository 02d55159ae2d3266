//! `infer`: classify image files with a trained run.
//!
//! ```text
//! cargo run -p infer --release -- --run runs/lenet5-mnist digits/
//! cargo install --path infer && infer --run runs/lenet5-mnist --format json photo.jpg
//! ```

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use infer::output::{Format, render};
use infer::{CheckpointChoice, TrainedRun, classify_files, files};
use model::backend::BackendKind;

/// Classify image files (PNG, JPEG, BMP; folders searched recursively) with a run trained by
/// `cargo xtask train`. Exits with status 1 if any file could not be classified.
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
    /// Images per forward pass.
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
    let trained = TrainedRun::open(&args.run, args.checkpoint, &device)
        .with_context(|| format!("opening run {}", args.run.display()))?;
    let (files, missing) = files::collect(&args.paths);
    let bar = (std::io::stderr().is_terminal() && files.len() > 64).then(|| {
        let bar = ProgressBar::new(files.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} images {per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
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
    for (path, error) in missing {
        results.push(infer::Classified {
            path,
            top: Vec::new(),
            error: Some(error),
        });
    }
    print!("{}", render(&results, args.format));
    let failed: Vec<_> = results.iter().filter(|r| r.error.is_some()).collect();
    for r in &failed {
        eprintln!(
            "error: {}: {}",
            r.path.display(),
            r.error.as_deref().unwrap_or_default()
        );
    }
    if results.is_empty() {
        eprintln!("error: no image files found in the given paths");
        return Ok(false);
    }
    Ok(failed.is_empty())
}
