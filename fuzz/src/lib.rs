//! The parsers under fuzzing, compiled from the `data` crate's own source files (`#[path]`), so that
//! the targets need no Burn build, and the helpers every target shares.

#[path = "../../data/src/cifar.rs"]
#[allow(dead_code)]
pub mod cifar;
#[path = "../../data/src/decode.rs"]
#[allow(dead_code)]
pub mod decode;
#[path = "../../data/src/error.rs"]
#[allow(dead_code)]
pub mod error;
#[path = "../../data/src/idx.rs"]
#[allow(dead_code)]
pub mod idx;
#[path = "../../data/src/names.rs"]
#[allow(dead_code)]
pub mod names;

/// What `cifar.rs` needs of `data::memory`: the one check its batches meet.
pub mod memory {
    use crate::error::{DataError, Result};

    /// Images of one shape (the count and shape only: the fuzz targets drop the pixels).
    #[derive(Debug)]
    pub struct ImageDataset {
        /// The number of images.
        pub len: usize,
    }

    impl ImageDataset {
        /// As `data::memory::ImageDataset::new`: the pixel bytes must make whole images.
        pub fn new(shape: [usize; 3], pixels: Vec<u8>, labels: Vec<usize>) -> Result<Self> {
            let per = shape.iter().product::<usize>();
            if per == 0 || pixels.len() != per * labels.len() {
                return Err(DataError::Config(
                    "pixel bytes do not make whole images".into(),
                ));
            }
            Ok(Self { len: labels.len() })
        }
    }
}

/// Writes `bytes` to a file of this process named `fuzz-<name>`, in the temporary folder, and
/// passes its path to `read` (nothing when the file cannot be written).
pub fn with_file(name: &str, bytes: &[u8], read: impl FnOnce(&std::path::Path)) {
    let path = std::env::temp_dir().join(format!("fuzz-{}-{name}", std::process::id()));
    if std::fs::write(&path, bytes).is_ok() {
        read(&path);
    }
}
