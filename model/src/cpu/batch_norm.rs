//! Batch normalisation (Ioffe & Szegedy, ICML 2015) fused with what follows it in the classic
//! networks: a ReLU, or a residual addition and a ReLU (He et al., CVPR 2016). One pass computes
//! the per-channel statistics, one writes the output; the backward pass needs two more (the two
//! per-channel sums, then the input gradient), instead of the dozen full passes the composed
//! operations take.
//!
//! With x̂ = (x − μ)/σ, y = γ·x̂ + β (then + r, then ReLU), and g = dy masked where the ReLU was off:
//! dβ = Σg, dγ = Σg·x̂, dx = γ/σ · (g − dβ/N − x̂·dγ/N), dr = g; N = batch · plane.

use rayon::prelude::*;

use super::{reduce, vectorized};

/// What follows the normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Post {
    /// Nothing: `y = γ·x̂ + β`.
    Identity,
    /// `y = max(0, γ·x̂ + β)`.
    Relu,
}

/// How a fused batch norm ends: whether a residual is added after the normalisation, what
/// follows, and the ε under the square root.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tail {
    /// `+ residual` (else the residual argument is a stand-in and ignored).
    pub residual: bool,
    /// What follows the normalisation (and the residual).
    pub post: Post,
    /// Added to the variance.
    pub epsilon: f64,
}

/// A batch of `batch × channels × plane` values, channel-major within each sample (NCHW).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Samples.
    pub batch: usize,
    /// Channels.
    pub channels: usize,
    /// Positions per channel and sample (H·W).
    pub plane: usize,
}

impl Layout {
    fn count(&self) -> usize {
        self.batch * self.plane
    }

    /// The plane of channel `c` in sample `b`.
    fn plane_of<'a>(&self, xs: &'a [f32], b: usize, c: usize) -> &'a [f32] {
        &xs[(b * self.channels + c) * self.plane..][..self.plane]
    }

    /// Enough planes per rayon task that a task is worth scheduling.
    fn min_planes(&self) -> usize {
        (16_384 / self.plane.max(1)).max(1)
    }
}

/// The batch's per-channel mean and biased variance.
pub fn statistics(l: Layout, x: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let n = l.count() as f64;
    (0..l.channels)
        .into_par_iter()
        .map(|c| {
            let mean = (0..l.batch)
                .map(|b| reduce::sum(l.plane_of(x, b, c)))
                .sum::<f64>()
                / n;
            let m = mean as f32;
            let var = (0..l.batch)
                .map(|b| vectorized(|| reduce::sum_sq_dev(l.plane_of(x, b, c), m)))
                .sum::<f64>()
                / n;
            (m, var as f32)
        })
        .unzip()
}

/// `y = post(scale·x + shift [+ residual])` per channel.
fn affine(
    l: Layout,
    x: &[f32],
    scale: &[f32],
    shift: &[f32],
    residual: Option<&[f32]>,
    post: Post,
) -> Vec<f32> {
    let mut y = vec![0.0f32; x.len()];
    y.par_chunks_mut(l.plane)
        .enumerate()
        .with_min_len(l.min_planes())
        .for_each(|(i, out)| {
            vectorized(|| {
                let c = i % l.channels;
                let (a, s) = (scale[c], shift[c]);
                let xs = &x[i * l.plane..][..l.plane];
                match residual {
                    Some(r) => {
                        let rs = &r[i * l.plane..][..l.plane];
                        for ((o, &v), &rv) in out.iter_mut().zip(xs).zip(rs) {
                            *o = v * a + s + rv;
                        }
                    }
                    None => {
                        for (o, &v) in out.iter_mut().zip(xs) {
                            *o = v * a + s;
                        }
                    }
                }
                if post == Post::Relu {
                    for o in out.iter_mut() {
                        *o = o.max(0.0);
                    }
                }
            })
        });
    y
}

/// Per-channel `scale = γ/σ` and `shift = β − μ·γ/σ`.
fn scale_shift(
    gamma: &[f32],
    beta: &[f32],
    mean: &[f32],
    var: &[f32],
    eps: f64,
) -> (Vec<f32>, Vec<f32>) {
    gamma
        .iter()
        .zip(beta)
        .zip(mean.iter().zip(var))
        .map(|((&g, &b), (&m, &v))| {
            let inv = (1.0 / (f64::from(v) + eps).sqrt()) as f32;
            (g * inv, b - m * g * inv)
        })
        .unzip()
}

/// Training forward: the output and the batch's mean and biased variance.
pub fn train_forward(
    l: Layout,
    x: &[f32],
    gamma: &[f32],
    beta: &[f32],
    residual: Option<&[f32]>,
    post: Post,
    eps: f64,
) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let (mean, var) = statistics(l, x);
    let (scale, shift) = scale_shift(gamma, beta, &mean, &var, eps);
    (affine(l, x, &scale, &shift, residual, post), mean, var)
}

/// Evaluation forward with given (running) statistics.
#[allow(clippy::too_many_arguments)]
pub fn eval_forward(
    l: Layout,
    x: &[f32],
    gamma: &[f32],
    beta: &[f32],
    mean: &[f32],
    var: &[f32],
    residual: Option<&[f32]>,
    post: Post,
    eps: f64,
) -> Vec<f32> {
    let (scale, shift) = scale_shift(gamma, beta, mean, var, eps);
    affine(l, x, &scale, &shift, residual, post)
}

/// Parameter gradients of the training forward (the input gradient is written in place).
#[derive(Debug)]
pub struct TrainGrads {
    /// d loss / d γ.
    pub gamma: Vec<f32>,
    /// d loss / d β.
    pub beta: Vec<f32>,
    /// d loss / d residual — the output gradient masked by the ReLU — when asked for.
    pub masked: Option<Vec<f32>>,
}

/// Training backward. `y` is the forward's output (its sign is the ReLU's mask), `mean` and `var`
/// the statistics the forward returned; `grad` holds d loss / d y and is overwritten with
/// d loss / d x (no allocation for the largest result). `want_masked`: also return the masked
/// output gradient (for the residual input of a fused residual unit).
#[allow(clippy::too_many_arguments)]
pub fn train_backward(
    l: Layout,
    x: &[f32],
    y: &[f32],
    grad: &mut [f32],
    gamma: &[f32],
    mean: &[f32],
    var: &[f32],
    post: Post,
    eps: f64,
    want_masked: bool,
) -> TrainGrads {
    let mask = (post == Post::Relu).then_some(y);
    let n = l.count() as f64;
    let inv_std: Vec<f32> = var
        .iter()
        .map(|&v| (1.0 / (f64::from(v) + eps).sqrt()) as f32)
        .collect();
    let dy: &[f32] = grad;
    // Σg and Σg·(x − μ) per channel.
    let sums: Vec<(f64, f64)> = (0..l.channels)
        .into_par_iter()
        .map(|c| {
            (0..l.batch).fold((0.0, 0.0), |(s0, s1), b| {
                let m = mask.map(|y| l.plane_of(y, b, c));
                let (a0, a1) = vectorized(|| {
                    reduce::sum_grad(l.plane_of(dy, b, c), l.plane_of(x, b, c), mean[c], m)
                });
                (s0 + a0, s1 + a1)
            })
        })
        .collect();
    let masked = want_masked.then(|| match mask {
        Some(y) => dy
            .par_iter()
            .zip(y.par_iter())
            .with_min_len(16_384)
            .map(|(&g, &yv)| if yv > 0.0 { g } else { 0.0 })
            .collect(),
        None => dy.to_vec(),
    });
    let d_beta: Vec<f32> = sums.iter().map(|s| s.0 as f32).collect();
    let d_gamma: Vec<f32> = sums
        .iter()
        .zip(&inv_std)
        .map(|(s, &i)| (s.1 * f64::from(i)) as f32)
        .collect();
    // dx = k·(g − dβ/N − (x − μ)·σ⁻²·Σg(x − μ)/N) with k = γ/σ, element by element in place.
    let coef: Vec<(f32, f32, f32, f32)> = (0..l.channels)
        .map(|c| {
            let k = gamma[c] * inv_std[c];
            let mean_g = (sums[c].0 / n) as f32;
            let proj = (sums[c].1 / n) as f32 * inv_std[c] * inv_std[c];
            (k, mean_g, proj, mean[c])
        })
        .collect();
    grad.par_chunks_mut(l.plane)
        .enumerate()
        .with_min_len(l.min_planes())
        .for_each(|(i, g)| {
            vectorized(|| {
                let (k, mean_g, proj, m) = coef[i % l.channels];
                let xs = &x[i * l.plane..][..l.plane];
                match mask {
                    Some(y) => {
                        let ys = &y[i * l.plane..][..l.plane];
                        for ((o, &xv), &yv) in g.iter_mut().zip(xs).zip(ys) {
                            let d = if yv > 0.0 { *o } else { 0.0 };
                            *o = k * (d - mean_g - (xv - m) * proj);
                        }
                    }
                    None => {
                        for (o, &xv) in g.iter_mut().zip(xs) {
                            *o = k * (*o - mean_g - (xv - m) * proj);
                        }
                    }
                }
            })
        });
    TrainGrads {
        gamma: d_gamma,
        beta: d_beta,
        masked,
    }
}
