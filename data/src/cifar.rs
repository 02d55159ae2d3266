//! The CIFAR-10 binary format (A. Krizhevsky, *Learning Multiple Layers of Features from Tiny Images*,
//! tech. report, University of Toronto, 2009): `data_batch_1.bin` … `data_batch_5.bin` (training, 10,000
//! records each) and `test_batch.bin`; a record is 1 label byte followed by 3,072 bytes, the 32×32 red,
//! green and blue planes in turn (CHW). Class names come from `batches.meta.txt` when present.
//!
//! No registry ships CIFAR-10 itself; this loader serves users who have it (`cifar10:PATH`).

use std::path::Path;

use crate::error::{DataError, Result};
use crate::memory::ImageDataset;

/// The image shape.
pub const CIFAR_SHAPE: [usize; 3] = [3, 32, 32];
const RECORD: usize = 1 + 3 * 32 * 32;

/// The default class names, in label order.
pub const CIFAR10_CLASSES: [&str; 10] = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
];

/// Parses the records of one batch file (`path` names it in errors).
pub fn parse_cifar_batch(
    bytes: &[u8],
    path: &Path,
    classes: usize,
) -> Result<(Vec<u8>, Vec<usize>)> {
    if bytes.is_empty() {
        return Err(DataError::invalid(path, "empty file"));
    }
    if !bytes.len().is_multiple_of(RECORD) {
        return Err(DataError::invalid(
            path,
            format!(
                "truncated or corrupt: {} bytes is not a whole number of {RECORD}-byte records",
                bytes.len()
            ),
        ));
    }
    let n = bytes.len() / RECORD;
    let mut pixels = Vec::with_capacity(n * (RECORD - 1));
    let mut labels = Vec::with_capacity(n);
    for (i, rec) in bytes.chunks_exact(RECORD).enumerate() {
        let label = usize::from(rec[0]);
        if label >= classes {
            return Err(DataError::invalid(
                path,
                format!("record {i}: class id {label} out of range (0..{classes})"),
            ));
        }
        labels.push(label);
        pixels.extend_from_slice(&rec[1..]);
    }
    Ok((pixels, labels))
}

fn read_batches(paths: &[std::path::PathBuf], classes: usize) -> Result<ImageDataset> {
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for p in paths {
        let bytes = std::fs::read(p).map_err(DataError::io(p))?;
        let (px, lb) = parse_cifar_batch(&bytes, p, classes)?;
        pixels.extend(px);
        labels.extend(lb);
    }
    ImageDataset::new(CIFAR_SHAPE, pixels, labels)
}

/// Reads a CIFAR-10 binary folder: every `data_batch_N.bin` present (N = 1…5, at least one) as the
/// training split, `test_batch.bin` as the test split; returns (train, test, class names).
pub fn load_cifar10(dir: &Path) -> Result<(ImageDataset, ImageDataset, Vec<String>)> {
    if !dir.is_dir() {
        return Err(DataError::invalid(
            dir,
            "not a folder (expected the CIFAR-10 binary version)",
        ));
    }
    let train: Vec<_> = (1..=5)
        .map(|i| dir.join(format!("data_batch_{i}.bin")))
        .filter(|p| p.is_file())
        .collect();
    if train.is_empty() {
        return Err(DataError::invalid(dir, "no data_batch_N.bin files"));
    }
    let test = dir.join("test_batch.bin");
    if !test.is_file() {
        return Err(DataError::invalid(dir, "no test_batch.bin"));
    }
    let meta = dir.join("batches.meta.txt");
    // Without a readable meta file, CIFAR-10's own names.
    let classes = crate::names::read_names(&meta)
        .unwrap_or_else(|_| CIFAR10_CLASSES.iter().map(|s| s.to_string()).collect());
    if classes.is_empty() || classes.len() > 256 {
        return Err(DataError::invalid(
            &meta,
            format!("{} class names", classes.len()),
        ));
    }
    Ok((
        read_batches(&train, classes.len())?,
        read_batches(&[test], classes.len())?,
        classes,
    ))
}

/// Encodes images (CHW, 3×32×32 bytes each) and labels as one CIFAR-10 batch file's bytes.
pub fn encode_cifar_batch(pixels: &[u8], labels: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(labels.len() * RECORD);
    for (i, &l) in labels.iter().enumerate() {
        out.push(l);
        if let Some(img) = pixels.get(i * (RECORD - 1)..(i + 1) * (RECORD - 1)) {
            out.extend_from_slice(img);
        }
    }
    out
}
