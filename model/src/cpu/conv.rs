//! Convolution on the CPU as matrix products: the forward pass, the input gradient and the weight
//! gradient of a 2-D convolution (and so, by adjointness, of a transposed convolution), with the
//! `gemm` crate's kernels and rayon over the samples of the batch.
//!
//! Per sample and group: `y = W · cols(x)` (forward), `dx = col2im(Wᵀ · dy)` (input gradient) and
//! `dW += dy · cols(x)ᵀ` (weight gradient, accumulated over the whole batch by each worker thread
//! into its own buffer, then summed once). A pointwise convolution (1×1, stride 1, no padding) skips
//! the columns matrix: the input is already one. The bias is written into the output before the
//! product accumulates onto it.

use gemm::Parallelism;
use rayon::prelude::*;

use super::geometry::ConvGeometry;
use super::small_planes;
use super::vectorized;

/// A row-major or strided matrix view: element `(r, c)` is at `r · rs + c · cs`.
#[derive(Clone, Copy)]
pub(super) struct View<'a> {
    pub(super) data: &'a [f32],
    pub(super) rs: usize,
    pub(super) cs: usize,
}

impl<'a> View<'a> {
    /// A row-major matrix whose rows are `rs` apart.
    pub(super) fn rows(data: &'a [f32], rs: usize) -> Self {
        Self { data, rs, cs: 1 }
    }

    /// The transpose of a row-major matrix whose rows are `cs` apart: element `(r, c)` is
    /// `data[c · cs + r]`.
    pub(super) fn transposed(data: &'a [f32], cs: usize) -> Self {
        Self { data, rs: 1, cs }
    }
}

/// How a batch is cut for the thread pool: samples per chunk, the parallelism each GEMM call gets,
/// and one sample's input and output lengths.
#[derive(Clone, Copy)]
pub(super) struct Split {
    pub(super) per: usize,
    pub(super) par: Parallelism,
    pub(super) sample_in: usize,
    pub(super) sample_out: usize,
}

impl Split {
    /// The split of `g`'s batch (see [`plan`]).
    pub(super) fn of(g: &ConvGeometry) -> Self {
        let (chunks, par) = plan(g.batch);
        Self {
            per: chunk_len(g.batch, chunks),
            par,
            sample_in: g.c_in * g.in_plane(),
            sample_out: g.c_out * g.out_plane(),
        }
    }
}

/// The highest index a `rows × cols` matrix with strides `rs`, `cs` touches, plus one.
fn extent(rows: usize, cols: usize, rs: usize, cs: usize) -> usize {
    if rows == 0 || cols == 0 {
        0
    } else {
        (rows - 1) * rs + (cols - 1) * cs + 1
    }
}

/// `dst = lhs · rhs` (or `dst += lhs · rhs` with `accumulate`): `m × k` times `k × n`, element
/// `(r, c)` of `dst` at `r · rs + c · cs`.
#[allow(clippy::too_many_arguments)]
pub(super) fn matmul(
    m: usize,
    n: usize,
    k: usize,
    dst: &mut [f32],
    (dst_rs, dst_cs): (usize, usize),
    accumulate: bool,
    lhs: View<'_>,
    rhs: View<'_>,
    parallelism: Parallelism,
) {
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            for r in 0..m {
                for c in 0..n {
                    dst[r * dst_rs + c * dst_cs] = 0.0;
                }
            }
        }
        return;
    }
    // The bounds the unsafe call relies on, checked for real (they cost nothing next to the product).
    assert!(
        extent(m, n, dst_rs, dst_cs) <= dst.len(),
        "gemm: destination too small"
    );
    assert!(
        extent(m, k, lhs.rs, lhs.cs) <= lhs.data.len(),
        "gemm: lhs too small"
    );
    assert!(
        extent(k, n, rhs.rs, rhs.cs) <= rhs.data.len(),
        "gemm: rhs too small"
    );
    // SAFETY: the three matrices lie inside their slices (checked above), `dst` is borrowed
    // mutably and does not alias `lhs` or `rhs`, distinct (r, c) of `dst` are distinct elements
    // (one of its strides is at least the other's extent, as every caller lays it out), and every
    // stride fits in an isize because it indexes an allocation.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            dst_cs as isize,
            dst_rs as isize,
            accumulate,
            lhs.data.as_ptr(),
            lhs.cs as isize,
            lhs.rs as isize,
            rhs.data.as_ptr(),
            rhs.cs as isize,
            rhs.rs as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            parallelism,
        );
    }
}

/// How to split `batch` samples over the thread pool: the number of chunks, and the parallelism
/// each GEMM call gets (all threads when there are fewer samples than threads).
pub(super) fn plan(batch: usize) -> (usize, Parallelism) {
    let threads = rayon::current_num_threads().max(1);
    if batch >= threads {
        (threads, Parallelism::None)
    } else {
        (1, Parallelism::Rayon(0))
    }
}

/// Samples per chunk when `batch` samples are split into `chunks`.
pub(super) fn chunk_len(batch: usize, chunks: usize) -> usize {
    batch.div_ceil(chunks.max(1)).max(1)
}

/// A columns buffer for one sample's product (none for a pointwise convolution).
fn cols_buffer(g: &ConvGeometry) -> Vec<f32> {
    if g.is_pointwise() {
        Vec::new()
    } else {
        vec![0.0f32; g.col_rows() * g.out_plane()]
    }
}

/// The columns matrix of group `gi` of one sample `xs`: the input itself for a pointwise
/// convolution, else its im2col written into `cols`.
fn columns<'a>(g: &ConvGeometry, xs: &'a [f32], gi: usize, cols: &'a mut [f32]) -> &'a [f32] {
    let xg = g.group_input(xs, gi);
    if g.is_pointwise() {
        xg
    } else {
        vectorized(|| g.im2col(xg, cols, g.out_plane()));
        cols
    }
}

/// Runs `step(dst_sample, src_sample, cols)` for every sample, the samples cut into per-thread
/// chunks, each thread with its own columns buffer.
fn per_sample<F>(
    g: &ConvGeometry,
    dst: &mut [f32],
    dst_len: usize,
    src: &[f32],
    src_len: usize,
    step: F,
) where
    F: Fn(&mut [f32], &[f32], &mut [f32]) + Sync,
{
    let per = Split::of(g).per;
    dst.par_chunks_mut(per * dst_len)
        .zip(src.par_chunks(per * src_len))
        .for_each(|(dst, src)| {
            let mut cols = cols_buffer(g);
            for (d, s) in dst.chunks_mut(dst_len).zip(src.chunks(src_len)) {
                step(d, s, &mut cols);
            }
        });
}

/// Forward convolution: `x` is `batch × c_in × h × w`, `w` is `c_out × c_in/groups × kh × kw`,
/// `bias` has `c_out` entries; returns `batch × c_out × oh × ow`.
pub fn forward(g: &ConvGeometry, x: &[f32], w: &[f32], bias: Option<&[f32]>) -> Vec<f32> {
    if small_planes::applies(g) {
        return small_planes::forward(g, x, w, bias);
    }
    let p = g.out_plane();
    let (kg, cgo) = (g.col_rows(), g.cg_out());
    let s = Split::of(g);
    let mut out = vec![0.0f32; g.batch * s.sample_out];
    per_sample(g, &mut out, s.sample_out, x, s.sample_in, |o, xs, cols| {
        if let Some(b) = bias {
            for (row, &v) in o.chunks_mut(p).zip(b) {
                row.fill(v);
            }
        }
        for gi in 0..g.groups {
            let lhs = View::rows(g.group_weight(w, gi), kg);
            let rhs = View::rows(columns(g, xs, gi, cols), p);
            let dst = &mut o[gi * cgo * p..(gi + 1) * cgo * p];
            matmul(cgo, p, kg, dst, (p, 1), bias.is_some(), lhs, rhs, s.par);
        }
    });
    out
}

/// Input gradient of a convolution: `dy` is `batch × c_out × oh × ow`; returns
/// `batch × c_in × h × w`.
pub fn backward_data(g: &ConvGeometry, dy: &[f32], w: &[f32]) -> Vec<f32> {
    if small_planes::applies(g) {
        return small_planes::backward_data(g, dy, w);
    }
    let p = g.out_plane();
    let (kg, cgi, cgo) = (g.col_rows(), g.cg_in(), g.cg_out());
    let s = Split::of(g);
    let mut dx = vec![0.0f32; g.batch * s.sample_in];
    per_sample(
        g,
        &mut dx,
        s.sample_in,
        dy,
        s.sample_out,
        |dxs, dys, cols| {
            for gi in 0..g.groups {
                let lhs = View::transposed(g.group_weight(w, gi), kg);
                let rhs = View::rows(&dys[gi * cgo * p..(gi + 1) * cgo * p], p);
                let dxg = &mut dxs[gi * cgi * g.in_plane()..(gi + 1) * cgi * g.in_plane()];
                if g.is_pointwise() {
                    matmul(cgi, p, cgo, dxg, (p, 1), false, lhs, rhs, s.par);
                } else {
                    matmul(kg, p, cgo, cols, (p, 1), false, lhs, rhs, s.par);
                    vectorized(|| g.col2im(cols, dxg, p));
                }
            }
        },
    );
    dx
}

/// Weight gradient of a convolution, summed over the batch: returns `c_out × c_in/groups × kh × kw`.
pub fn backward_weight(g: &ConvGeometry, x: &[f32], dy: &[f32]) -> Vec<f32> {
    let p = g.out_plane();
    let (kg, cgo) = (g.col_rows(), g.cg_out());
    let s = Split::of(g);
    // With long columns-matrix rows (many output positions), dW is accumulated column-major
    // (dW[o, k] at k · cgo + o): gemm writes column-major tiles, and its packing then reads the
    // columns matrix along its rows instead of down 64 rows at once, which thrashes the cache when
    // a row is a multiple of 4 KiB (52 → 250 GFLOP/s for 64 channels at 32×32). With short rows
    // the row-major product is faster.
    let column_major = p >= 128;
    let dst_strides = if column_major { (1, cgo) } else { (kg, 1) };
    let partial = |(x, dy): (&[f32], &[f32])| {
        let mut dw = vec![0.0f32; g.c_out * kg];
        let mut cols = cols_buffer(g);
        for (n, (xs, dys)) in x
            .chunks(s.sample_in)
            .zip(dy.chunks(s.sample_out))
            .enumerate()
        {
            for gi in 0..g.groups {
                let lhs = View::rows(&dys[gi * cgo * p..(gi + 1) * cgo * p], p);
                let rhs = View::transposed(columns(g, xs, gi, &mut cols), p);
                let dst = &mut dw[gi * cgo * kg..(gi + 1) * cgo * kg];
                matmul(cgo, kg, p, dst, dst_strides, n > 0, lhs, rhs, s.par);
            }
        }
        dw
    };
    let partials: Vec<Vec<f32>> = x
        .par_chunks(s.per * s.sample_in)
        .zip(dy.par_chunks(s.per * s.sample_out))
        .map(partial)
        .collect();
    let mut parts = partials.into_iter();
    let mut sum = parts.next().unwrap_or_else(|| vec![0.0; g.c_out * kg]);
    for part in parts {
        for (a, b) in sum.iter_mut().zip(&part) {
            *a += b;
        }
    }
    if !column_major {
        return sum;
    }
    // Back to row-major, group by group.
    let mut dw = vec![0.0f32; g.c_out * kg];
    for (src, dst) in sum.chunks(cgo * kg).zip(dw.chunks_mut(cgo * kg)) {
        for (k, col) in src.chunks(cgo).enumerate() {
            for (o, &v) in col.iter().enumerate() {
                dst[o * kg + k] = v;
            }
        }
    }
    dw
}

/// Bias gradient: the sum of `dy` (`batch × channels × plane`) over samples and positions.
pub fn backward_bias(dy: &[f32], batch: usize, channels: usize, plane: usize) -> Vec<f32> {
    (0..channels)
        .into_par_iter()
        .map(|c| {
            (0..batch)
                .map(|b| {
                    vectorized(|| super::reduce::sum(&dy[(b * channels + c) * plane..][..plane]))
                })
                .sum::<f64>() as f32
        })
        .collect()
}
