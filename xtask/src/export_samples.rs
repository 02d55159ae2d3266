//! `cargo xtask export-samples --dataset mnist --split test --n 100 --out DIR`: real dataset images
//! written as PNG files named `<index>_<class>.png`, so `infer` (and its tests) can be tried on real
//! files; a segmentation set is written as `DIR/images`, `DIR/masks` and `DIR/classes.txt`.

use std::path::PathBuf;

use anyhow::bail;
use data::export::{export_samples, export_seg_samples};
use data::{DatasetSpec, default_cache_dir, load_classification, load_segmentation};

/// Arguments of `cargo xtask export-samples`.
#[derive(clap::Args)]
pub struct ExportSamplesArgs {
    /// mnist | fashion-mnist | cifar10:DIR | folder:DIR | digits-seg[:SEED] (written as
    /// images/, masks/ and classes.txt)
    #[arg(long, default_value = "mnist")]
    dataset: String,
    /// train | test
    #[arg(long, default_value = "test")]
    split: String,
    /// How many images, from the start of the split.
    #[arg(long, default_value_t = 100)]
    n: usize,
    /// Output folder (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Data cache folder (default: $CNN_DATA_DIR or <workspace>/.cache/data).
    #[arg(long)]
    cache: Option<PathBuf>,
}

pub fn run(args: ExportSamplesArgs) -> anyhow::Result<()> {
    let spec: DatasetSpec = args.dataset.parse()?;
    let cache = args.cache.unwrap_or_else(default_cache_dir);
    if spec.is_segmentation() {
        let data = load_segmentation(&spec, &cache)?;
        let split = match args.split.as_str() {
            "test" => data.test,
            "train" => data.train,
            other => bail!("--split must be train or test, got `{other}`"),
        };
        let n = export_seg_samples(&*split, &data.classes, args.n, &args.out)?;
        println!(
            "wrote {n} {} {} images and masks to {}/{{images,masks}}",
            data.name,
            args.split,
            args.out.display()
        );
        return Ok(());
    }
    let data = load_classification(&spec, &cache)?;
    let split = match args.split.as_str() {
        "test" => data.test,
        "train" => data.train,
        other => bail!("--split must be train or test, got `{other}`"),
    };
    let n = export_samples(&*split, &data.classes, args.n, &args.out)?;
    println!(
        "wrote {n} {} {} images to {}",
        data.name,
        args.split,
        args.out.display()
    );
    Ok(())
}
