//! `regularization`: no penalty, L2, L1 and L1+L2 (elastic net) on a network that can overfit a
//! small training subset: accuracy, and the weights' histograms — how many of them each penalty
//! drives to about zero.
//!
//! Tibshirani 1996 (the lasso); Krogh & Hertz 1992 (weight decay); Zou & Hastie 2005 (elastic net).

use super::common::{budget, epoch_chart, figure, fit_variant};
use crate::lab::fit::FitConfig;
use crate::lab::mlp::MlpSpec;
use crate::lab::plots::histogram_grid;
use crate::lab::probe::weights;
use crate::lab::report::{fmt, pct};
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;
use crate::regularization::Regularization;

/// The lecture's claim under test.
const CLAIM: &str = "L2 shrinks all weights in proportion; L1 drives many of them to exactly (about) zero; both fight overfitting.";

/// The papers the experiment draws on.
const REFERENCES: [&str; 3] = [
    "Tibshirani 1996, Regression shrinkage and selection via the lasso",
    "Krogh & Hertz 1992, A simple weight decay can improve generalization",
    "Zou & Hastie 2005, Regularization and variable selection via the elastic net",
];

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
    let mut report = Report::new("regularization", CLAIM).cite(&REFERENCES);
    report.setup("data", data.describe());
    let spec = MlpSpec::new(data.train.dim, 256, 1, data.classes);
    report.setup("network", spec.describe());
    report.setup(
        "penalty",
        format!("λ₁·Σ|θ| + (λ₂/2)·Σθ² added to the loss; L1: λ₁ = {L1}, L2: λ₂ = {L2}"),
    );
    report.setup(
        "training",
        format!("{epochs} epochs, batch 32, plain SGD lr {lr}"),
    );
    let variants = [
        ("none", Regularization::none()),
        ("L2", Regularization::l2(L2)),
        ("L1", Regularization::l1(L1)),
        ("L1+L2", Regularization::elastic_net(L1, L2)),
    ];
    let mut runs = Vec::new();
    let mut hists = Vec::new();
    for (name, reg) in variants {
        let cfg = FitConfig {
            reg,
            ..budget(epochs, 32, OptimizerConfig::sgd(), lr, ctx.opts.seed)
        };
        let f = fit_variant(ctx, name, &spec, &data, &cfg)?;
        let w = weights(&f.model)?;
        let zero = w.iter().filter(|v| v.abs() < ZERO).count() as f64 / w.len().max(1) as f64;
        let mean_abs = w.iter().map(|v| v.abs() as f64).sum::<f64>() / w.len().max(1) as f64;
        let (train_acc, test_acc) = f.final_accs();
        report
            .row(name)
            .number("zero_frac", zero)
            .number("mean_abs", mean_abs)
            .number("train_acc", train_acc)
            .number("test_acc", test_acc)
            .text("penalty", name)
            .pct("|w| < 1e-3", zero)
            .fmt("mean |w|", mean_abs)
            .pct("train acc", train_acc)
            .pct("test acc", test_acc)
            .pct("gap", train_acc - test_acc)
            .end();
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
    let panels = [
        epoch_chart("training accuracy", "accuracy", &runs, |p| p.train_acc),
        epoch_chart("test accuracy", "accuracy", &runs, |p| p.test_acc),
    ];
    let caption = "Training and test accuracy per epoch.";
    figure(ctx, &mut report, "accuracy.png", &panels, caption)?;
    let penalties = ["none", "L2", "L1", "L1+L2"];
    let [zero_none, zero_l2, zero_l1, zero_both] = report.each(penalties, "zero_frac", pct);
    let [abs_none, abs_l2, abs_l1, _] = report.each(penalties, "mean_abs", fmt);
    let [acc_none, acc_l2, acc_l1, acc_both] = report.each(penalties, "test_acc", pct);
    let gap =
        |k: &str| pct(report.get(&format!("{k}/train_acc")) - report.get(&format!("{k}/test_acc")));
    let [gap_none, gap_l2, gap_l1, gap_both] = penalties.map(gap);
    report.conclusions = vec![
        format!(
            "L1 leaves {zero_l1} of the weights within 1e-3 of zero, against {zero_l2} with L2, {zero_both} with L1+L2 and {zero_none} without a penalty."
        ),
        format!("Mean |w|: {abs_none} without a penalty, {abs_l2} with L2, {abs_l1} with L1."),
        format!(
            "Train/test gap: {gap_none} without a penalty, {gap_l2} with L2, {gap_l1} with L1, {gap_both} with L1+L2 (test accuracy {acc_none}, {acc_l2}, {acc_l1}, {acc_both})."
        ),
    ];
    Ok(report)
}
