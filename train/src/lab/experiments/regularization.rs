//! `regularization`: no penalty, L2, L1 and L1+L2 (elastic net) on a network that can overfit a
//! small training subset: accuracy, and the weights' histograms — how many of them each penalty
//! drives to about zero.
//!
//! Tibshirani 1996 (the lasso); Krogh & Hertz 1992 (weight decay); Zou & Hastie 2005 (elastic net).

use super::common::{budget, epoch_chart};
use crate::lab::fit::{Fitted, fit};
use crate::lab::mlp::MlpSpec;
use crate::lab::plots::{charts, histogram_grid};
use crate::lab::probe::weights;
use crate::lab::report::{fmt, pct};
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;
use crate::regularization::Regularization;

/// |w| below this counts as "about zero".
pub const ZERO: f32 = 1e-3;
/// λ₁ of the L1 penalty.
pub const L1: f64 = 2e-4;
/// λ₂ of the L2 penalty.
pub const L2: f64 = 5e-3;

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(5000, 1000), ctx.size(5000, 1000))?;
    let epochs = ctx.epochs(30, 10);
    let lr = 0.1;
    let mut report = Report::new(
        "regularization",
        "L2 shrinks all weights in proportion; L1 drives many of them to exactly (about) zero; both fight overfitting.",
    );
    report.references = vec![
        "Tibshirani 1996, Regression shrinkage and selection via the lasso".into(),
        "Krogh & Hertz 1992, A simple weight decay can improve generalization".into(),
        "Zou & Hastie 2005, Regularization and variable selection via the elastic net".into(),
    ];
    report.setup("data", data.describe());
    report.setup(
        "network",
        "1 hidden ReLU layer of 256 units, He initialisation",
    );
    report.setup(
        "penalty",
        format!("λ₁·Σ|θ| + (λ₂/2)·Σθ² added to the loss; L1: λ₁ = {L1}, L2: λ₂ = {L2}"),
    );
    report.setup(
        "training",
        format!("{epochs} epochs, batch 32, plain SGD lr {lr}"),
    );
    report.columns = [
        "penalty",
        "|w| < 1e-3",
        "mean |w|",
        "train acc",
        "test acc",
        "gap",
    ]
    .map(String::from)
    .to_vec();
    let spec = MlpSpec::new(data.train.dim, 256, 1, data.classes);
    let variants = [
        ("none", Regularization::none()),
        ("L2", Regularization::l2(L2)),
        ("L1", Regularization::l1(L1)),
        ("L1+L2", Regularization::elastic_net(L1, L2)),
    ];
    let mut runs = Vec::new();
    let mut hists = Vec::new();
    for (name, reg) in variants {
        let mut cfg = budget(epochs, 32, OptimizerConfig::sgd(), lr, ctx.opts.seed);
        cfg.reg = reg;
        let f = fit(&spec, &data, &cfg, &ctx.device)?;
        write_variant(ctx, name, &f)?;
        let w = weights(&f.model)?;
        let zero = w.iter().filter(|v| v.abs() < ZERO).count() as f64 / w.len().max(1) as f64;
        let mean_abs = w.iter().map(|v| v.abs() as f64).sum::<f64>() / w.len().max(1) as f64;
        let (train_acc, test_acc) = f.last().map_or((0.0, 0.0), |p| (p.train_acc, p.test_acc));
        report.number(format!("{name}/zero_frac"), zero);
        report.number(format!("{name}/mean_abs"), mean_abs);
        report.number(format!("{name}/train_acc"), train_acc);
        report.number(format!("{name}/test_acc"), test_acc);
        report.rows.push(vec![
            name.into(),
            pct(zero),
            fmt(mean_abs),
            pct(train_acc),
            pct(test_acc),
            pct(train_acc - test_acc),
        ]);
        let step = (w.len() / 20000).max(1);
        hists.push(w.iter().step_by(step).copied().collect::<Vec<f32>>());
        runs.push((name.to_string(), f));
    }
    let cols: Vec<String> = variants.iter().map(|v| v.0.to_string()).collect();
    histogram_grid(
        &ctx.path("weights.png"),
        "weights after training",
        &cols,
        &[("weights".to_string(), hists)],
        60,
    )?;
    report.picture(
        "weights.png",
        "Histograms of all weights after training, one panel per penalty (each on its own range).",
    );
    let refs: Vec<(String, &Fitted)> = runs.iter().map(|(n, f)| (n.clone(), f)).collect();
    charts(
        &ctx.path("accuracy.png"),
        &[
            epoch_chart("training accuracy", "accuracy", &refs, |p| p.train_acc),
            epoch_chart("test accuracy", "accuracy", &refs, |p| p.test_acc),
        ],
        2,
    )?;
    report.picture("accuracy.png", "Training and test accuracy per epoch.");
    let numbers = report.numbers.clone();
    let g = |k: &str| numbers.get(k).copied().unwrap_or(f64::NAN);
    report.conclusions = vec![
        format!(
            "L1 leaves {} of the weights within 1e-3 of zero, against {} with L2, {} with L1+L2 and {} without a penalty.",
            pct(g("L1/zero_frac")),
            pct(g("L2/zero_frac")),
            pct(g("L1+L2/zero_frac")),
            pct(g("none/zero_frac"))
        ),
        format!(
            "Mean |w|: {} without a penalty, {} with L2, {} with L1.",
            fmt(g("none/mean_abs")),
            fmt(g("L2/mean_abs")),
            fmt(g("L1/mean_abs"))
        ),
        format!(
            "Train/test gap: {} without a penalty, {} with L2, {} with L1, {} with L1+L2 (test accuracy {}, {}, {}, {}).",
            pct(g("none/train_acc") - g("none/test_acc")),
            pct(g("L2/train_acc") - g("L2/test_acc")),
            pct(g("L1/train_acc") - g("L1/test_acc")),
            pct(g("L1+L2/train_acc") - g("L1+L2/test_acc")),
            pct(g("none/test_acc")),
            pct(g("L2/test_acc")),
            pct(g("L1/test_acc")),
            pct(g("L1+L2/test_acc"))
        ),
    ];
    Ok(report)
}
