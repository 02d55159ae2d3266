//! `cargo xtask`: the project's chores (list and summarise models, fetch data, preview augmentation,
//! plot learning-rate schedules, train, benchmark). Each sub-command lives in its own module.

mod augment_preview;
mod bench;
mod bench_pytorch;
mod data_cmd;
mod evaluate_cmd;
mod experiment_cmd;
mod export_cmd;
mod export_samples;
mod fuzz_cmd;
mod import_cmd;
mod lr_schedule;
mod models;
mod summary;
mod train_cmd;
mod wgpu_rebuild;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Chores for the classic-CNN toolkit",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per process; boxing the larger argument structs would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// List every model in the registry.
    Models(models::ModelsArgs),
    /// Per-layer output shapes, parameters and multiply-adds of a model.
    Summary(summary::SummaryArgs),
    /// Fetch and verify the datasets (MNIST, Fashion-MNIST) into the cache folder.
    Data(data_cmd::DataArgs),
    /// Write a picture grid of augmented samples.
    AugmentPreview(augment_preview::AugmentPreviewArgs),
    /// Print or plot a learning-rate schedule step by step.
    LrSchedule(lr_schedule::LrScheduleArgs),
    /// Train a model (default: LeNet-5 on MNIST on the CPU; --task segment for segmentation).
    Train(train_cmd::TrainArgs),
    /// Score a trained run on its dataset's test split.
    Evaluate(evaluate_cmd::EvaluateArgs),
    /// Write real dataset images as PNG files named with their class.
    ExportSamples(export_samples::ExportSamplesArgs),
    /// Run one of the lecture's claims as a controlled experiment (or `all`) and write its report.
    Experiment(experiment_cmd::ExperimentArgs),
    /// Training or inference throughput (images/s) per model and backend.
    Bench(bench::BenchArgs),
    /// Read a PyTorch state dict (torchvision weights) into a new run folder.
    Import(import_cmd::ImportArgs),
    /// Write a run's weights as a torchvision state dict (SafeTensors or .pth).
    Export(export_cmd::ExportArgs),
    /// Run the libFuzzer targets (fuzz/run.sh; nightly and cargo-fuzz needed).
    Fuzz(fuzz_cmd::FuzzArgs),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Models(args) => models::run(args),
        Command::Summary(args) => summary::run(args),
        Command::Data(args) => data_cmd::run(args),
        Command::AugmentPreview(args) => augment_preview::run(args),
        Command::LrSchedule(args) => lr_schedule::run(args),
        Command::Train(args) => train_cmd::run(args),
        Command::Evaluate(args) => evaluate_cmd::run(args),
        Command::ExportSamples(args) => export_samples::run(args),
        Command::Experiment(args) => experiment_cmd::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Import(args) => import_cmd::run(args),
        Command::Export(args) => export_cmd::run(args),
        Command::Fuzz(args) => fuzz_cmd::run(args),
    }
}
