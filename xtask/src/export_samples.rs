//! `cargo xtask export-samples --dataset mnist --split test --n 100 --out DIR`: real dataset images
//! written as PNG files named `<index>_<class>.png`, so `infer` (and its tests) can be tried on real
//! files; a segmentation set is written as `DIR/images`, `DIR/masks` and `DIR/classes.txt`.

use std::path::PathBuf;

use data::export::{export_samples, export_seg_samples};
use data::{DatasetSpec, default_cache_dir, load_classification, load_segmentation};

/// A split of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Split {
    /// The training split.
    Train,
    /// The test split.
    Test,
}

impl Split {
    fn pick<T>(self, train: T, test: T) -> T {
        match self {
            Self::Train => train,
            Self::Test => test,
        }
    }

    fn name(self) -> &'static str {
        self.pick("train", "test")
    }
}

/// Arguments of `cargo xtask export-samples`.
#[derive(clap::Args)]
pub struct ExportSamplesArgs {
    /// mnist | fashion-mnist | cifar10:DIR | folder:DIR | digits-seg[:SEED] (written as
    /// images/, masks/ and classes.txt)
    #[arg(long, default_value = "mnist")]
    dataset: String,
    /// Which split to export.
    #[arg(long, value_enum, default_value = "test")]
    split: Split,
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
    let (n, name, what) = if spec.is_segmentation() {
        let data = load_segmentation(&spec, &cache)?;
        let split = args.split.pick(data.train, data.test);
        let n = export_seg_samples(&*split, &data.classes, args.n, &args.out)?;
        (n, data.name, "images and masks (images/, masks/)")
    } else {
        let data = load_classification(&spec, &cache)?;
        let split = args.split.pick(data.train, data.test);
        let n = export_samples(&*split, &data.classes, args.n, &args.out)?;
        (n, data.name, "images")
    };
    let split = args.split.name();
    println!("wrote {n} {name} {split} {what} to {}", args.out.display());
    Ok(())
}
