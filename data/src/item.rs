//! The items the datasets hand out: an image (u8 or f32 pixels, CHW) with a class label, or an image with
//! a segmentation mask.

use serde::{Deserialize, Serialize};

/// The mask value that marks pixels to ignore (PASCAL VOC's convention; padded areas get it too).
pub const IGNORE_ID: u8 = 255;

/// Pixels in channel-major (CHW) order.
///
/// `U8` holds the stored 0–255 values; `F32` holds values on the 0–1 scale (`u8 / 255`), which is what
/// augmentation produces. Normalisation happens later, in the batcher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Pixels {
    /// Raw bytes, 0–255.
    U8(Vec<u8>),
    /// Values on the 0–1 scale.
    F32(Vec<f32>),
}

impl Pixels {
    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            Pixels::U8(v) => v.len(),
            Pixels::F32(v) => v.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i` on the 0–1 scale (0 when out of range, so a malformed item cannot panic).
    #[inline]
    pub fn value(&self, i: usize) -> f32 {
        match self {
            Pixels::U8(v) => v.get(i).map_or(0.0, |&b| f32::from(b) / 255.0),
            Pixels::F32(v) => v.get(i).copied().unwrap_or(0.0),
        }
    }

    /// All values as bytes (0–1 values are scaled, rounded and clamped).
    pub fn to_u8(&self) -> Vec<u8> {
        match self {
            Pixels::U8(v) => v.clone(),
            Pixels::F32(v) => v
                .iter()
                .map(|&x| (x * 255.0).round().clamp(0.0, 255.0) as u8)
                .collect(),
        }
    }
}

/// A classification sample: an image and its class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageItem {
    /// CHW pixels.
    pub pixels: Pixels,
    /// `[channels, height, width]`.
    pub shape: [usize; 3],
    /// The class index, `0..classes.len()`.
    pub label: usize,
}

/// A segmentation sample: an image and one class id per pixel ([`IGNORE_ID`] = ignore).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegItem {
    /// CHW pixels.
    pub pixels: Pixels,
    /// `[channels, height, width]` of the image; the mask is `height × width`.
    pub shape: [usize; 3],
    /// Row-major class ids, `height × width` of them.
    pub mask: Vec<u8>,
}
