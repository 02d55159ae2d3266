//! A folder of the four standard IDX files (`{train,t10k}-{images-idx3,labels-idx1}-ubyte`, each raw or
//! `.gz`), as published for MNIST (LeCun and Cortes) and Fashion-MNIST (Xiao et al. 2017), read into
//! train/test [`ImageDataset`]s and checked: header magic, image/label counts, class ids, and optionally
//! the MD5 digests of the decompressed files and the class counts.

use std::path::{Path, PathBuf};

use crate::cache::md5_hex;
use crate::error::{DataError, Result};
use crate::idx::{image_dims, label_count, parse_idx, read_maybe_gzip};
use crate::memory::ImageDataset;

/// The four standard file names, in the order train images, train labels, test images, test labels.
pub const IDX_FILES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

/// What a verified copy of a dataset looks like.
#[derive(Debug, Clone, Copy)]
pub struct Expected {
    /// The dataset's name, for messages.
    pub name: &'static str,
    /// MD5 of each decompressed file, in [`IDX_FILES`] order.
    pub md5: [&'static str; 4],
    /// Images per class in the training split.
    pub train_counts: [usize; 10],
    /// Images per class in the test split.
    pub test_counts: [usize; 10],
}

/// The splits read from an IDX folder, with the files and their digests.
#[derive(Debug, Clone)]
pub struct IdxSplits {
    /// The training split.
    pub train: ImageDataset,
    /// The test split.
    pub test: ImageDataset,
    /// Each file read and the MD5 of its decompressed bytes.
    pub files: Vec<(PathBuf, String)>,
}

/// The path of standard file `name` in `dir`: raw if present, else `.gz`, else `None`.
pub fn find_idx_file(dir: &Path, name: &str) -> Option<PathBuf> {
    let raw = dir.join(name);
    if raw.is_file() {
        return Some(raw);
    }
    let gz = dir.join(format!("{name}.gz"));
    gz.is_file().then_some(gz)
}

/// Whether all four files are present in `dir`.
pub fn has_idx_files(dir: &Path) -> bool {
    IDX_FILES.iter().all(|n| find_idx_file(dir, n).is_some())
}

/// Reads one split from its (decompressed) image and label bytes.
pub fn split_from_bytes(
    images: (&[u8], &Path),
    labels: (&[u8], &Path),
    classes: usize,
) -> Result<ImageDataset> {
    let (img_bytes, img_path) = images;
    let (lab_bytes, lab_path) = labels;
    let img = parse_idx(img_bytes, img_path)?;
    let lab = parse_idx(lab_bytes, lab_path)?;
    let [n, h, w] = image_dims(&img, img_path)?;
    let m = label_count(&lab, lab_path)?;
    if n != m {
        return Err(DataError::invalid(
            img_path,
            format!(
                "count mismatch: {n} images but {} has {m} labels",
                lab_path.display()
            ),
        ));
    }
    if let Some((i, &l)) = lab
        .data
        .iter()
        .enumerate()
        .find(|&(_, &l)| usize::from(l) >= classes)
    {
        return Err(DataError::invalid(
            lab_path,
            format!("class id {l} of label {i} out of range (0..{classes})"),
        ));
    }
    let labels = lab.data.iter().map(|&l| usize::from(l)).collect();
    ImageDataset::new([1, h, w], img.data, labels)
}

/// Reads and checks the four files in `dir`; with `expected`, also checks digests and class counts.
pub fn load_idx_folder(dir: &Path, expected: Option<&Expected>) -> Result<IdxSplits> {
    let mut bytes = Vec::with_capacity(4);
    let mut files = Vec::with_capacity(4);
    for (k, name) in IDX_FILES.iter().enumerate() {
        let path = find_idx_file(dir, name)
            .ok_or_else(|| DataError::invalid(dir, format!("missing {name} (or {name}.gz)")))?;
        let data = read_maybe_gzip(&path)?;
        let digest = md5_hex(&data);
        if let Some(exp) = expected
            && digest != exp.md5[k]
        {
            return Err(DataError::invalid(
                &path,
                format!(
                    "MD5 {digest} of the decompressed file differs from {}'s {}; delete the file to fetch it again",
                    exp.name, exp.md5[k]
                ),
            ));
        }
        bytes.push(data);
        files.push((path, digest));
    }
    let train = split_from_bytes((&bytes[0], &files[0].0), (&bytes[1], &files[1].0), 10)?;
    let test = split_from_bytes((&bytes[2], &files[2].0), (&bytes[3], &files[3].0), 10)?;
    if let Some(exp) = expected {
        check_counts(&train, &exp.train_counts, &files[1].0, exp.name)?;
        check_counts(&test, &exp.test_counts, &files[3].0, exp.name)?;
    }
    Ok(IdxSplits { train, test, files })
}

fn check_counts(ds: &ImageDataset, want: &[usize; 10], path: &Path, name: &str) -> Result<()> {
    let got = ds.class_counts(10);
    if got.as_slice() != want.as_slice() {
        return Err(DataError::invalid(
            path,
            format!("class counts {got:?} differ from {name}'s {want:?}"),
        ));
    }
    Ok(())
}
