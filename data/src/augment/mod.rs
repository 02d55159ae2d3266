//! Data augmentation (the lecture's "data augmentation" slides): random horizontal/vertical flips,
//! random crops with padding, random resized crops, rotations and colour jitter, composed from a
//! serde-serialisable [`AugmentConfig`] in which every step has a probability.
//!
//! Deterministic: sample `i` of epoch `e` under seed `s` is augmented with the random stream
//! [`Rng::for_sample`]`(s, e, i)`, so results do not depend on worker count or order. For segmentation
//! every draw is made once and applied to the image (bilinear, fill value) and the mask (nearest
//! neighbour, ignore id 255 in uncovered areas) together.
//!
//! Example JSON:
//! `{"steps":[{"type":"horizontal-flip","p":0.5},{"type":"random-crop","size":[32,32],"padding":4}]}`

pub mod dataset;
pub mod jitter;
pub mod ops;

use serde::{Deserialize, Serialize};

pub use dataset::{
    Augment, Augmented, AugmentedDataset, AugmentedSegDataset, augment_item, augment_seg_item,
};

use crate::geometry::{Image, Mask};
use crate::rng::Rng;
use jitter::{JitterDraw, apply_jitter};
use ops::{
    crop_resize_image, crop_resize_mask, flip_horizontal, flip_mask_horizontal, flip_mask_vertical,
    flip_vertical, random_crop_window, random_resized_window, rotate_image, rotate_mask,
};

/// One transform and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Transform {
    /// Mirror left–right.
    HorizontalFlip,
    /// Mirror top–bottom.
    VerticalFlip,
    /// Pad by `padding` on every side (with `fill`), then crop `size = [h, w]` at a random place.
    RandomCrop {
        /// Output `[height, width]`.
        size: [usize; 2],
        /// Padding on each side.
        #[serde(default)]
        padding: usize,
        /// Image fill value for the padding (0–1 scale).
        #[serde(default)]
        fill: f32,
    },
    /// Crop a random area fraction in `scale` with aspect ratio in `ratio`, resized to `size`.
    RandomResizedCrop {
        /// Output `[height, width]`.
        size: [usize; 2],
        /// Area fraction range, e.g. `[0.08, 1.0]`.
        scale: [f32; 2],
        /// Aspect ratio (width/height) range, e.g. `[0.75, 1.333]`.
        ratio: [f32; 2],
    },
    /// Rotate by an angle uniform in `[-degrees, degrees]`, bilinear, `fill` outside.
    Rotation {
        /// Largest angle in degrees.
        degrees: f32,
        /// Image fill value (0–1 scale).
        #[serde(default)]
        fill: f32,
    },
    /// Colour jitter; saturation and hue only act on RGB images.
    ColorJitter {
        /// Brightness strength.
        #[serde(default)]
        brightness: f32,
        /// Contrast strength.
        #[serde(default)]
        contrast: f32,
        /// Saturation strength.
        #[serde(default)]
        saturation: f32,
        /// Hue strength in turns (at most 0.5).
        #[serde(default)]
        hue: f32,
    },
}

fn one() -> f32 {
    1.0
}

/// A transform applied with probability `p`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The probability of applying the transform (default 1).
    #[serde(default = "one")]
    pub p: f32,
    /// The transform.
    #[serde(flatten)]
    pub transform: Transform,
}

impl Step {
    /// `transform` with probability `p`.
    pub fn new(p: f32, transform: Transform) -> Self {
        Self { p, transform }
    }
}

/// An augmentation pipeline: steps applied in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AugmentConfig {
    /// The steps.
    #[serde(default)]
    pub steps: Vec<Step>,
}

impl AugmentConfig {
    /// No augmentation.
    pub fn none() -> Self {
        Self::default()
    }

    /// A sensible pipeline for `[c, h, w]` images: small shifts, rotations and brightness/contrast for
    /// grey digits (no flips: a mirrored digit is another symbol); flips, padded crops and colour jitter
    /// for small RGB images; random resized crops, flips and jitter for large RGB images.
    pub fn default_for(shape: [usize; 3]) -> Self {
        let [c, h, w] = shape;
        let jitter = |b, s, hue| Transform::ColorJitter {
            brightness: b,
            contrast: b,
            saturation: s,
            hue,
        };
        let steps = if c == 1 {
            vec![
                Step::new(
                    1.0,
                    Transform::RandomCrop {
                        size: [h, w],
                        padding: 2,
                        fill: 0.0,
                    },
                ),
                Step::new(
                    0.5,
                    Transform::Rotation {
                        degrees: 10.0,
                        fill: 0.0,
                    },
                ),
                Step::new(0.5, jitter(0.2, 0.0, 0.0)),
            ]
        } else if h <= 64 {
            vec![
                Step::new(0.5, Transform::HorizontalFlip),
                Step::new(
                    1.0,
                    Transform::RandomCrop {
                        size: [h, w],
                        padding: h / 8,
                        fill: 0.0,
                    },
                ),
                Step::new(0.5, jitter(0.2, 0.2, 0.05)),
            ]
        } else {
            vec![
                Step::new(
                    1.0,
                    Transform::RandomResizedCrop {
                        size: [h, w],
                        scale: [0.08, 1.0],
                        ratio: [0.75, 4.0 / 3.0],
                    },
                ),
                Step::new(0.5, Transform::HorizontalFlip),
                Step::new(0.8, jitter(0.4, 0.4, 0.1)),
            ]
        };
        Self { steps }
    }

    /// Applies the pipeline to an image and optionally its mask, drawing from `rng`.
    pub fn apply(
        &self,
        mut img: Image,
        mut mask: Option<Mask>,
        rng: &mut Rng,
    ) -> (Image, Option<Mask>) {
        for step in &self.steps {
            if !rng.chance(step.p) {
                continue;
            }
            let [_, h, w] = img.shape;
            match &step.transform {
                Transform::HorizontalFlip => {
                    flip_horizontal(&mut img);
                    if let Some(m) = mask.as_mut() {
                        flip_mask_horizontal(m);
                    }
                }
                Transform::VerticalFlip => {
                    flip_vertical(&mut img);
                    if let Some(m) = mask.as_mut() {
                        flip_mask_vertical(m);
                    }
                }
                Transform::RandomCrop {
                    size,
                    padding,
                    fill,
                } => {
                    let win = random_crop_window(h, w, *size, *padding, rng);
                    img = crop_resize_image(&img, win, None, *fill);
                    mask = mask.map(|m| crop_resize_mask(&m, win, None));
                }
                Transform::RandomResizedCrop { size, scale, ratio } => {
                    let win = random_resized_window(h, w, *scale, *ratio, rng);
                    img = crop_resize_image(&img, win, Some(*size), 0.0);
                    mask = mask.map(|m| crop_resize_mask(&m, win, Some(*size)));
                }
                Transform::Rotation { degrees, fill } => {
                    let angle = rng.uniform(-degrees.abs(), degrees.abs());
                    img = rotate_image(&img, angle, *fill);
                    mask = mask.map(|m| rotate_mask(&m, angle));
                }
                Transform::ColorJitter {
                    brightness,
                    contrast,
                    saturation,
                    hue,
                } => {
                    let d = JitterDraw::draw(*brightness, *contrast, *saturation, *hue, rng);
                    apply_jitter(&mut img, &d);
                }
            }
        }
        (img, mask)
    }

    /// Reads a JSON pipeline.
    pub fn from_json(text: &str) -> crate::error::Result<Self> {
        serde_json::from_str(text)
            .map_err(|e| crate::error::DataError::Config(format!("augmentation config: {e}")))
    }
}
