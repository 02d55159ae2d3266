//! Resampling and cropping of CHW `f32` images and row-major `u8` masks: the pixel-level operations
//! shared by input conversion and augmentation.
//!
//! Images are sampled bilinearly with pixel centres at half-integers (the convention of most libraries'
//! "align corners = false"); masks are sampled with the nearest neighbour, so class ids are never mixed.
//! Out-of-image samples take a fill value (an image fill, or [`crate::item::IGNORE_ID`] for masks).

/// A CHW image with values on the 0–1 scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// `[channels, height, width]`.
    pub shape: [usize; 3],
    /// CHW values.
    pub data: Vec<f32>,
}

/// A row-major mask of class ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mask {
    /// Height.
    pub h: usize,
    /// Width.
    pub w: usize,
    /// `h · w` class ids.
    pub data: Vec<u8>,
}

impl Image {
    /// An image of `shape` filled with `value`.
    pub fn filled(shape: [usize; 3], value: f32) -> Self {
        Self {
            shape,
            data: vec![value; shape.iter().product()],
        }
    }

    /// The value at channel `c`, row `y`, column `x` (0 outside the buffer).
    #[inline]
    pub fn at(&self, c: usize, y: usize, x: usize) -> f32 {
        let [_, h, w] = self.shape;
        self.data.get((c * h + y) * w + x).copied().unwrap_or(0.0)
    }

    /// Bilinear sample of channel `c` at continuous coordinates (pixel centres at integers), `fill`
    /// weighted in for the part of the 2×2 neighbourhood outside the image.
    #[inline]
    pub fn sample(&self, c: usize, y: f32, x: f32, fill: f32) -> f32 {
        let [_, h, w] = self.shape;
        let (y0, x0) = (y.floor(), x.floor());
        let (fy, fx) = (y - y0, x - x0);
        let (y0, x0) = (y0 as i64, x0 as i64);
        let get = |yy: i64, xx: i64| -> f32 {
            if yy < 0 || xx < 0 || yy >= h as i64 || xx >= w as i64 {
                fill
            } else {
                self.at(c, yy as usize, xx as usize)
            }
        };
        let top = get(y0, x0) * (1.0 - fx) + get(y0, x0 + 1) * fx;
        let bottom = get(y0 + 1, x0) * (1.0 - fx) + get(y0 + 1, x0 + 1) * fx;
        top * (1.0 - fy) + bottom * fy
    }
}

impl Mask {
    /// The id at row `y`, column `x`.
    #[inline]
    pub fn at(&self, y: usize, x: usize) -> u8 {
        self.data
            .get(y * self.w + x)
            .copied()
            .unwrap_or(crate::item::IGNORE_ID)
    }

    /// Nearest-neighbour sample at continuous coordinates (pixel centres at integers), `fill` outside.
    #[inline]
    pub fn sample(&self, y: f32, x: f32, fill: u8) -> u8 {
        let (yy, xx) = (y.round(), x.round());
        if yy < 0.0 || xx < 0.0 || yy >= self.h as f32 || xx >= self.w as f32 {
            fill
        } else {
            self.at(yy as usize, xx as usize)
        }
    }
}

/// Source index pairs and weights of a bilinear resize along one axis (half-pixel centres, edges
/// extended).
fn axis_weights(len: usize, out: usize) -> Vec<(usize, usize, f32)> {
    let scale = len as f32 / out.max(1) as f32;
    let max = len.saturating_sub(1);
    (0..out)
        .map(|i| {
            let src = ((i as f32 + 0.5) * scale - 0.5).clamp(0.0, max as f32);
            let i0 = (src.floor() as usize).min(max);
            let i1 = (i0 + 1).min(max);
            (i0, i1, src - i0 as f32)
        })
        .collect()
}

/// Resizes `img` to `out_h × out_w` bilinearly (edge values are extended, not filled).
pub fn resize_bilinear(img: &Image, out_h: usize, out_w: usize) -> Image {
    let [c, h, w] = img.shape;
    if (h, w) == (out_h, out_w) {
        return img.clone();
    }
    let mut out = Image::filled([c, out_h, out_w], 0.0);
    if h == 0 || w == 0 || img.data.len() < c * h * w {
        return out;
    }
    let ys = axis_weights(h, out_h);
    let xs = axis_weights(w, out_w);
    for ch in 0..c {
        let plane = &img.data[ch * h * w..(ch + 1) * h * w];
        let dst = &mut out.data[ch * out_h * out_w..(ch + 1) * out_h * out_w];
        for (row, &(y0, y1, fy)) in dst.chunks_exact_mut(out_w.max(1)).zip(&ys) {
            let (r0, r1) = (&plane[y0 * w..(y0 + 1) * w], &plane[y1 * w..(y1 + 1) * w]);
            for (o, &(x0, x1, fx)) in row.iter_mut().zip(&xs) {
                let top = r0[x0] + (r0[x1] - r0[x0]) * fx;
                let bottom = r1[x0] + (r1[x1] - r1[x0]) * fx;
                *o = top + (bottom - top) * fy;
            }
        }
    }
    out
}

/// Resizes `mask` to `out_h × out_w` with the nearest neighbour.
pub fn resize_nearest(mask: &Mask, out_h: usize, out_w: usize) -> Mask {
    if (mask.h, mask.w) == (out_h, out_w) {
        return mask.clone();
    }
    let mut data = Vec::with_capacity(out_h * out_w);
    for y in 0..out_h {
        let sy = ((y * mask.h) / out_h.max(1)).min(mask.h.saturating_sub(1));
        for x in 0..out_w {
            let sx = ((x * mask.w) / out_w.max(1)).min(mask.w.saturating_sub(1));
            data.push(mask.at(sy, sx));
        }
    }
    Mask {
        h: out_h,
        w: out_w,
        data,
    }
}

/// The `out_h × out_w` window of `img` whose top-left corner is at (`top`, `left`) (which may be
/// negative or reach past the edges: those pixels take `fill`).
pub fn crop_image(
    img: &Image,
    top: i64,
    left: i64,
    out_h: usize,
    out_w: usize,
    fill: f32,
) -> Image {
    let [c, h, w] = img.shape;
    let mut out = Image::filled([c, out_h, out_w], fill);
    if img.data.len() < c * h * w {
        return out;
    }
    // The columns of the window that fall inside the image.
    let x_from = left.clamp(0, w as i64);
    let x_to = (left + out_w as i64).clamp(0, w as i64);
    if x_to <= x_from {
        return out;
    }
    let (sx0, sx1) = (x_from as usize, x_to as usize);
    let dx0 = (x_from - left) as usize;
    for ch in 0..c {
        for y in 0..out_h {
            let sy = top + y as i64;
            if sy < 0 || sy >= h as i64 {
                continue;
            }
            let src = (ch * h + sy as usize) * w;
            let dst = (ch * out_h + y) * out_w + dx0;
            out.data[dst..dst + (sx1 - sx0)].copy_from_slice(&img.data[src + sx0..src + sx1]);
        }
    }
    out
}

/// The mask counterpart of [`crop_image`].
pub fn crop_mask(mask: &Mask, top: i64, left: i64, out_h: usize, out_w: usize, fill: u8) -> Mask {
    let mut data = vec![fill; out_h * out_w];
    for y in 0..out_h {
        let sy = top + y as i64;
        if sy < 0 || sy >= mask.h as i64 {
            continue;
        }
        for x in 0..out_w {
            let sx = left + x as i64;
            if sx >= 0 && sx < mask.w as i64 {
                data[y * out_w + x] = mask.at(sy as usize, sx as usize);
            }
        }
    }
    Mask {
        h: out_h,
        w: out_w,
        data,
    }
}

/// The offsets that centre an `out`-long window on an `len`-long axis (negative = padding).
pub fn centre_offset(len: usize, out: usize) -> i64 {
    (len as i64 - out as i64).div_euclid(2)
}
