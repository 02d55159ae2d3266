//! The IDX file format of the MNIST database (LeCun, Bottou, Bengio and Haffner, "Gradient-based learning
//! applied to document recognition", Proc. IEEE 1998; format described on the MNIST page by LeCun and
//! Cortes), used unchanged by Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017).
//!
//! A file is a 4-byte magic number `0 0 T N` (T = 0x08 for unsigned bytes, N = the number of dimensions),
//! N big-endian u32 sizes, then the data in row-major order. Images are `0x00000803` (count, rows,
//! columns), labels `0x00000801` (count). Files may be gzip-compressed; both are read by one reader.

use std::io::Read;
use std::path::Path;

use crate::error::{DataError, Result};

/// The type code for unsigned bytes, the only element type MNIST-like files use.
const UBYTE: u8 = 0x08;

/// A decoded IDX array of unsigned bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxArray {
    /// The sizes of each dimension.
    pub dims: Vec<usize>,
    /// The elements in row-major order; `data.len()` is the product of `dims`.
    pub data: Vec<u8>,
}

/// The most bytes a gzip stream may inflate to (2 GiB of data plus any header): a stream that inflates
/// further (a "gzip bomb") is refused once it passes this, not read to the end.
pub const MAX_INFLATED: u64 = (1 << 31) + 1024;

/// Reads a file, decompressing it when it starts with the gzip magic bytes `1f 8b`.
///
/// A truncated or corrupt gzip stream, or one that inflates past [`MAX_INFLATED`], is an error naming
/// the file.
pub fn read_maybe_gzip(path: &Path) -> Result<Vec<u8>> {
    let raw = std::fs::read(path).map_err(DataError::io(path))?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(raw.len().saturating_mul(4).min(1 << 26));
        flate2::read::GzDecoder::new(raw.as_slice())
            .take(MAX_INFLATED + 1)
            .read_to_end(&mut out)
            .map_err(|e| {
                DataError::invalid(path, format!("truncated or corrupt gzip stream ({e})"))
            })?;
        if out.len() as u64 > MAX_INFLATED {
            return Err(DataError::invalid(
                path,
                format!("the gzip stream inflates past {MAX_INFLATED} bytes"),
            ));
        }
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Parses the (already decompressed) bytes of an IDX file; `path` only names the file in errors.
pub fn parse_idx(bytes: &[u8], path: &Path) -> Result<IdxArray> {
    if bytes.len() < 4 {
        return Err(DataError::invalid(
            path,
            format!("{} bytes is too short for an IDX header", bytes.len()),
        ));
    }
    if bytes[0] != 0 || bytes[1] != 0 || bytes[2] != UBYTE || bytes[3] == 0 {
        return Err(DataError::invalid(
            path,
            format!(
                "wrong magic number 0x{:02x}{:02x}{:02x}{:02x} (expected 0x000008NN: unsigned bytes, NN dimensions)",
                bytes[0], bytes[1], bytes[2], bytes[3]
            ),
        ));
    }
    let ndims = usize::from(bytes[3]);
    let header = 4 + 4 * ndims;
    if bytes.len() < header {
        return Err(DataError::invalid(
            path,
            format!(
                "truncated header: {ndims} dimensions need {header} bytes, file has {}",
                bytes.len()
            ),
        ));
    }
    let dims: Vec<usize> = bytes[4..header]
        .chunks_exact(4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .collect();
    let expected = dims
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| DataError::invalid(path, format!("dimensions {dims:?} overflow")))?;
    let found = bytes.len() - header;
    if found < expected {
        return Err(DataError::invalid(
            path,
            format!("truncated: dimensions {dims:?} need {expected} data bytes, file has {found}"),
        ));
    }
    if found > expected {
        return Err(DataError::invalid(
            path,
            format!(
                "{} trailing bytes after the {expected} data bytes of dimensions {dims:?}",
                found - expected
            ),
        ));
    }
    Ok(IdxArray {
        dims,
        data: bytes[header..].to_vec(),
    })
}

/// Reads an IDX file (gzip or raw).
pub fn read_idx(path: &Path) -> Result<IdxArray> {
    parse_idx(&read_maybe_gzip(path)?, path)
}

/// Encodes an array of unsigned bytes as IDX (the inverse of [`parse_idx`]).
pub fn encode_idx(dims: &[usize], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 4 * dims.len() + data.len());
    out.extend_from_slice(&[0, 0, UBYTE, dims.len() as u8]);
    for &d in dims {
        out.extend_from_slice(&(d as u32).to_be_bytes());
    }
    out.extend_from_slice(data);
    out
}

/// Checks that an image array has three dimensions `[n, rows, cols]` and returns them.
pub fn image_dims(array: &IdxArray, path: &Path) -> Result<[usize; 3]> {
    match array.dims.as_slice() {
        &[n, h, w] => Ok([n, h, w]),
        d => Err(DataError::invalid(
            path,
            format!(
                "expected an image file (magic 0x00000803, 3 dimensions), found {} dimensions",
                d.len()
            ),
        )),
    }
}

/// Checks that a label array has one dimension and returns the count.
pub fn label_count(array: &IdxArray, path: &Path) -> Result<usize> {
    match array.dims.as_slice() {
        &[n] => Ok(n),
        d => Err(DataError::invalid(
            path,
            format!(
                "expected a label file (magic 0x00000801, 1 dimension), found {} dimensions",
                d.len()
            ),
        )),
    }
}
