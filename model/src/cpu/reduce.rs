//! Sums the compiler can vectorise: sixteen independent f32 lanes per slice, added up in f64.
//! Slices here are one channel plane of one sample (at most a few tens of thousands of values),
//! so the f32 lanes stay accurate and the f64 total carries the sum over the batch.

const LANES: usize = 16;

/// Σ xᵢ.
pub fn sum(xs: &[f32]) -> f64 {
    let mut acc = [0.0f32; LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail: f64 = chunks.remainder().iter().map(|&v| f64::from(v)).sum();
    for chunk in chunks {
        for (a, &v) in acc.iter_mut().zip(chunk) {
            *a += v;
        }
    }
    acc.iter().map(|&v| f64::from(v)).sum::<f64>() + tail
}

/// Σ (xᵢ − m)².
pub fn sum_sq_dev(xs: &[f32], m: f32) -> f64 {
    let mut acc = [0.0f32; LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail: f64 = chunks
        .remainder()
        .iter()
        .map(|&v| f64::from((v - m) * (v - m)))
        .sum();
    for chunk in chunks {
        for (a, &v) in acc.iter_mut().zip(chunk) {
            *a += (v - m) * (v - m);
        }
    }
    acc.iter().map(|&v| f64::from(v)).sum::<f64>() + tail
}

/// (Σ gᵢ, Σ gᵢ·(xᵢ − m)) with gᵢ = dyᵢ, or 0 where a ReLU after the layer was off (`mask[i] ≤ 0`).
pub fn sum_grad(dy: &[f32], x: &[f32], m: f32, mask: Option<&[f32]>) -> (f64, f64) {
    let mut a0 = [0.0f32; LANES];
    let mut a1 = [0.0f32; LANES];
    let n = dy.len();
    let body = n - n % LANES;
    match mask {
        Some(y) => {
            for i in (0..body).step_by(LANES) {
                for l in 0..LANES {
                    let g = if y[i + l] > 0.0 { dy[i + l] } else { 0.0 };
                    a0[l] += g;
                    a1[l] += g * (x[i + l] - m);
                }
            }
        }
        None => {
            for i in (0..body).step_by(LANES) {
                for l in 0..LANES {
                    let g = dy[i + l];
                    a0[l] += g;
                    a1[l] += g * (x[i + l] - m);
                }
            }
        }
    }
    let (mut s0, mut s1) = (0.0f64, 0.0f64);
    for i in body..n {
        let g = match mask {
            Some(y) if y[i] <= 0.0 => 0.0,
            _ => dy[i],
        };
        s0 += f64::from(g);
        s1 += f64::from(g * (x[i] - m));
    }
    let total = |a: &[f32; LANES]| a.iter().map(|&v| f64::from(v)).sum::<f64>();
    (total(&a0) + s0, total(&a1) + s1)
}
