//! The shape of one 2-D convolution, and the `im2col` / `col2im` rearrangements that turn it into
//! matrix products (Chellapilla, Puri & Simard, *High performance convolutional neural networks for
//! document processing*, 2006; the layout Caffe popularised).
//!
//! A convolution maps an input of `c_in × h × w` per sample to `c_out × oh × ow` with a weight of
//! `c_out × (c_in / groups) × kh × kw`. For one sample and one group, the *columns* matrix has one
//! row per (input channel, kernel row, kernel column) and one column per output position, so that
//! the output is `W_g · cols` — one GEMM. A transposed convolution is the adjoint of such a
//! convolution and uses the same geometry with the roles of input and output exchanged.

use super::KernelError;

/// The geometry of a 2-D convolution: sizes, stride, padding (top, left), dilation and groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvGeometry {
    /// Samples in the batch.
    pub batch: usize,
    /// Input channels.
    pub c_in: usize,
    /// Input height.
    pub h: usize,
    /// Input width.
    pub w: usize,
    /// Output channels.
    pub c_out: usize,
    /// Kernel height.
    pub kh: usize,
    /// Kernel width.
    pub kw: usize,
    /// Output height.
    pub oh: usize,
    /// Output width.
    pub ow: usize,
    /// Stride (rows, columns).
    pub stride: [usize; 2],
    /// Zero padding before the first row and the first column.
    pub pad: [usize; 2],
    /// Dilation (rows, columns).
    pub dilation: [usize; 2],
    /// Channel groups.
    pub groups: usize,
}

/// Output size of a convolution along one axis, or `None` when the kernel does not fit.
pub fn conv_out_len(
    len: usize,
    kernel: usize,
    stride: usize,
    pad_begin: usize,
    pad_end: usize,
    dilation: usize,
) -> Option<usize> {
    let span = dilation
        .checked_mul(kernel.checked_sub(1)?)?
        .checked_add(1)?;
    let padded = len.checked_add(pad_begin)?.checked_add(pad_end)?;
    if stride == 0 || padded < span {
        return None;
    }
    Some((padded - span) / stride + 1)
}

impl ConvGeometry {
    /// Check that the geometry describes a real convolution (no zero sizes, channels divisible by
    /// the groups, the output size consistent with the input, kernel, stride and padding).
    pub fn validate(&self) -> Result<(), KernelError> {
        let sizes = [
            self.batch,
            self.c_in,
            self.h,
            self.w,
            self.c_out,
            self.kh,
            self.kw,
            self.oh,
            self.ow,
            self.stride[0],
            self.stride[1],
            self.dilation[0],
            self.dilation[1],
            self.groups,
        ];
        if sizes.contains(&0) {
            return Err(KernelError::Geometry(format!(
                "a size, stride, dilation or group count is zero: {self:?}"
            )));
        }
        if !self.c_in.is_multiple_of(self.groups) || !self.c_out.is_multiple_of(self.groups) {
            return Err(KernelError::Geometry(format!(
                "{} input and {} output channels do not divide into {} groups",
                self.c_in, self.c_out, self.groups
            )));
        }
        Ok(())
    }

    /// Input channels per group.
    pub fn cg_in(&self) -> usize {
        self.c_in / self.groups
    }

    /// Output channels per group.
    pub fn cg_out(&self) -> usize {
        self.c_out / self.groups
    }

    /// Rows of one group's columns matrix: `c_in / groups · kh · kw`.
    pub fn col_rows(&self) -> usize {
        self.cg_in() * self.kh * self.kw
    }

    /// Output positions per sample: `oh · ow`.
    pub fn out_plane(&self) -> usize {
        self.oh * self.ow
    }

    /// Input positions per sample: `h · w`.
    pub fn in_plane(&self) -> usize {
        self.h * self.w
    }

    /// Group `gi`'s channels (`cg_in × h × w`) of the sample that `xs` starts with.
    pub fn group_input<'a>(&self, xs: &'a [f32], gi: usize) -> &'a [f32] {
        let len = self.cg_in() * self.in_plane();
        &xs[gi * len..][..len]
    }

    /// Group `gi`'s filters (`cg_out × col_rows`, row-major) of a `c_out × c_in/groups × kh × kw`
    /// weight.
    pub fn group_weight<'a>(&self, w: &'a [f32], gi: usize) -> &'a [f32] {
        let len = self.cg_out() * self.col_rows();
        &w[gi * len..][..len]
    }

    /// Every row of one group's columns matrix, in order: input channel `c`, kernel row `i`, and
    /// the output columns that kernel column reads inside the image (see `valid_cols`).
    #[inline(always)]
    fn taps(&self) -> impl Iterator<Item = Tap> + '_ {
        (0..self.cg_in()).flat_map(move |c| {
            (0..self.kh).flat_map(move |i| {
                (0..self.kw).map(move |j| Tap {
                    c,
                    i,
                    row: (c * self.kh + i) * self.kw + j,
                    span: self.valid_cols(j),
                })
            })
        })
    }

    /// A pointwise convolution whose columns matrix is the input itself.
    pub fn is_pointwise(&self) -> bool {
        self.kh == 1
            && self.kw == 1
            && self.stride == [1, 1]
            && self.pad == [0, 0]
            && self.oh == self.h
            && self.ow == self.w
    }

    /// The input row read by output row `oy` at kernel row `i`, if it is inside the image.
    #[inline(always)]
    fn in_row(&self, oy: usize, i: usize) -> Option<usize> {
        (oy * self.stride[0] + i * self.dilation[0])
            .checked_sub(self.pad[0])
            .filter(|&y| y < self.h)
    }

    /// The range of output columns whose input column (at kernel column `j`) lies inside the
    /// image, and the input column of the first of them.
    #[inline(always)]
    fn valid_cols(&self, j: usize) -> (usize, usize, usize) {
        let s = self.stride[1];
        let offset = j * self.dilation[1];
        // First ox with ox·s + offset ≥ pad.
        let first = if offset >= self.pad[1] {
            0
        } else {
            (self.pad[1] - offset).div_ceil(s)
        };
        // Last ox with ox·s + offset − pad < w.
        let end = if self.w + self.pad[1] <= offset {
            0
        } else {
            ((self.w + self.pad[1] - offset - 1) / s + 1).min(self.ow)
        };
        let first = first.min(end);
        let first_in = (first * s + offset).saturating_sub(self.pad[1]);
        (first, end, first_in)
    }

    /// Fill `cols` (`col_rows` rows of `out_plane` values, `row_stride` apart: `out_plane` for one
    /// sample, more for several samples' columns side by side) from one group of one sample's
    /// input (`cg_in × h × w`, row-major).
    #[inline(always)]
    pub fn im2col(&self, x: &[f32], cols: &mut [f32], row_stride: usize) {
        let (p, ow) = (self.out_plane(), self.ow);
        for Tap { c, i, row, span } in self.taps() {
            let plane = &x[c * self.in_plane()..][..self.in_plane()];
            let row = &mut cols[row * row_stride..][..p];
            let (first, end, first_in) = span;
            for oy in 0..self.oh {
                let out = &mut row[oy * ow..(oy + 1) * ow];
                let Some(y) = self.in_row(oy, i) else {
                    out.fill(0.0);
                    continue;
                };
                let src = &plane[y * self.w..(y + 1) * self.w];
                // Rows are short (a feature map's width): library calls for a few elements
                // would cost more than the copy itself.
                zero(&mut out[..first]);
                zero(&mut out[end..]);
                if first == end {
                    continue;
                }
                if self.stride[1] == 1 {
                    copy(&mut out[first..end], &src[first_in..first_in + end - first]);
                } else {
                    let s = self.stride[1];
                    for (k, o) in out[first..end].iter_mut().enumerate() {
                        *o = src[first_in + k * s];
                    }
                }
            }
        }
    }

    /// Add `cols` (rows `row_stride` apart) back into one group of one sample's input gradient
    /// (the adjoint of [`im2col`](Self::im2col)); `dx` must start zeroed or hold what is to be
    /// added to.
    #[inline(always)]
    pub fn col2im(&self, cols: &[f32], dx: &mut [f32], row_stride: usize) {
        let (p, ow) = (self.out_plane(), self.ow);
        for Tap { c, i, row, span } in self.taps() {
            let (first, end, first_in) = span;
            if first == end {
                continue;
            }
            let plane = &mut dx[c * self.in_plane()..][..self.in_plane()];
            let row = &cols[row * row_stride..][..p];
            for oy in 0..self.oh {
                let Some(y) = self.in_row(oy, i) else {
                    continue;
                };
                let src = &row[oy * ow + first..oy * ow + end];
                let dst = &mut plane[y * self.w..(y + 1) * self.w];
                if self.stride[1] == 1 {
                    for (d, s) in dst[first_in..first_in + src.len()].iter_mut().zip(src) {
                        *d += s;
                    }
                } else {
                    let s = self.stride[1];
                    for (k, v) in src.iter().enumerate() {
                        dst[first_in + k * s] += v;
                    }
                }
            }
        }
    }
}

/// One row of a columns matrix: input channel `c`, kernel row `i`, the row's index, and the
/// output columns `(first, end)` that read inside the image, starting at input column `first_in`.
struct Tap {
    c: usize,
    i: usize,
    row: usize,
    span: (usize, usize, usize),
}

/// `dst.fill(0.0)` for short rows: inline vector stores, no call.
#[inline(always)]
fn zero(dst: &mut [f32]) {
    let (chunks, rest) = dst.as_chunks_mut::<8>();
    for c in chunks {
        *c = [0.0; 8];
    }
    for v in rest {
        *v = 0.0;
    }
}

/// `dst.copy_from_slice(src)` for short rows: inline vector moves, no call.
#[inline(always)]
fn copy(dst: &mut [f32], src: &[f32]) {
    let (dc, dr) = dst.as_chunks_mut::<8>();
    let (sc, sr) = src.as_chunks::<8>();
    for (d, s) in dc.iter_mut().zip(sc) {
        *d = *s;
    }
    for (d, s) in dr.iter_mut().zip(sr) {
        *d = *s;
    }
}
