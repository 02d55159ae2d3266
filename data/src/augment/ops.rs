//! The geometric operations of data augmentation (Krizhevsky, Sutskever and Hinton, "ImageNet
//! Classification with Deep Convolutional Neural Networks", NIPS 2012: random crops and horizontal
//! reflections; Szegedy et al., "Going Deeper with Convolutions", CVPR 2015: random-size, random-aspect
//! crops), each applied to an image and, with the same parameters, to its mask.

use crate::geometry::{Image, Mask, crop_image, crop_mask, resize_bilinear, resize_nearest};
use crate::item::IGNORE_ID;
use crate::rng::Rng;

/// Mirrors left–right.
pub fn flip_horizontal(img: &mut Image) {
    let [_, _, w] = img.shape;
    for row in img.data.chunks_exact_mut(w.max(1)) {
        row.reverse();
    }
}

/// Mirrors a mask left–right.
pub fn flip_mask_horizontal(mask: &mut Mask) {
    for row in mask.data.chunks_exact_mut(mask.w.max(1)) {
        row.reverse();
    }
}

/// Mirrors top–bottom.
pub fn flip_vertical(img: &mut Image) {
    let [_, h, w] = img.shape;
    for plane in img.data.chunks_exact_mut((h * w).max(1)) {
        for y in 0..h / 2 {
            let (top, bottom) = plane.split_at_mut((h - 1 - y) * w);
            top[y * w..(y + 1) * w].swap_with_slice(&mut bottom[..w]);
        }
    }
}

/// Mirrors a mask top–bottom.
pub fn flip_mask_vertical(mask: &mut Mask) {
    let (h, w) = (mask.h, mask.w);
    for y in 0..h / 2 {
        let (top, bottom) = mask.data.split_at_mut((h - 1 - y) * w);
        top[y * w..(y + 1) * w].swap_with_slice(&mut bottom[..w]);
    }
}

/// Where a crop window lies: top, left, height, width (top/left may be negative = padding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Top row.
    pub top: i64,
    /// Left column.
    pub left: i64,
    /// Height.
    pub h: usize,
    /// Width.
    pub w: usize,
}

/// A `size` window at a uniformly random place in the image padded by `padding` on every side.
pub fn random_crop_window(
    h: usize,
    w: usize,
    size: [usize; 2],
    padding: usize,
    rng: &mut Rng,
) -> Window {
    let p = padding as i64;
    let span_y = (h + 2 * padding).saturating_sub(size[0]);
    let span_x = (w + 2 * padding).saturating_sub(size[1]);
    Window {
        top: rng.below(span_y + 1) as i64 - p,
        left: rng.below(span_x + 1) as i64 - p,
        h: size[0],
        w: size[1],
    }
}

/// A window covering a random fraction of the area in `scale` with a random aspect ratio (width/height)
/// in `ratio` (log-uniform); ten tries, then the largest centred window with a ratio in range.
pub fn random_resized_window(
    h: usize,
    w: usize,
    scale: [f32; 2],
    ratio: [f32; 2],
    rng: &mut Rng,
) -> Window {
    let area = (h * w) as f32;
    let (lr0, lr1) = (ratio[0].max(1e-3).ln(), ratio[1].max(1e-3).ln());
    for _ in 0..10 {
        let target = area * rng.uniform(scale[0], scale[1]);
        let aspect = rng.uniform(lr0.min(lr1), lr0.max(lr1)).exp();
        let cw = (target * aspect).sqrt().round() as usize;
        let ch = (target / aspect).sqrt().round() as usize;
        if cw > 0 && ch > 0 && cw <= w && ch <= h {
            return Window {
                top: rng.below(h - ch + 1) as i64,
                left: rng.below(w - cw + 1) as i64,
                h: ch,
                w: cw,
            };
        }
    }
    let in_ratio = w as f32 / h.max(1) as f32;
    let (ch, cw) = if in_ratio < ratio[0].min(ratio[1]) {
        (((w as f32) / ratio[0].min(ratio[1])).round() as usize, w)
    } else if in_ratio > ratio[0].max(ratio[1]) {
        (h, ((h as f32) * ratio[0].max(ratio[1])).round() as usize)
    } else {
        (h, w)
    };
    let (ch, cw) = (ch.clamp(1, h.max(1)), cw.clamp(1, w.max(1)));
    Window {
        top: ((h - ch) / 2) as i64,
        left: ((w - cw) / 2) as i64,
        h: ch,
        w: cw,
    }
}

/// Crops `win` out of `img` (padding with `fill`) and resizes it to `out` (bilinear) when given.
pub fn crop_resize_image(img: &Image, win: Window, out: Option<[usize; 2]>, fill: f32) -> Image {
    let c = crop_image(img, win.top, win.left, win.h, win.w, fill);
    match out {
        Some([oh, ow]) => resize_bilinear(&c, oh, ow),
        None => c,
    }
}

/// The mask counterpart of [`crop_resize_image`]: nearest neighbour, [`IGNORE_ID`] padding.
pub fn crop_resize_mask(mask: &Mask, win: Window, out: Option<[usize; 2]>) -> Mask {
    let c = crop_mask(mask, win.top, win.left, win.h, win.w, IGNORE_ID);
    match out {
        Some([oh, ow]) => resize_nearest(&c, oh, ow),
        None => c,
    }
}

/// Rotates `img` counter-clockwise by `degrees` about its centre, sampling bilinearly; areas from
/// outside the image take `fill`. Rotation by 0 is the identity; by 90° it is a transpose followed by a
/// vertical flip (for square images).
pub fn rotate_image(img: &Image, degrees: f32, fill: f32) -> Image {
    let [c, h, w] = img.shape;
    let (s, co) = degrees.to_radians().sin_cos();
    let (cy, cx) = ((h as f32 - 1.0) / 2.0, (w as f32 - 1.0) / 2.0);
    let mut out = Image::filled(img.shape, fill);
    for y in 0..h {
        let dy = y as f32 - cy;
        for x in 0..w {
            let dx = x as f32 - cx;
            let sx = co * dx - s * dy + cx;
            let sy = s * dx + co * dy + cy;
            if sx <= -1.0 || sy <= -1.0 || sx >= w as f32 || sy >= h as f32 {
                continue;
            }
            for ch in 0..c {
                out.data[(ch * h + y) * w + x] = img.sample(ch, sy, sx, fill);
            }
        }
    }
    out
}

/// Rotates a mask like [`rotate_image`], nearest neighbour, [`IGNORE_ID`] outside.
pub fn rotate_mask(mask: &Mask, degrees: f32) -> Mask {
    let (h, w) = (mask.h, mask.w);
    let (s, co) = degrees.to_radians().sin_cos();
    let (cy, cx) = ((h as f32 - 1.0) / 2.0, (w as f32 - 1.0) / 2.0);
    let mut data = Vec::with_capacity(h * w);
    for y in 0..h {
        let dy = y as f32 - cy;
        for x in 0..w {
            let dx = x as f32 - cx;
            data.push(mask.sample(s * dx + co * dy + cy, co * dx - s * dy + cx, IGNORE_ID));
        }
    }
    Mask { h, w, data }
}
