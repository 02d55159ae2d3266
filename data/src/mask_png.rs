//! Writing class-id masks as 8-bit palette PNGs, the format PASCAL VOC uses and
//! [`crate::decode::decode_mask_file`] reads: every pixel stores its class id as a palette index (so
//! the file decodes to the same ids) and the palette gives each class a distinct colour (so the file
//! is also a readable picture). Id 255 (ignore) is white.

use std::path::Path;

use crate::cache::write_atomic;
use crate::error::{DataError, Result};

/// The colour of class `id`: the PASCAL VOC colour map, which spreads the bits of the id over the
/// high bits of the three channels (0 black, 1 dark red, 2 dark green, 3 olive, …); 255 is white.
pub fn class_colour(id: u8) -> [u8; 3] {
    if id == crate::IGNORE_ID {
        return [255, 255, 255];
    }
    let mut rgb = [0u8; 3];
    let mut c = id;
    for shift in (0..8).rev() {
        for (channel, value) in rgb.iter_mut().enumerate() {
            *value |= ((c >> channel) & 1) << shift;
        }
        c >>= 3;
        if c == 0 {
            break;
        }
    }
    rgb
}

/// A PNG of `height × width` class ids (row-major), 8-bit indexed with the [`class_colour`] palette.
pub fn encode_mask_png(
    width: usize,
    height: usize,
    ids: &[u8],
) -> std::result::Result<Vec<u8>, String> {
    if ids.len() != width * height || width == 0 || height == 0 {
        return Err(format!(
            "{} class ids do not make a {width}×{height} mask",
            ids.len()
        ));
    }
    let palette: Vec<u8> = (0..=255u8).flat_map(class_colour).collect();
    let mut bytes = Vec::new();
    {
        let w = u32::try_from(width).map_err(|e| e.to_string())?;
        let h = u32::try_from(height).map_err(|e| e.to_string())?;
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_palette(palette);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(ids).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}

/// Write `ids` as a palette PNG mask to `path` (through a temporary name).
pub fn write_mask_png(path: &Path, width: usize, height: usize, ids: &[u8]) -> Result<()> {
    let bytes = encode_mask_png(width, height, ids).map_err(|e| DataError::invalid(path, e))?;
    write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_starts_like_voc_and_is_distinct() {
        assert_eq!(class_colour(0), [0, 0, 0]);
        assert_eq!(class_colour(1), [128, 0, 0]);
        assert_eq!(class_colour(2), [0, 128, 0]);
        assert_eq!(class_colour(3), [128, 128, 0]);
        assert_eq!(class_colour(15), [192, 128, 128]);
        let mut seen: Vec<[u8; 3]> = (0..=255u8).map(class_colour).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 256);
    }

    #[test]
    fn wrong_length_is_an_error() {
        assert!(encode_mask_png(3, 2, &[0; 5]).is_err());
    }
}
