//! Sums the compiler can vectorise: sixteen independent f32 lanes per slice, added up in f64.
//! Slices here are one channel plane of one sample (at most a few tens of thousands of values),
//! so the f32 lanes stay accurate and the f64 total carries the sum over the batch.

const LANES: usize = 16;

/// Σ xᵢ.
#[inline(always)]
pub fn sum(xs: &[f32]) -> f64 {
    let mut acc = [0.0f32; LANES];
    let (chunks, rest) = xs.as_chunks::<LANES>();
    let tail: f64 = rest.iter().map(|&v| f64::from(v)).sum();
    for chunk in chunks {
        for (a, &v) in acc.iter_mut().zip(chunk) {
            *a += v;
        }
    }
    acc.iter().map(|&v| f64::from(v)).sum::<f64>() + tail
}

/// Σ (xᵢ − m)².
#[inline(always)]
pub fn sum_sq_dev(xs: &[f32], m: f32) -> f64 {
    let mut acc = [0.0f32; LANES];
    let (chunks, rest) = xs.as_chunks::<LANES>();
    let tail: f64 = rest.iter().map(|&v| f64::from((v - m) * (v - m))).sum();
    for chunk in chunks {
        for (a, &v) in acc.iter_mut().zip(chunk) {
            *a += (v - m) * (v - m);
        }
    }
    acc.iter().map(|&v| f64::from(v)).sum::<f64>() + tail
}

/// (Σ gᵢ, Σ gᵢ·(xᵢ − m)) with gᵢ = dyᵢ, or 0 where a ReLU after the layer was off (`mask[i] ≤ 0`).
#[inline(always)]
pub fn sum_grad(dy: &[f32], x: &[f32], m: f32, mask: Option<&[f32]>) -> (f64, f64) {
    match mask {
        Some(y) => sum_grad_with(dy, x, y, m, |g, yv| if yv > 0.0 { g } else { 0.0 }),
        // The gradient itself stands in for the mask, and passes every value.
        None => sum_grad_with(dy, x, dy, m, |g, _| g),
    }
}

/// The two sums over lanes of sixteen, `keep(g, mask)` choosing each gradient branch-free.
#[inline(always)]
fn sum_grad_with(
    dy: &[f32],
    x: &[f32],
    mask: &[f32],
    m: f32,
    keep: impl Fn(f32, f32) -> f32,
) -> (f64, f64) {
    let mut a0 = [0.0f32; LANES];
    let mut a1 = [0.0f32; LANES];
    let (dc, dr) = dy.as_chunks::<LANES>();
    let (xc, xr) = x.as_chunks::<LANES>();
    let (mc, mr) = mask.as_chunks::<LANES>();
    let (mut s0, mut s1) = (0.0f64, 0.0f64);
    for ((&g, &xv), &yv) in dr.iter().zip(xr).zip(mr) {
        let g = keep(g, yv);
        s0 += f64::from(g);
        s1 += f64::from(g * (xv - m));
    }
    for ((d, xs), ys) in dc.iter().zip(xc).zip(mc) {
        for l in 0..LANES {
            let g = keep(d[l], ys[l]);
            a0[l] += g;
            a1[l] += g * (xs[l] - m);
        }
    }
    let total = |a: &[f32; LANES]| a.iter().map(|&v| f64::from(v)).sum::<f64>();
    (total(&a0) + s0, total(&a1) + s1)
}
