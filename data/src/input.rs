//! The model's input format and the conversion of any image to it: channel count (grey ↔ RGB) and size
//! (bilinear resize, centre pad/crop, or resize-shorter-side-then-centre-crop as in AlexNet/VGG/ResNet
//! evaluation). Training batches, statistics, augmentation previews and inference all go through
//! [`convert_image`] / [`convert_seg`], so an image is converted the same way everywhere.

use image::DynamicImage;
use serde::{Deserialize, Serialize};

use crate::error::{DataError, Result};
use crate::geometry::{
    Image, Mask, centre_offset, crop_image, crop_mask, resize_bilinear, resize_nearest,
};
use crate::item::{IGNORE_ID, Pixels};

/// How an image is brought to the input size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Fit {
    /// Bilinear resize to exactly `height × width` (aspect ratio not kept).
    #[default]
    Resize,
    /// No scaling: centre-pad with zeros (masks: ignore) or centre-crop (e.g. MNIST 28×28 → 32×32 as
    /// LeNet-5 was fed).
    PadCrop,
    /// Resize so the shorter side matches, then centre-crop the other side.
    ResizeCrop,
    /// Resize so the shorter side is this many pixels, then centre-crop to the input size
    /// (torchvision's ImageNet evaluation transform: 256, then 224).
    ResizeShorterCrop(usize),
}

/// The input a model expects: `[channels, height, width]` and how to fit images to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputSpec {
    /// 1 (grey) or 3 (RGB).
    pub channels: usize,
    /// Input height.
    pub height: usize,
    /// Input width.
    pub width: usize,
    /// How images of another size are fitted.
    #[serde(default)]
    pub fit: Fit,
}

impl InputSpec {
    /// A spec with the default fit ([`Fit::Resize`]); use `with_fit` to change it.
    pub fn new(channels: usize, height: usize, width: usize) -> Self {
        Self {
            channels,
            height,
            width,
            fit: Fit::Resize,
        }
    }

    /// The same spec with another fit.
    pub fn with_fit(mut self, fit: Fit) -> Self {
        self.fit = fit;
        self
    }

    /// `[channels, height, width]`.
    pub fn shape(&self) -> [usize; 3] {
        [self.channels, self.height, self.width]
    }

    /// `channels · height · width`.
    pub fn numel(&self) -> usize {
        self.channels * self.height * self.width
    }

    /// Checks the values (1 or 3 channels, non-zero sizes).
    pub fn validate(&self) -> Result<()> {
        if !matches!(self.channels, 1 | 3) || self.height == 0 || self.width == 0 {
            return Err(DataError::Config(format!(
                "input spec {}×{}×{}: channels must be 1 or 3 and sizes non-zero",
                self.channels, self.height, self.width
            )));
        }
        Ok(())
    }
}

/// Converts `channels` to `to` channels: grey is replicated to RGB, RGB becomes grey by the ITU-R
/// BT.601 luma weights (0.299, 0.587, 0.114); other cases repeat channels cyclically.
pub fn convert_channels(img: Image, to: usize) -> Image {
    let [c, h, w] = img.shape;
    if c == to || c == 0 {
        return img;
    }
    let plane = h * w;
    let mut out = Image::filled([to, h, w], 0.0);
    if c == 3 && to == 1 {
        for i in 0..plane {
            out.data[i] =
                0.299 * img.data[i] + 0.587 * img.data[plane + i] + 0.114 * img.data[2 * plane + i];
        }
    } else {
        for ch in 0..to {
            let src = ch % c;
            out.data[ch * plane..(ch + 1) * plane]
                .copy_from_slice(&img.data[src * plane..(src + 1) * plane]);
        }
    }
    out
}

/// Fits `img` to `h × w` by `fit`.
pub fn fit_image(img: &Image, fit: Fit, h: usize, w: usize) -> Image {
    let [_, ih, iw] = img.shape;
    match fit {
        Fit::Resize => resize_bilinear(img, h, w),
        Fit::PadCrop => crop_image(img, centre_offset(ih, h), centre_offset(iw, w), h, w, 0.0),
        Fit::ResizeCrop => {
            let (rh, rw) = shorter_side_size(ih, iw, h, w);
            let r = resize_bilinear(img, rh, rw);
            crop_image(&r, centre_offset(rh, h), centre_offset(rw, w), h, w, 0.0)
        }
        Fit::ResizeShorterCrop(side) => {
            let (rh, rw) = shorter_side_size(ih, iw, side.max(h), side.max(w));
            let r = resize_bilinear(img, rh, rw);
            crop_image(&r, centre_offset(rh, h), centre_offset(rw, w), h, w, 0.0)
        }
    }
}

/// Fits `mask` to `h × w` by `fit`, with nearest-neighbour sampling and [`IGNORE_ID`] padding.
pub fn fit_mask(mask: &Mask, fit: Fit, h: usize, w: usize) -> Mask {
    match fit {
        Fit::Resize => resize_nearest(mask, h, w),
        Fit::PadCrop => crop_mask(
            mask,
            centre_offset(mask.h, h),
            centre_offset(mask.w, w),
            h,
            w,
            IGNORE_ID,
        ),
        Fit::ResizeCrop | Fit::ResizeShorterCrop(_) => {
            let (th, tw) = match fit {
                Fit::ResizeShorterCrop(side) => (side.max(h), side.max(w)),
                _ => (h, w),
            };
            let (rh, rw) = shorter_side_size(mask.h, mask.w, th, tw);
            let r = resize_nearest(mask, rh, rw);
            crop_mask(
                &r,
                centre_offset(rh, h),
                centre_offset(rw, w),
                h,
                w,
                IGNORE_ID,
            )
        }
    }
}

fn shorter_side_size(ih: usize, iw: usize, h: usize, w: usize) -> (usize, usize) {
    let scale = (h as f32 / ih.max(1) as f32).max(w as f32 / iw.max(1) as f32);
    let rh = ((ih as f32 * scale).round() as usize).max(h);
    let rw = ((iw as f32 * scale).round() as usize).max(w);
    (rh, rw)
}

/// Pixels of `shape` as an [`Image`] on the 0–1 scale.
pub fn to_image(pixels: &Pixels, shape: [usize; 3]) -> Image {
    let n: usize = shape.iter().product();
    let pad = std::iter::repeat(0.0f32);
    let data = match pixels {
        Pixels::U8(v) => v
            .iter()
            .map(|&b| f32::from(b) / 255.0)
            .chain(pad)
            .take(n)
            .collect(),
        Pixels::F32(v) => v.iter().copied().chain(pad).take(n).collect(),
    };
    Image { shape, data }
}

/// Converts stored pixels to the input's channels and size, on the 0–1 scale (not yet normalised).
pub fn convert_image(pixels: &Pixels, shape: [usize; 3], spec: &InputSpec) -> Image {
    let img = convert_channels(to_image(pixels, shape), spec.channels);
    fit_image(&img, spec.fit, spec.height, spec.width)
}

/// Converts an image and its mask together (same geometry; the mask nearest-neighbour).
pub fn convert_seg(
    pixels: &Pixels,
    shape: [usize; 3],
    mask: &[u8],
    spec: &InputSpec,
) -> (Image, Mask) {
    let image = convert_image(pixels, shape, spec);
    let m = Mask {
        h: shape[1],
        w: shape[2],
        data: mask.to_vec(),
    };
    (image, fit_mask(&m, spec.fit, spec.height, spec.width))
}

/// A decoded image of any size or colour type as stored pixels: grey types stay one channel, everything
/// else becomes RGB (alpha dropped). 16-bit and float images are reduced to 8 bits.
pub fn dynamic_to_pixels(img: &DynamicImage) -> (Pixels, [usize; 3]) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if img.color().has_color() {
        let rgb = img.to_rgb8();
        let plane = h * w;
        let mut chw = vec![0u8; 3 * plane];
        for (i, p) in rgb.pixels().enumerate() {
            chw[i] = p.0[0];
            chw[plane + i] = p.0[1];
            chw[2 * plane + i] = p.0[2];
        }
        (Pixels::U8(chw), [3, h, w])
    } else {
        (Pixels::U8(img.to_luma8().into_raw()), [1, h, w])
    }
}
