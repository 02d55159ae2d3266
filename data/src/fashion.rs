//! Fashion-MNIST (H. Xiao, K. Rasul and R. Vollgraf, "Fashion-MNIST: a Novel Image Dataset for
//! Benchmarking Machine Learning Algorithms", arXiv:1708.07747, 2017; © Zalando SE, MIT licence):
//! 60,000 / 10,000 grey 28×28 images of clothing in 10 classes, in MNIST's IDX format.
//!
//! It comes from the Debian package `dataset-fashion-mnist`, which installs the four gzip'd IDX files in
//! `/usr/share/datasets/fashion-mnist`. They are read in place (no copy); the MD5 digests checked are
//! those of the decompressed files (the package recompressed the `.gz` files).

use std::path::{Path, PathBuf};

use crate::error::{DataError, Result};
use crate::idx_folder::{Expected, IdxSplits, has_idx_files, load_idx_folder};
use crate::package;

/// Where the Debian package puts the files.
pub const FASHION_SYSTEM_DIR: &str = "/usr/share/datasets/fashion-mnist";
/// The Debian package.
pub const FASHION_PACKAGE: &str = "dataset-fashion-mnist";

/// The digests (decompressed) and class counts of Fashion-MNIST.
pub const FASHION_MNIST: Expected = Expected {
    name: "Fashion-MNIST",
    md5: [
        "f4a8712d7a061bf5bd6d2ca38dc4d50a",
        "9018921c3c673c538a1fc5bad174d6f9",
        "8181f5470baa50b63fa0f6fddb340f0a",
        "15d484375f8d13e6eb1aabb0c3f46965",
    ],
    train_counts: [6000; 10],
    test_counts: [1000; 10],
};

/// The class names, in label order.
pub const FASHION_CLASSES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// Makes sure Fashion-MNIST is present: `dir` when given (a folder of the four IDX files), else the
/// system folder, installing the Debian package when it is absent. Verifies and returns the splits.
pub fn ensure_fashion_mnist(dir: Option<&Path>) -> Result<IdxSplits> {
    let dir: PathBuf = match dir {
        Some(d) => d.to_path_buf(),
        None => {
            let system = PathBuf::from(FASHION_SYSTEM_DIR);
            if !has_idx_files(&system) {
                package::apt_install("Fashion-MNIST", FASHION_PACKAGE).map_err(|e| {
                    DataError::fetch(
                        "Fashion-MNIST",
                        format!(
                            "{e}; install the Debian package {FASHION_PACKAGE} as root, or use \
                             `fashion-mnist:DIR` with a folder of the four IDX files"
                        ),
                    )
                })?;
            }
            system
        }
    };
    load_idx_folder(&dir, Some(&FASHION_MNIST))
}
