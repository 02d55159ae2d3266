//! Convolutions of small feature maps (a few hundred output positions or fewer: the deep stages of
//! ResNet and VGG at 32 px, ResNet-20's last stage), several samples per matrix product.
//!
//! One sample's product `W · cols` is then only `oh · ow` columns wide — too narrow for the GEMM
//! kernels to reach their speed (96 GFLOP/s against 260 for wide ones, measured at 512 channels on
//! 4×4 maps). Here `nb` samples' columns sit side by side (`≥ 256` columns), the product runs once,
//! and its `c_out × nb × (oh·ow)` result is copied into the samples' NCHW places; the input
//! gradient gathers the output gradients the same way.

use rayon::prelude::*;

use super::conv::{Split, View, matmul};
use super::geometry::ConvGeometry;
use super::vectorized;

/// Columns a product should have at least.
const MIN_WIDTH: usize = 256;

/// Planes below this many positions are computed several samples at a time (measured: a clear
/// gain at 2×2 and 4×4, none at 8×8 and above).
const SMALL_PLANE: usize = 64;

/// Whether `g` is better computed several samples at a time.
pub(super) fn applies(g: &ConvGeometry) -> bool {
    g.out_plane() < SMALL_PLANE && g.batch > 1
}

/// Samples per product.
fn samples_per_product(g: &ConvGeometry) -> usize {
    MIN_WIDTH.div_ceil(g.out_plane().max(1)).max(1)
}

/// One product's worth of samples in a thread's chunk: the first sample, how many, their
/// columns side by side (`count · oh · ow`), the group, and the scratch matrices.
struct Block<'a> {
    start: usize,
    count: usize,
    width: usize,
    gi: usize,
    /// `col_rows × width`.
    cols: &'a mut [f32],
    /// `cg_out × width`.
    wide: &'a mut [f32],
}

/// Runs `step` over every block of samples and every group: `dst` holds `dst_sample` values per
/// sample and `src` `src_sample`, both cut into the same per-thread chunks of samples.
fn in_blocks<F>(
    g: &ConvGeometry,
    dst: &mut [f32],
    dst_sample: usize,
    src: &[f32],
    src_sample: usize,
    step: F,
) where
    F: Fn(&mut [f32], &[f32], Block<'_>) + Sync,
{
    let p = g.out_plane();
    let split = Split::of(g);
    dst.par_chunks_mut(split.per * dst_sample)
        .zip(src.par_chunks(split.per * src_sample))
        .for_each(|(dst, src)| {
            let here = dst.len() / dst_sample;
            let nb = samples_per_product(g).min(here);
            let mut cols = vec![0.0f32; g.col_rows() * nb * p];
            let mut wide = vec![0.0f32; g.cg_out() * nb * p];
            for start in (0..here).step_by(nb) {
                let count = nb.min(here - start);
                for gi in 0..g.groups {
                    let block = Block {
                        start,
                        count,
                        width: count * p,
                        gi,
                        cols: &mut cols,
                        wide: &mut wide,
                    };
                    step(dst, src, block);
                }
            }
        });
}

/// [`super::conv::forward`] for small planes.
pub(super) fn forward(g: &ConvGeometry, x: &[f32], w: &[f32], bias: Option<&[f32]>) -> Vec<f32> {
    let (p, kg, cgo) = (g.out_plane(), g.col_rows(), g.cg_out());
    let split = Split::of(g);
    let (par, sample_in, sample_out) = (split.par, split.sample_in, split.sample_out);
    let mut out = vec![0.0f32; g.batch * sample_out];
    in_blocks(g, &mut out, sample_out, x, sample_in, |out, x, b| {
        let (start, count, width, gi) = (b.start, b.count, b.width, b.gi);
        let (cols, prod) = (b.cols, b.wide);
        for k in 0..count {
            let xs = g.group_input(&x[(start + k) * sample_in..], gi);
            vectorized(|| g.im2col(xs, &mut cols[k * p..], width));
        }
        let lhs = View::rows(g.group_weight(w, gi), kg);
        let rhs = View::rows(cols, width);
        matmul(cgo, width, kg, prod, (width, 1), false, lhs, rhs, par);
        for o in 0..cgo {
            let shift = bias.map_or(0.0, |b| b[gi * cgo + o]);
            for k in 0..count {
                let dst = &mut out[(start + k) * sample_out + (gi * cgo + o) * p..][..p];
                let src = &prod[o * width + k * p..][..p];
                for (d, &s) in dst.iter_mut().zip(src) {
                    *d = s + shift;
                }
            }
        }
    });
    out
}

/// [`super::conv::backward_data`] for small planes.
pub(super) fn backward_data(g: &ConvGeometry, dy: &[f32], w: &[f32]) -> Vec<f32> {
    let (p, kg, cgo) = (g.out_plane(), g.col_rows(), g.cg_out());
    let split = Split::of(g);
    let (par, sample_in, sample_out) = (split.par, split.sample_in, split.sample_out);
    let mut dx = vec![0.0f32; g.batch * sample_in];
    let group_len = g.cg_in() * g.in_plane();
    in_blocks(g, &mut dx, sample_in, dy, sample_out, |dx, dy, b| {
        let (start, count, width, gi) = (b.start, b.count, b.width, b.gi);
        let (cols, gathered) = (b.cols, b.wide);
        for o in 0..cgo {
            for k in 0..count {
                let src = &dy[(start + k) * sample_out + (gi * cgo + o) * p..][..p];
                gathered[o * width + k * p..][..p].copy_from_slice(src);
            }
        }
        let lhs = View::transposed(g.group_weight(w, gi), kg);
        let rhs = View::rows(gathered, width);
        matmul(kg, width, cgo, cols, (width, 1), false, lhs, rhs, par);
        for k in 0..count {
            let dxg = &mut dx[(start + k) * sample_in + gi * group_len..][..group_len];
            vectorized(|| g.col2im(&cols[k * p..], dxg, width));
        }
    });
    dx
}
