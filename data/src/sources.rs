//! From a [`DatasetSpec`] to train/test splits: fetches and verifies what is missing, then returns the
//! splits as shared Burn datasets with their class names.

use std::path::Path;
use std::sync::Arc;

use burn::data::dataset::Dataset;

use crate::cifar::load_cifar10;
use crate::digits_seg::{DigitsSeg, DigitsSegConfig, digits_seg_classes};
use crate::error::{DataError, Result};
use crate::fashion::{FASHION_CLASSES, ensure_fashion_mnist};
use crate::folder::ImageFolder;
use crate::idx_folder::load_idx_folder;
use crate::item::{ImageItem, SegItem};
use crate::mnist::{MNIST, MNIST_CLASSES, ensure_mnist};
use crate::seg_folder::SegFolder;
use crate::spec::DatasetSpec;
use crate::user_idx::load_user_idx;

/// A classification dataset's splits.
#[derive(Clone)]
pub struct ClassificationData {
    /// The dataset's name (e.g. `mnist`).
    pub name: String,
    /// Class names in label order.
    pub classes: Vec<String>,
    /// `[c, h, w]` when every image has the same shape (not for image folders).
    pub shape: Option<[usize; 3]>,
    /// The training split.
    pub train: Arc<dyn Dataset<ImageItem>>,
    /// The test split.
    pub test: Arc<dyn Dataset<ImageItem>>,
}

/// A segmentation dataset's splits.
#[derive(Clone)]
pub struct SegmentationData {
    /// The dataset's name (`digits-seg (derived from MNIST)` for the derived set).
    pub name: String,
    /// Class names in id order (id 255 = ignore is not a class).
    pub classes: Vec<String>,
    /// The training split.
    pub train: Arc<dyn Dataset<SegItem>>,
    /// The test split.
    pub test: Arc<dyn Dataset<SegItem>>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The parts of a classification set read from IDX files.
type Parts = (
    Arc<dyn Dataset<ImageItem>>,
    Arc<dyn Dataset<ImageItem>>,
    Vec<String>,
    Option<[usize; 3]>,
);

fn idx_parts(s: crate::idx_folder::IdxSplits, classes: &[&str]) -> Parts {
    let shape = s.train.shape();
    (
        Arc::new(s.train),
        Arc::new(s.test),
        names(classes),
        Some(shape),
    )
}

/// Loads a classification dataset, fetching MNIST into `cache` or installing Fashion-MNIST when needed
/// (on demand, each package-manager run announced on stderr first; to fetch explicitly, call
/// [`crate::mnist::ensure_mnist`] or [`crate::fashion::ensure_fashion_mnist`], as `cargo xtask data`
/// does).
pub fn load_classification(spec: &DatasetSpec, cache: &Path) -> Result<ClassificationData> {
    Loader::new(cache).classification(spec)
}

/// Loads a segmentation dataset (`digits-seg` derives from MNIST, fetched into `cache` when missing).
pub fn load_segmentation(spec: &DatasetSpec, cache: &Path) -> Result<SegmentationData> {
    Loader::new(cache).segmentation(spec)
}

/// Where and how datasets are loaded: the cache folder (MNIST is fetched into it) and whether the
/// bad files of an image or segmentation folder are skipped (`--skip-bad`: each named on stderr
/// before the run starts) or refused (an error listing every one).
#[derive(Debug, Clone, Copy)]
pub struct Loader<'a> {
    /// The data cache folder.
    pub cache: &'a Path,
    /// Skip an image folder's bad files instead of refusing the folder.
    pub skip_bad: bool,
}

impl<'a> Loader<'a> {
    /// Loading into `cache`, refusing bad files.
    pub fn new(cache: &'a Path) -> Self {
        Self {
            cache,
            skip_bad: false,
        }
    }

    /// The classification dataset `spec` ([`load_classification`]).
    pub fn classification(&self, spec: &DatasetSpec) -> Result<ClassificationData> {
        let (cache, skip_bad) = (self.cache, self.skip_bad);
        let (train, test, classes, shape): Parts = match spec {
            DatasetSpec::Mnist(dir) => {
                let s = match dir {
                    None => ensure_mnist(cache)?,
                    Some(d) => load_idx_folder(d, Some(&MNIST))?,
                };
                idx_parts(s, &MNIST_CLASSES)
            }
            DatasetSpec::FashionMnist(dir) => {
                idx_parts(ensure_fashion_mnist(dir.as_deref())?, &FASHION_CLASSES)
            }
            DatasetSpec::Idx(dir) => {
                let (s, classes) = load_user_idx(dir)?;
                let shape = s.train.shape();
                (Arc::new(s.train), Arc::new(s.test), classes, Some(shape))
            }
            DatasetSpec::Cifar10(dir) => {
                let (train, test, classes) = load_cifar10(dir)?;
                let shape = train.shape();
                (Arc::new(train), Arc::new(test), classes, Some(shape))
            }
            DatasetSpec::Folder(dir) => {
                let train = ImageFolder::new(&dir.join("train"))?;
                let test_dir = if dir.join("test").is_dir() {
                    dir.join("test")
                } else {
                    dir.join("val")
                };
                let test = ImageFolder::with_classes(&test_dir, train.classes().to_vec())?;
                // Decode every file once now: a broken one stops the run before it starts (or is
                // skipped, with --skip-bad), not at item 35 of epoch 1 or in the test evaluation.
                let (train, test) = both(train.checked(skip_bad), test.checked(skip_bad))?;
                let train = skipping(train, &dir.join("train"));
                let test = skipping(test, &test_dir);
                let classes = train.classes().to_vec();
                (Arc::new(train), Arc::new(test), classes, None)
            }
            DatasetSpec::DigitsSeg { .. } | DatasetSpec::SegFolder(_) => {
                return Err(DataError::Config(format!(
                    "{spec} is a segmentation dataset"
                )));
            }
        };
        Ok(ClassificationData {
            name: spec.name().to_string(),
            classes,
            shape,
            train,
            test,
        })
    }

    /// The segmentation dataset `spec` ([`load_segmentation`]).
    pub fn segmentation(&self, spec: &DatasetSpec) -> Result<SegmentationData> {
        let (cache, skip_bad) = (self.cache, self.skip_bad);
        match spec {
            DatasetSpec::DigitsSeg { seed } => {
                let s = ensure_mnist(cache)?;
                let train_cfg = DigitsSegConfig {
                    seed: *seed,
                    ..DigitsSegConfig::default()
                };
                let test_cfg = DigitsSegConfig {
                    len: 2_000,
                    ..train_cfg
                };
                Ok(SegmentationData {
                    name: "digits-seg (derived from MNIST)".into(),
                    classes: digits_seg_classes(),
                    train: Arc::new(DigitsSeg::new(s.train, train_cfg)?),
                    test: Arc::new(DigitsSeg::new(s.test, test_cfg)?),
                })
            }
            DatasetSpec::SegFolder(dir) => {
                let list = dir.join("classes.txt");
                let classes = crate::names::read_names(&list)?;
                if classes.is_empty() {
                    return Err(DataError::invalid(&list, "no class names"));
                }
                // Every image and mask decoded and checked once, before the run starts.
                let (train, test) = (dir.join("train"), dir.join("test"));
                let n = classes.len();
                let (checked_train, checked_test) = both(
                    SegFolder::checked(&train, n, skip_bad),
                    SegFolder::checked(&test, n, skip_bad),
                )?;
                let train = skipping(checked_train, &train);
                let test = skipping(checked_test, &test);
                Ok(SegmentationData {
                    name: spec.name().to_string(),
                    train: Arc::new(train),
                    test: Arc::new(test),
                    classes,
                })
            }
            _ => Err(DataError::Config(format!(
                "{spec} is a classification dataset"
            ))),
        }
    }
}

/// The folder of a check, after naming on stderr every bad file it skipped (`--skip-bad`).
fn skipping<T>((folder, skipped): (T, Vec<DataError>), root: &Path) -> T {
    if !skipped.is_empty() {
        eprintln!(
            "--skip-bad: skipping {} bad file(s) of {}:\n  {}",
            skipped.len(),
            root.display(),
            crate::folder::list(&skipped)
        );
    }
    folder
}

/// Both splits' checks, or the errors of both (each split's bad files listed in one message).
fn both<A, B>(train: Result<A>, test: Result<B>) -> Result<(A, B)> {
    match (train, test) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(a), Err(b)) => Err(DataError::Config(format!("{a}\n{b}"))),
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}
