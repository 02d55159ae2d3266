//! Convolutions of small feature maps (a few hundred output positions or fewer: the deep stages of
//! ResNet and VGG at 32 px, ResNet-20's last stage), several samples per matrix product.
//!
//! One sample's product `W · cols` is then only `oh · ow` columns wide — too narrow for the GEMM
//! kernels to reach their speed (96 GFLOP/s against 260 for wide ones, measured at 512 channels on
//! 4×4 maps). Here `nb` samples' columns sit side by side (`≥ 256` columns), the product runs once,
//! and its `c_out × nb × (oh·ow)` result is copied into the samples' NCHW places; the input
//! gradient gathers the output gradients the same way.

use rayon::prelude::*;

use super::conv::{View, chunk_len, matmul, plan};
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

/// [`super::conv::forward`] for small planes.
pub(super) fn forward(g: &ConvGeometry, x: &[f32], w: &[f32], bias: Option<&[f32]>) -> Vec<f32> {
    let p = g.out_plane();
    let (kg, cgi, cgo) = (g.col_rows(), g.cg_in(), g.cg_out());
    let (sample_in, sample_out) = (g.c_in * g.in_plane(), g.c_out * p);
    let mut out = vec![0.0f32; g.batch * sample_out];
    let (chunks, par) = plan(g.batch);
    let per = chunk_len(g.batch, chunks);
    out.par_chunks_mut(per * sample_out)
        .zip(x.par_chunks(per * sample_in))
        .for_each(|(out, x)| {
            let here = out.len() / sample_out;
            let nb = samples_per_product(g).min(here);
            let mut cols = vec![0.0f32; kg * nb * p];
            let mut prod = vec![0.0f32; cgo * nb * p];
            for start in (0..here).step_by(nb) {
                let count = nb.min(here - start);
                let width = count * p;
                for gi in 0..g.groups {
                    for b in 0..count {
                        let xs = &x[(start + b) * sample_in + gi * cgi * g.in_plane()..]
                            [..cgi * g.in_plane()];
                        vectorized(|| g.im2col_strided(xs, &mut cols[b * p..], width));
                    }
                    let lhs = View {
                        data: &w[gi * cgo * kg..(gi + 1) * cgo * kg],
                        rs: kg,
                        cs: 1,
                    };
                    let rhs = View {
                        data: &cols,
                        rs: width,
                        cs: 1,
                    };
                    matmul(cgo, width, kg, &mut prod, (width, 1), false, lhs, rhs, par);
                    for o in 0..cgo {
                        let shift = bias.map_or(0.0, |b| b[gi * cgo + o]);
                        for b in 0..count {
                            let dst =
                                &mut out[(start + b) * sample_out + (gi * cgo + o) * p..][..p];
                            let src = &prod[o * width + b * p..][..p];
                            for (d, &s) in dst.iter_mut().zip(src) {
                                *d = s + shift;
                            }
                        }
                    }
                }
            }
        });
    out
}

/// [`super::conv::backward_data`] for small planes.
pub(super) fn backward_data(g: &ConvGeometry, dy: &[f32], w: &[f32]) -> Vec<f32> {
    let p = g.out_plane();
    let (kg, cgi, cgo) = (g.col_rows(), g.cg_in(), g.cg_out());
    let (sample_in, sample_out) = (g.c_in * g.in_plane(), g.c_out * p);
    let mut dx = vec![0.0f32; g.batch * sample_in];
    let (chunks, par) = plan(g.batch);
    let per = chunk_len(g.batch, chunks);
    dx.par_chunks_mut(per * sample_in)
        .zip(dy.par_chunks(per * sample_out))
        .for_each(|(dx, dy)| {
            let here = dx.len() / sample_in;
            let nb = samples_per_product(g).min(here);
            let mut gathered = vec![0.0f32; cgo * nb * p];
            let mut cols = vec![0.0f32; kg * nb * p];
            for start in (0..here).step_by(nb) {
                let count = nb.min(here - start);
                let width = count * p;
                for gi in 0..g.groups {
                    for o in 0..cgo {
                        for b in 0..count {
                            let src = &dy[(start + b) * sample_out + (gi * cgo + o) * p..][..p];
                            gathered[o * width + b * p..][..p].copy_from_slice(src);
                        }
                    }
                    // Wᵀ: element (r, c) of the transpose is W[c · kg + r].
                    let lhs = View {
                        data: &w[gi * cgo * kg..(gi + 1) * cgo * kg],
                        rs: 1,
                        cs: kg,
                    };
                    let rhs = View {
                        data: &gathered,
                        rs: width,
                        cs: 1,
                    };
                    matmul(kg, width, cgo, &mut cols, (width, 1), false, lhs, rhs, par);
                    for b in 0..count {
                        let dxg = &mut dx[(start + b) * sample_in + gi * cgi * g.in_plane()..]
                            [..cgi * g.in_plane()];
                        vectorized(|| g.col2im_strided(&cols[b * p..], dxg, width));
                    }
                }
            }
        });
    dx
}
