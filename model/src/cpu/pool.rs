//! Max pooling (the sub-sampling of LeNet-5's successors, AlexNet, VGG, U-Net) on the CPU: each
//! channel plane of each sample on its own thread, the window bounds worked out once per output row
//! and column instead of tested per element, and the arg-max kept for the backward pass, which adds
//! each output gradient at the position that won. PyTorch's semantics: padding counts as −∞, a NaN
//! in the window wins, the first of equal maxima wins.

use rayon::prelude::*;

use super::vectorized;

/// The geometry of a square max pooling over `batch × channels × h × w`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolGeometry {
    /// Samples.
    pub batch: usize,
    /// Channels.
    pub channels: usize,
    /// Input height.
    pub h: usize,
    /// Input width.
    pub w: usize,
    /// Output height.
    pub oh: usize,
    /// Output width.
    pub ow: usize,
    /// Window side.
    pub kernel: usize,
    /// Step between windows.
    pub stride: usize,
    /// Padding on every side (counts as −∞).
    pub pad: usize,
}

/// No winner (a window entirely in the padding, which valid geometries never have).
const NONE: u32 = u32::MAX;

impl PoolGeometry {
    /// Window rows (or columns) of output row `o` that lie inside an input of `len`.
    #[inline(always)]
    fn span(&self, o: usize, len: usize) -> (usize, usize) {
        let start = o * self.stride;
        let first = self.pad.saturating_sub(start);
        let last = (len + self.pad).saturating_sub(start).min(self.kernel);
        (first, last.max(first))
    }

    fn planes(&self) -> usize {
        self.batch * self.channels
    }

    /// Planes per rayon task.
    fn min_planes(&self) -> usize {
        (4096 / (self.oh * self.ow).max(1)).max(1)
    }
}

/// The maximum of each window, and, with `keep_winners`, the position (within its plane) of each.
pub fn forward(g: &PoolGeometry, x: &[f32], keep_winners: bool) -> (Vec<f32>, Option<Vec<u32>>) {
    let (ip, op) = (g.h * g.w, g.oh * g.ow);
    let mut out = vec![0.0f32; g.planes() * op];
    let mut winners = keep_winners.then(|| vec![NONE; g.planes() * op]);
    let plane = |(n, out): (usize, &mut [f32]), win: Option<&mut [u32]>| {
        let x = &x[n * ip..(n + 1) * ip];
        // Without winners to keep, the selects still need somewhere to write them.
        let mut scratch = Vec::new();
        let win = match win {
            Some(w) => w,
            None => {
                scratch.resize(op, NONE);
                &mut scratch[..]
            }
        };
        vectorized(|| pool_plane(g, x, out, win));
    };
    match winners.as_mut() {
        Some(w) => out
            .par_chunks_mut(op)
            .zip(w.par_chunks_mut(op))
            .enumerate()
            .with_min_len(g.min_planes())
            .for_each(|(n, (o, w))| plane((n, o), Some(w))),
        None => out
            .par_chunks_mut(op)
            .enumerate()
            .with_min_len(g.min_planes())
            .for_each(|(n, o)| plane((n, o), None)),
    }
    (out, winners)
}

/// One plane: the 2×2, stride-2 pooling of most networks on its own path, the rest row by row.
#[inline(always)]
fn pool_plane(g: &PoolGeometry, x: &[f32], out: &mut [f32], at: &mut [u32]) {
    if g.kernel == 2 && g.stride == 2 && g.pad == 0 && 2 * g.ow <= g.w && 2 * g.oh <= g.h {
        for oy in 0..g.oh {
            let r0 = &x[2 * oy * g.w..][..2 * g.ow];
            let r1 = &x[(2 * oy + 1) * g.w..][..2 * g.ow];
            let (base0, base1) = ((2 * oy * g.w) as u32, ((2 * oy + 1) * g.w) as u32);
            let out = &mut out[oy * g.ow..(oy + 1) * g.ow];
            let at = &mut at[oy * g.ow..(oy + 1) * g.ow];
            let (p0, p1) = (r0.as_chunks::<2>().0, r1.as_chunks::<2>().0);
            for (ox, (((o, a), q0), q1)) in out
                .iter_mut()
                .zip(at.iter_mut())
                .zip(p0)
                .zip(p1)
                .enumerate()
            {
                let i = 2 * ox as u32;
                let (mut best, mut arg) = (q0[0], base0 + i);
                for (v, idx) in [
                    (q0[1], base0 + i + 1),
                    (q1[0], base1 + i),
                    (q1[1], base1 + i + 1),
                ] {
                    let better = (v > best) | v.is_nan();
                    best = if better { v } else { best };
                    arg = if better { idx } else { arg };
                }
                *o = best;
                *a = arg;
            }
        }
        return;
    }
    for oy in 0..g.oh {
        let out = &mut out[oy * g.ow..(oy + 1) * g.ow];
        pool_row(g, x, oy, out, &mut at[oy * g.ow..(oy + 1) * g.ow]);
    }
}

/// The columns whose windows lie wholly inside the image: `first..last`.
#[inline(always)]
fn interior(g: &PoolGeometry) -> (usize, usize) {
    let first = g.pad.div_ceil(g.stride).min(g.ow);
    // ox · s − pad + k ≤ w.
    let last = if g.w + g.pad >= g.kernel {
        ((g.w + g.pad - g.kernel) / g.stride + 1).min(g.ow)
    } else {
        0
    };
    (first, last.max(first))
}

/// One output row: the interior columns with the column index innermost (the compiler vectorises
/// it), the edge columns one window at a time. Selects, not branches: the winner is data-dependent.
#[inline(always)]
fn pool_row(g: &PoolGeometry, x: &[f32], oy: usize, out: &mut [f32], at: &mut [u32]) {
    let (ky0, ky1) = g.span(oy, g.h);
    let row = |ky: usize| (oy * g.stride + ky - g.pad) * g.w;
    let (c0, c1) = interior(g);
    if ky0 == ky1 {
        out.fill(f32::NEG_INFINITY);
        at.fill(NONE);
        return;
    }
    // Interior: start from each window's first element, then every element of the window.
    let (s, pad) = (g.stride, g.pad);
    let first_row = row(ky0);
    for ox in c0..c1 {
        let i = first_row + ox * s - pad;
        out[ox] = x[i];
        at[ox] = i as u32;
    }
    for ky in ky0..ky1 {
        let base = row(ky);
        for kx in 0..g.kernel {
            for ox in c0..c1 {
                let i = base + ox * s + kx - pad;
                let v = x[i];
                let better = (v > out[ox]) | v.is_nan();
                out[ox] = if better { v } else { out[ox] };
                at[ox] = if better { i as u32 } else { at[ox] };
            }
        }
    }
    // Edges: windows that reach into the padding or past the image.
    for ox in (0..c0).chain(c1..g.ow) {
        let (kx0, kx1) = g.span(ox, g.w);
        if kx0 == kx1 {
            out[ox] = f32::NEG_INFINITY;
            at[ox] = NONE;
            continue;
        }
        let col = |kx: usize| ox * s + kx - pad;
        let (mut best, mut arg) = (x[row(ky0) + col(kx0)], row(ky0) + col(kx0));
        for ky in ky0..ky1 {
            for kx in kx0..kx1 {
                let i = row(ky) + col(kx);
                let v = x[i];
                let better = (v > best) | v.is_nan();
                best = if better { v } else { best };
                arg = if better { i } else { arg };
            }
        }
        out[ox] = best;
        at[ox] = arg as u32;
    }
}

/// The input gradient: each output gradient added at its window's winner.
pub fn backward(g: &PoolGeometry, dy: &[f32], winners: &[u32]) -> Vec<f32> {
    let (ip, op) = (g.h * g.w, g.oh * g.ow);
    let mut dx = vec![0.0f32; g.planes() * ip];
    dx.par_chunks_mut(ip)
        .enumerate()
        .with_min_len(g.min_planes())
        .for_each(|(n, dx)| {
            let (dy, win) = (&dy[n * op..(n + 1) * op], &winners[n * op..(n + 1) * op]);
            for (&d, &at) in dy.iter().zip(win) {
                if let Some(slot) = dx.get_mut(at as usize) {
                    *slot += d;
                }
            }
        });
    dx
}
