//! Decoding image and mask files with errors that name the file: a corrupt or truncated PNG/JPEG/BMP
//! never panics a data-loader worker (a decoder panic is caught and reported as an error too).

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use image::DynamicImage;

use crate::error::{DataError, Result};

/// The file extensions read as images (lowercase).
pub const IMAGE_EXTENSIONS: [&str; 4] = ["png", "jpg", "jpeg", "bmp"];

/// Whether `path` has one of [`IMAGE_EXTENSIONS`].
pub fn is_image_file(path: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Decodes an image file (format guessed from its bytes).
pub fn decode_image_file(path: &Path) -> Result<DynamicImage> {
    let bytes = std::fs::read(path).map_err(DataError::io(path))?;
    decode_image_bytes(&bytes, path)
}

/// Decodes image bytes; `path` names them in errors.
pub fn decode_image_bytes(bytes: &[u8], path: &Path) -> Result<DynamicImage> {
    if bytes.is_empty() {
        return Err(DataError::invalid(path, "empty image file"));
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| e.to_string())
            .and_then(|r| {
                let format = r.format();
                r.decode().map_err(|e| match format {
                    Some(f) => format!("corrupt or truncated {f:?} image: {e}"),
                    None => format!("not a recognised image: {e}"),
                })
            })
    }));
    match result {
        Ok(Ok(_)) if is_jpeg(bytes) && !jpeg_has_end(bytes) => Err(DataError::invalid(
            path,
            "truncated JPEG image: no end-of-image marker after the scan data",
        )),
        Ok(Ok(img)) if img.width() > 0 && img.height() > 0 => Ok(img),
        Ok(Ok(_)) => Err(DataError::invalid(path, "image has zero width or height")),
        Ok(Err(problem)) => Err(DataError::invalid(path, problem)),
        Err(_) => Err(DataError::invalid(
            path,
            "the image decoder failed (corrupt file)",
        )),
    }
}

fn is_jpeg(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8])
}

/// Whether an end-of-image marker (FF D9) follows the last start-of-scan marker (FF DA). Inside
/// entropy-coded data every FF byte is followed by 00 or a restart marker, so FF D9 there is the real
/// end; a file cut short lacks it (the JPEG decoder would otherwise return a partly grey image).
fn jpeg_has_end(bytes: &[u8]) -> bool {
    let last = |marker: u8| bytes.windows(2).rposition(|w| w == [0xFF, marker]);
    match (last(0xDA), last(0xD9)) {
        (Some(sos), Some(eoi)) => eoi > sos,
        (None, Some(_)) => true,
        _ => false,
    }
}

/// Reads a mask PNG as one class id per pixel: 8-bit palette PNGs give their palette indices (PASCAL
/// VOC's format), 8-bit grey PNGs their values. Returns (height, width, ids).
pub fn decode_mask_file(path: &Path) -> Result<(usize, usize, Vec<u8>)> {
    let bytes = std::fs::read(path).map_err(DataError::io(path))?;
    let result = catch_unwind(AssertUnwindSafe(|| decode_mask_bytes(&bytes)));
    match result {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(problem)) => Err(DataError::invalid(path, problem)),
        Err(_) => Err(DataError::invalid(
            path,
            "the PNG decoder failed (corrupt file)",
        )),
    }
}

/// The longest side of a mask PNG accepted (16,384 px: at most 1 GiB of 16-bit RGBA rows, refused
/// later anyway, or 256 MiB of 8-bit ids).
pub const MAX_MASK_SIDE: u64 = 16_384;

fn decode_mask_bytes(bytes: &[u8]) -> std::result::Result<(usize, usize, Vec<u8>), String> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::IDENTITY);
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("not a readable PNG mask: {e}"))?;
    // Refused before the pixel buffer is allocated: a few bytes of header may claim gigabytes.
    let (w, h) = (reader.info().width as u64, reader.info().height as u64);
    if w > MAX_MASK_SIDE || h > MAX_MASK_SIDE {
        return Err(format!(
            "PNG mask of {w}×{h} pixels: each side must be at most {MAX_MASK_SIDE}"
        ));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "PNG mask too large".to_string())?;
    let mut buf = vec![0u8; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("corrupt or truncated PNG mask: {e}"))?;
    let (w, h) = (info.width as usize, info.height as usize);
    let ok = matches!(
        (info.color_type, info.bit_depth),
        (
            png::ColorType::Indexed | png::ColorType::Grayscale,
            png::BitDepth::Eight
        )
    );
    if !ok {
        return Err(format!(
            "mask must be an 8-bit palette or grey PNG of class ids, found {:?} {:?}",
            info.color_type, info.bit_depth
        ));
    }
    let mut ids = Vec::with_capacity(w * h);
    for row in buf.chunks(info.line_size.max(1)).take(h) {
        ids.extend_from_slice(&row[..w.min(row.len())]);
    }
    if ids.len() != w * h {
        return Err("truncated PNG mask".into());
    }
    Ok((h, w, ids))
}
