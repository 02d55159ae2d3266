//! A user's own dataset in the IDX format of MNIST (LeCun et al., Proc. IEEE 1998) — KMNIST
//! (Clanuwat et al. 2018), EMNIST (Cohen et al. 2017) or any `*-images-idx3-ubyte` set — read as
//! `--dataset idx:DIR`.
//!
//! `DIR` holds one file per role, matched by the end of its name (raw or `.gz`):
//! `*train-images-idx3-ubyte`, `*train-labels-idx1-ubyte`, `*t10k-images-idx3-ubyte` (or
//! `*test-images-idx3-ubyte`) and `*t10k-labels-idx1-ubyte` (or `*test-labels-idx1-ubyte`). An
//! optional `classes.txt` (one name a line) names the classes; without it the classes are the ids
//! `0..=max label`.
//!
//! Unlike `mnist:DIR`, nothing is checked against known digests. Headers are read and checked first,
//! before any data is allocated: a header claiming more than [`MAX_IMAGES`] images, a side of 0 or
//! more than [`MAX_SIDE`] pixels, more than [`MAX_DATA_BYTES`] of pixels, or an image count that
//! disagrees with its label file is refused by name. Data is then read with the claimed length as a
//! hard limit, so a gzip stream that inflates past it (a "gzip bomb") cannot grow memory beyond it.
//!
//! EMNIST stores each image transposed (column-major); it is read as stored.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{DataError, Result};
use crate::idx_folder::IdxSplits;
use crate::memory::ImageDataset;

/// The most images one file may claim (2²⁴ ≈ 16.8 million; EMNIST ByClass has 814,255).
pub const MAX_IMAGES: usize = 1 << 24;
/// The longest image side accepted, in pixels.
pub const MAX_SIDE: usize = 4096;
/// The most pixel bytes one file may claim (2 GiB).
pub const MAX_DATA_BYTES: usize = 1 << 31;
/// Growth step of the data buffer: memory follows the bytes actually read, not the header's claim.
const CHUNK: usize = 1 << 22;

/// The four roles, each with the name endings that fill it.
const ROLES: [(&str, &[&str]); 4] = [
    ("training images", &["train-images-idx3-ubyte"]),
    ("training labels", &["train-labels-idx1-ubyte"]),
    (
        "test images",
        &["t10k-images-idx3-ubyte", "test-images-idx3-ubyte"],
    ),
    (
        "test labels",
        &["t10k-labels-idx1-ubyte", "test-labels-idx1-ubyte"],
    ),
];

/// An IDX file opened with its header read and checked; the data follows in `reader`.
pub struct IdxHeader {
    /// The file.
    pub path: PathBuf,
    /// The dimension sizes (3 for images, 1 for labels).
    pub dims: Vec<usize>,
    reader: Box<dyn Read>,
}

impl std::fmt::Debug for IdxHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdxHeader")
            .field("path", &self.path)
            .field("dims", &self.dims)
            .finish()
    }
}

fn read_some(r: &mut dyn Read, buf: &mut [u8], path: &Path, what: &str) -> Result<()> {
    r.read_exact(buf).map_err(|e| {
        DataError::invalid(
            path,
            format!("truncated header: cannot read the {what} ({e})"),
        )
    })
}

/// Opens `path` (gzip or raw) and reads its header, which must have `ndims` dimensions.
///
/// Image headers (`ndims == 3`) are checked against [`MAX_IMAGES`], [`MAX_SIDE`] and
/// [`MAX_DATA_BYTES`]; label headers (`ndims == 1`) against [`MAX_IMAGES`]. A raw file's length
/// must match its header exactly.
pub fn open_idx(path: &Path, ndims: usize) -> Result<IdxHeader> {
    let file = File::open(path).map_err(DataError::io(path))?;
    let file_len = file.metadata().map_err(DataError::io(path))?.len();
    let mut buffered = BufReader::new(file);
    let mut magic = [0u8; 4];
    read_some(&mut buffered, &mut magic[..2], path, "magic number")?;
    let gzip = magic[..2] == [0x1f, 0x8b];
    let mut reader: Box<dyn Read> = if gzip {
        let prefix = std::io::Cursor::new(magic[..2].to_vec());
        Box::new(flate2::read::GzDecoder::new(prefix.chain(buffered)))
    } else {
        Box::new(buffered)
    };
    if gzip {
        read_some(&mut reader, &mut magic, path, "magic number")?;
    } else {
        read_some(&mut reader, &mut magic[2..], path, "magic number")?;
    }
    let kind = if ndims == 3 { "image" } else { "label" };
    if magic[..3] != [0, 0, 0x08] || usize::from(magic[3]) != ndims {
        return Err(DataError::invalid(
            path,
            format!(
                "wrong magic number 0x{:02x}{:02x}{:02x}{:02x} (an IDX {kind} file starts with 0x0000080{ndims})",
                magic[0], magic[1], magic[2], magic[3]
            ),
        ));
    }
    let mut dims = Vec::with_capacity(ndims);
    for k in 0..ndims {
        let mut b = [0u8; 4];
        read_some(&mut reader, &mut b, path, &format!("size of dimension {k}"))?;
        dims.push(u32::from_be_bytes(b) as usize);
    }
    check_dims(&dims, path)?;
    let expected: usize = dims.iter().product();
    let header = 4 + 4 * ndims as u64;
    if !gzip && file_len != header + expected as u64 {
        let found = file_len.saturating_sub(header);
        let problem = if found < expected as u64 {
            format!(
                "truncated: the header claims {dims:?} = {expected} data bytes, the file has {found}"
            )
        } else {
            format!(
                "{} trailing bytes after the {expected} data bytes of {dims:?}",
                found - expected as u64
            )
        };
        return Err(DataError::invalid(path, problem));
    }
    Ok(IdxHeader {
        path: path.to_path_buf(),
        dims,
        reader,
    })
}

fn check_dims(dims: &[usize], path: &Path) -> Result<()> {
    let n = dims[0];
    if n == 0 {
        return Err(DataError::invalid(path, "the header claims 0 items"));
    }
    if n > MAX_IMAGES {
        return Err(DataError::invalid(
            path,
            format!("the header claims {n} items, more than the {MAX_IMAGES} accepted"),
        ));
    }
    if let &[_, h, w] = dims {
        if h == 0 || w == 0 || h > MAX_SIDE || w > MAX_SIDE {
            return Err(DataError::invalid(
                path,
                format!("the header claims {h}×{w} images; each side must be 1..={MAX_SIDE}"),
            ));
        }
        let bytes = n * h * w;
        if bytes > MAX_DATA_BYTES {
            return Err(DataError::invalid(
                path,
                format!(
                    "the header claims {n} images of {h}×{w} = {bytes} bytes, more than the {MAX_DATA_BYTES} accepted"
                ),
            ));
        }
    }
    Ok(())
}

impl IdxHeader {
    /// Reads the data the header announced, refusing a short or over-long stream.
    pub fn read_data(mut self) -> Result<Vec<u8>> {
        let expected: usize = self.dims.iter().product();
        let mut data = Vec::with_capacity(expected.min(CHUNK));
        let got = (&mut self.reader)
            .take(expected as u64)
            .read_to_end(&mut data)
            .map_err(|e| DataError::invalid(&self.path, format!("corrupt data ({e})")))?;
        if got < expected {
            return Err(DataError::invalid(
                &self.path,
                format!(
                    "truncated: the header claims {:?} = {expected} data bytes, the file has {got}",
                    self.dims
                ),
            ));
        }
        let mut extra = [0u8; 1];
        if matches!(self.reader.read(&mut extra), Ok(n) if n > 0) {
            return Err(DataError::invalid(
                &self.path,
                format!(
                    "trailing bytes after the {expected} data bytes of {:?}",
                    self.dims
                ),
            ));
        }
        Ok(data)
    }
}

/// The file of each role in `dir`, in the order train images, train labels, test images, test labels.
pub fn find_user_idx_files(dir: &Path) -> Result<[PathBuf; 4]> {
    let entries = std::fs::read_dir(dir).map_err(DataError::io(dir))?;
    let mut names: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    names.sort();
    let mut found: Vec<PathBuf> = Vec::with_capacity(4);
    for (role, endings) in ROLES {
        let hits: Vec<&PathBuf> = names
            .iter()
            .filter(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                let stem = name.strip_suffix(".gz").unwrap_or(&name);
                endings.iter().any(|e| stem.ends_with(e))
            })
            .collect();
        match hits.as_slice() {
            [one] => found.push((*one).clone()),
            [] => {
                return Err(DataError::invalid(
                    dir,
                    format!(
                        "no {role} file (a name ending in {}[.gz])",
                        endings.join(" or ")
                    ),
                ));
            }
            many => {
                let list: Vec<String> = many.iter().map(|p| p.display().to_string()).collect();
                return Err(DataError::invalid(
                    dir,
                    format!(
                        "several {role} files: {}; keep one per folder",
                        list.join(", ")
                    ),
                ));
            }
        }
    }
    let [a, b, c, d]: [PathBuf; 4] = found
        .try_into()
        .map_err(|_| DataError::invalid(dir, "internal: four roles expected"))?;
    Ok([a, b, c, d])
}

/// Reads one split: both headers first (counts compared), then the labels, then the images.
fn read_split(images: &Path, labels: &Path) -> Result<([usize; 3], Vec<u8>, Vec<u8>)> {
    let img = open_idx(images, 3)?;
    let lab = open_idx(labels, 1)?;
    let [n, h, w] = [img.dims[0], img.dims[1], img.dims[2]];
    if n != lab.dims[0] {
        return Err(DataError::invalid(
            images,
            format!(
                "count mismatch: {n} images but {} has {} labels",
                labels.display(),
                lab.dims[0]
            ),
        ));
    }
    let label_bytes = lab.read_data()?;
    let pixels = img.read_data()?;
    Ok(([n, h, w], label_bytes, pixels))
}

/// Reads `dir` as an IDX dataset: the splits and the class names.
pub fn load_user_idx(dir: &Path) -> Result<(IdxSplits, Vec<String>)> {
    let files = find_user_idx_files(dir)?;
    let (train_shape, train_labels, train_pixels) = read_split(&files[0], &files[1])?;
    let (test_shape, test_labels, test_pixels) = read_split(&files[2], &files[3])?;
    if train_shape[1..] != test_shape[1..] {
        return Err(DataError::invalid(
            &files[2],
            format!(
                "{}×{} images, but the training images ({}) are {}×{}",
                test_shape[1],
                test_shape[2],
                files[0].display(),
                train_shape[1],
                train_shape[2]
            ),
        ));
    }
    let classes = class_names(dir, &files, &train_labels, &test_labels)?;
    let labels = |l: Vec<u8>| l.into_iter().map(usize::from).collect::<Vec<_>>();
    let [_, h, w] = train_shape;
    let train = ImageDataset::new([1, h, w], train_pixels, labels(train_labels))?;
    let test = ImageDataset::new([1, h, w], test_pixels, labels(test_labels))?;
    let files = files
        .into_iter()
        .map(|p| (p, String::new()))
        .collect::<Vec<_>>();
    Ok((IdxSplits { train, test, files }, classes))
}

/// `classes.txt` when present (every label must be below its length), else `0..=max label`.
fn class_names(dir: &Path, files: &[PathBuf; 4], train: &[u8], test: &[u8]) -> Result<Vec<String>> {
    let list = dir.join("classes.txt");
    let names: Vec<String> = if list.is_file() {
        crate::names::read_names(&list)?
    } else {
        let max = train.iter().chain(test).copied().max().unwrap_or(0);
        (0..=max).map(|c| c.to_string()).collect()
    };
    if names.len() < 2 {
        let at = if list.is_file() { &list } else { &files[1] };
        return Err(DataError::invalid(
            at,
            format!("{} class(es); a classifier needs at least two", names.len()),
        ));
    }
    for (labels, path) in [(train, &files[1]), (test, &files[3])] {
        if let Some((i, &l)) = labels
            .iter()
            .enumerate()
            .find(|&(_, &l)| usize::from(l) >= names.len())
        {
            return Err(DataError::invalid(
                path,
                format!(
                    "class id {l} of label {i} out of range (0..{}, from {})",
                    names.len(),
                    list.display()
                ),
            ));
        }
    }
    Ok(names)
}
