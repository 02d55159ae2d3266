//! Colour jitter (Krizhevsky et al. 2012 perturbed colours along principal components; the common
//! brightness/contrast/saturation/hue form is Howard, "Some Improvements on Deep Convolutional Neural
//! Network Based Image Classification", 2013). Factors are drawn uniformly from `[max(0, 1 − a), 1 + a]`,
//! the hue shift from `[−h, h]` turns; every result is clamped to the 0–1 range. Grey images get
//! brightness and contrast only.

use crate::geometry::Image;
use crate::rng::Rng;

/// Drawn jitter parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JitterDraw {
    /// Brightness factor.
    pub brightness: f32,
    /// Contrast factor.
    pub contrast: f32,
    /// Saturation factor.
    pub saturation: f32,
    /// Hue shift in turns.
    pub hue: f32,
}

impl JitterDraw {
    /// Draws factors for strengths `b, c, s, h`.
    pub fn draw(b: f32, c: f32, s: f32, h: f32, rng: &mut Rng) -> Self {
        let factor = |a: f32, rng: &mut Rng| {
            if a > 0.0 {
                rng.uniform((1.0 - a).max(0.0), 1.0 + a)
            } else {
                1.0
            }
        };
        Self {
            brightness: factor(b, rng),
            contrast: factor(c, rng),
            saturation: factor(s, rng),
            hue: if h > 0.0 {
                rng.uniform(-h.min(0.5), h.min(0.5))
            } else {
                0.0
            },
        }
    }
}

fn luma(r: f32, g: f32, b: f32) -> f32 {
    0.299 * r + 0.587 * g + 0.114 * b
}

/// Applies `d` to `img` (1 or 3 channels; other counts get brightness and contrast only).
pub fn apply_jitter(img: &mut Image, d: &JitterDraw) {
    let [c, h, w] = img.shape;
    let plane = h * w;
    if plane == 0 {
        return;
    }
    if d.brightness != 1.0 {
        for v in img.data.iter_mut() {
            *v = (*v * d.brightness).clamp(0.0, 1.0);
        }
    }
    if d.contrast != 1.0 {
        let mean = if c == 3 {
            (0..plane)
                .map(|i| luma(img.data[i], img.data[plane + i], img.data[2 * plane + i]))
                .sum::<f32>()
                / plane as f32
        } else {
            img.data.iter().sum::<f32>() / img.data.len() as f32
        };
        for v in img.data.iter_mut() {
            *v = ((*v - mean) * d.contrast + mean).clamp(0.0, 1.0);
        }
    }
    if c != 3 {
        return;
    }
    if d.saturation != 1.0 {
        for i in 0..plane {
            let g = luma(img.data[i], img.data[plane + i], img.data[2 * plane + i]);
            for ch in 0..3 {
                let v = &mut img.data[ch * plane + i];
                *v = ((*v - g) * d.saturation + g).clamp(0.0, 1.0);
            }
        }
    }
    if d.hue != 0.0 {
        for i in 0..plane {
            let (hh, s, v) = rgb_to_hsv(img.data[i], img.data[plane + i], img.data[2 * plane + i]);
            let (r, g, b) = hsv_to_rgb((hh + d.hue).rem_euclid(1.0), s, v);
            img.data[i] = r;
            img.data[plane + i] = g;
            img.data[2 * plane + i] = b;
        }
    }
}

/// RGB (0–1) → (hue in turns, saturation, value).
pub fn rgb_to_hsv(r: f32, g: f32, b: f32) -> (f32, f32, f32) {
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let delta = max - min;
    let s = if max > 0.0 { delta / max } else { 0.0 };
    if delta <= 0.0 {
        return (0.0, s, max);
    }
    let h = if max == r {
        ((g - b) / delta).rem_euclid(6.0)
    } else if max == g {
        (b - r) / delta + 2.0
    } else {
        (r - g) / delta + 4.0
    };
    (h / 6.0, s, max)
}

/// (hue in turns, saturation, value) → RGB (0–1).
pub fn hsv_to_rgb(h: f32, s: f32, v: f32) -> (f32, f32, f32) {
    let h6 = h.rem_euclid(1.0) * 6.0;
    let c = v * s;
    let x = c * (1.0 - ((h6 % 2.0) - 1.0).abs());
    let (r, g, b) = match h6 as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    (
        (r + m).clamp(0.0, 1.0),
        (g + m).clamp(0.0, 1.0),
        (b + m).clamp(0.0, 1.0),
    )
}
