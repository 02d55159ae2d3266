//! `preprocessing`: the same network on raw pixels, zero-centred pixels, standardised pixels
//! and PCA- and ZCA-whitened inputs (LeCun, Bottou, Orr & Müller 1998, "Efficient BackProp",
//! §4.3; ZCA: Bell & Sejnowski 1997, Krizhevsky 2009 §A): training curves, how decorrelated the
//! test inputs are, and a picture of the whitened images. Images are averaged down to 14×14 so
//! that the 196×196 covariance's Jacobi eigendecomposition ([`data::eigen`]) takes moments.

use data::{Whitening, WhiteningKind};
use plotters::prelude::*;

use super::common::{CURVES_LOG, fit_variant, head_mean, momentum, ranking_of, training_curves};
use crate::lab::data::{LabData, Split, load_with};
use crate::lab::mlp::MlpSpec;
use crate::lab::plots::canvas;
use crate::lab::report::fmt;
use crate::lab::{Ctx, LabError, Report};

/// The lecture's claim under test.
const CLAIM: &str = "Zero-centred, standardised or whitened inputs make gradient descent converge faster than raw pixels.";

/// The papers the experiment draws on.
const REFERENCES: [&str; 2] = [
    "LeCun, Bottou, Orr & Müller 1998, Efficient BackProp, §4.3",
    "Bell & Sejnowski 1997, The independent components of natural scenes are edge filters; Krizhevsky 2009, Learning multiple layers of features from tiny images, §A",
];

/// ε added to each eigenvalue before whitening.
pub const EPSILON: f32 = 1e-3;
/// Floor of the per-pixel standard deviation (border pixels of MNIST are constant).
pub const STD_FLOOR: f32 = 0.05;

/// 2×2 average pooling of every `side`×`side` image of `split`.
fn halve(split: &Split, side: usize) -> Split {
    let half = side / 2;
    let mut x = Vec::with_capacity(split.len() * half * half);
    for img in split.x.chunks_exact(split.dim) {
        for r in 0..half {
            for c in 0..half {
                let at = |dr: usize, dc: usize| img[(2 * r + dr) * side + 2 * c + dc];
                x.push((at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4.0);
            }
        }
    }
    Split {
        x,
        y: split.y.clone(),
        dim: half * half,
    }
}

fn per_pixel(split: &Split) -> (Vec<f32>, Vec<f32>) {
    let n = split.len().max(1) as f32;
    let mut mean = vec![0.0; split.dim];
    for img in split.x.chunks_exact(split.dim) {
        mean.iter_mut().zip(img).for_each(|(m, v)| *m += v / n);
    }
    let mut var = vec![0.0; split.dim];
    for img in split.x.chunks_exact(split.dim) {
        var.iter_mut()
            .zip(img.iter().zip(&mean))
            .for_each(|(s, (v, m))| *s += (v - m).powi(2) / n);
    }
    (mean, var.into_iter().map(f32::sqrt).collect())
}

fn map(split: &Split, f: impl Fn(&[f32]) -> Vec<f32>) -> Split {
    let x: Vec<f32> = split.x.chunks_exact(split.dim).flat_map(f).collect();
    Split {
        x,
        y: split.y.clone(),
        dim: split.dim,
    }
}

/// Mean |correlation| between distinct input dimensions over `split` (constant dimensions skipped).
pub fn mean_abs_correlation(split: &Split) -> f64 {
    let d = split.dim;
    let (mean, std) = per_pixel(split);
    let live: Vec<usize> = (0..d).filter(|&i| std[i] > 1e-4).collect();
    let mut cov = vec![0.0f64; live.len() * live.len()];
    for img in split.x.chunks_exact(d) {
        let z: Vec<f64> = live
            .iter()
            .map(|&i| ((img[i] - mean[i]) / std[i]) as f64)
            .collect();
        for (a, za) in z.iter().enumerate() {
            for (b, zb) in z.iter().enumerate().skip(a + 1) {
                cov[a * live.len() + b] += za * zb;
            }
        }
    }
    let pairs = (live.len() * live.len().saturating_sub(1) / 2).max(1) as f64;
    let n = split.len().max(1) as f64;
    cov.iter().map(|c| (c / n).abs()).sum::<f64>() / pairs
}

fn draw_images(
    path: &std::path::Path,
    rows: &[(String, Split)],
    side: usize,
) -> Result<(), LabError> {
    let (count, cell) = (8usize, 6u32);
    let w = 120 + count as u32 * (side as u32 * cell + 6);
    let h = 10 + rows.len() as u32 * (side as u32 * cell + 10);
    canvas(path, w, h, |root| {
        let e = |e: &dyn std::fmt::Display| e.to_string();
        for (r, (name, split)) in rows.iter().enumerate() {
            let top = 10 + r as i32 * (side as i32 * cell as i32 + 10);
            root.draw(&Text::new(name.clone(), (6, top + 30), ("sans-serif", 14)))
                .map_err(|x| e(&x))?;
            for (k, img) in split.x.chunks_exact(split.dim).take(count).enumerate() {
                let (lo, hi) = img
                    .iter()
                    .fold((f32::MAX, f32::MIN), |(a, b), &v| (a.min(v), b.max(v)));
                let left = 120 + k as i32 * (side as i32 * cell as i32 + 6);
                for (i, v) in img.iter().enumerate() {
                    let g = (255.0 * (v - lo) / (hi - lo).max(1e-6)) as u8;
                    let (y, x) = ((i / side) as i32, (i % side) as i32);
                    let p0 = (left + x * cell as i32, top + y * cell as i32);
                    let p1 = (p0.0 + cell as i32, p0.1 + cell as i32);
                    root.draw(&Rectangle::new([p0, p1], RGBColor(g, g, g).filled()))
                        .map_err(|x| e(&x))?;
                }
            }
        }
        Ok(())
    })
}

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let raw = load_with(
        &ctx.dataset("mnist"),
        &ctx.opts.cache,
        ctx.size(10000, 2000),
        ctx.size(5000, 1000),
        ctx.opts.seed,
        false,
    )?;
    let side = raw.shape[1];
    let (train, test) = (halve(&raw.train, side), halve(&raw.test, side));
    let side = side / 2;
    let epochs = ctx.epochs(5, 2);
    let mut report = Report::new("preprocessing", CLAIM).cite(&REFERENCES);
    report.setup(
        "data",
        format!(
            "{}: {} training / {} test images, averaged down to {side}×{side}",
            raw.name,
            train.len(),
            test.len()
        ),
    );
    report.setup("transforms", format!("statistics from the training subset; per-pixel std floored at {STD_FLOOR}; whitening ε = {EPSILON}"));
    let spec = MlpSpec::new(train.dim, 256, 2, raw.classes);
    report.setup("network", spec.describe());
    report.setup(
        "training",
        format!("{epochs} epochs, batch 64, SGD momentum 0.9, lr 0.01"),
    );
    let (mean, std) = per_pixel(&train);
    let centre = |img: &[f32]| {
        img.iter()
            .zip(&mean)
            .map(|(v, m)| v - m)
            .collect::<Vec<f32>>()
    };
    let stdz = |img: &[f32]| {
        img.iter()
            .zip(mean.iter().zip(&std))
            .map(|(v, (m, s))| (v - m) / s.max(STD_FLOOR))
            .collect::<Vec<f32>>()
    };
    let samples: Vec<Vec<f32>> = train
        .x
        .chunks_exact(train.dim)
        .map(<[f32]>::to_vec)
        .collect();
    let pca = Whitening::fit(&samples, WhiteningKind::Pca, EPSILON)?;
    let zca = Whitening::fit(&samples, WhiteningKind::Zca, EPSILON)?;
    let variants: Vec<(String, Split, Split)> = vec![
        ("none".into(), train.clone(), test.clone()),
        (
            "zero-centred".into(),
            map(&train, centre),
            map(&test, centre),
        ),
        ("standardised".into(), map(&train, stdz), map(&test, stdz)),
        (
            "PCA-whitened".into(),
            map(&train, |x| pca.apply(x)),
            map(&test, |x| pca.apply(x)),
        ),
        (
            "ZCA-whitened".into(),
            map(&train, |x| zca.apply(x)),
            map(&test, |x| zca.apply(x)),
        ),
    ];
    let cfg = momentum(ctx, epochs, 64, 0.01);
    let mut runs = Vec::new();
    let mut pictures = Vec::new();
    for (name, tr, te) in variants {
        let corr = mean_abs_correlation(&te);
        let corr_train = mean_abs_correlation(&tr);
        let data = LabData {
            train: tr,
            test: te.clone(),
            shape: [1, side, side],
            ..raw.clone()
        };
        let f = fit_variant(ctx, &name, &spec, &data, &cfg)?;
        let early = head_mean(&f.iter_loss, 20);
        report
            .row(&name)
            .number("corr_train", corr_train)
            .number("corr", corr)
            .number("early_loss", early)
            .text("preprocessing", name.clone())
            .fmt("mean |corr| (train)", corr_train)
            .fmt("mean |corr| (test)", corr)
            .fmt("loss, first 20 steps", early)
            .fmt("final train loss", f.final_value(|p| p.train_eval_loss))
            .test_acc(&f)
            .end();
        pictures.push((name.clone(), te));
        runs.push((name, f));
    }
    draw_images(&ctx.path("images.png"), &pictures, side)?;
    report.picture("images.png", "The first eight test images under each preprocessing (each image scaled to its own grey range).");
    training_curves(ctx, &mut report, &runs, true, CURVES_LOG)?;
    let whitening = ["none", "PCA-whitened", "ZCA-whitened"];
    let [train_raw, train_pca, train_zca] = report.each(whitening, "corr_train", fmt);
    let [test_raw, test_pca, test_zca] = report.each(whitening, "corr", fmt);
    let all = [
        "none",
        "zero-centred",
        "standardised",
        "PCA-whitened",
        "ZCA-whitened",
    ];
    let [raw, centred, standardised, pca, zca] = report.each(all, "early_loss", fmt);
    report.conclusions = vec![
        format!(
            "Mean |correlation| between input pixels: {train_raw} raw, {train_pca} after PCA and {train_zca} after ZCA whitening on the training subset they were fitted on; {test_raw}, {test_pca} and {test_zca} on the test subset."
        ),
        format!(
            "Mean loss over the first 20 steps: {raw} raw, {centred} zero-centred, {standardised} standardised, {pca} PCA, {zca} ZCA."
        ),
        format!(
            "Test accuracy after {epochs} epochs, best first: {}.",
            ranking_of(&runs)
        ),
    ];
    Ok(report)
}
