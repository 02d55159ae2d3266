//! `batch-size`: batch 1, 32, 256 and the whole training subset under the same number of epochs
//! and learning rate: curves against epochs and against wall time, and the sharpness of each
//! final model (mean loss increase under small random weight perturbations). Keskar, Mudigere,
//! Nocedal, Smelyanskiy & Tang 2017, "On large-batch training for deep learning: generalization
//! gap and sharp minima" (ICLR); Masters & Luschi 2018, "Revisiting small batch training".

use super::common::{budget, epoch_chart, figure, fit_variant, points_chart};
use crate::lab::mlp::MlpSpec;
use crate::lab::probe::sharpness;
use crate::lab::report::{fmt, pct};
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;

/// The lecture's claim under test.
const CLAIM: &str = "Small batches are noisy but make progress every step; a large batch converges to sharper minima.";

/// The papers the experiment draws on.
const REFERENCES: [&str; 2] = [
    "Keskar, Mudigere, Nocedal, Smelyanskiy & Tang 2017, On large-batch training for deep learning: generalization gap and sharp minima, ICLR",
    "Masters & Luschi 2018, Revisiting small batch training for deep neural networks",
];

/// Relative size of the weight perturbation of the sharpness measure.
pub const EPS: f64 = 0.25;

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(5000, 1000), ctx.size(5000, 1000))?;
    let epochs = ctx.epochs(10, 3);
    let lr = 0.02;
    let n = data.train.len();
    let mut report = Report::new("batch-size", CLAIM).cite(&REFERENCES);
    report.setup("data", data.describe());
    let spec = MlpSpec::new(data.train.dim, 128, 2, data.classes);
    report.setup("network", spec.describe());
    report.setup("training", format!("{epochs} epochs, plain SGD lr {lr} for every batch size (so a larger batch takes fewer, less noisy steps)"));
    report.setup("sharpness", format!("mean training-loss increase over 10 draws of Gaussian weight noise of {EPS} × each matrix's RMS"));
    let mut runs = Vec::new();
    for batch in [1, 32, 256, n] {
        let (key, label) = if batch == n {
            ("full".to_string(), format!("full ({n})"))
        } else {
            (batch.to_string(), batch.to_string())
        };
        let cfg = budget(epochs, batch, OptimizerConfig::sgd(), lr, ctx.opts.seed);
        let f = fit_variant(ctx, &format!("batch-{batch}"), &spec, &data, &cfg)?;
        let sharp = sharpness(&f.model, &spec, &data.train, EPS, 10, ctx.opts.seed);
        report
            .row(key)
            .number("sharpness", sharp)
            .number("test_acc", f.test_acc())
            .number("seconds", f.final_value(|p| p.seconds))
            .number("train_loss", f.final_value(|p| p.train_eval_loss))
            .text("batch", label.clone())
            .text("steps", f.iter_loss.len().to_string())
            .at_last("wall s", &f, |p| format!("{:.2}", p.seconds))
            .at_last("train loss", &f, |p| fmt(p.train_eval_loss))
            .at_last("train acc", &f, |p| pct(p.train_acc))
            .pct("test acc", f.test_acc())
            .fmt("sharpness", sharp)
            .end();
        runs.push((format!("batch {label}"), f));
    }
    let panels = [
        epoch_chart("training loss (evaluation mode)", "loss", &runs, |p| {
            p.train_eval_loss
        }),
        epoch_chart("test accuracy", "accuracy", &runs, |p| p.test_acc),
        points_chart(
            "test accuracy against wall time",
            "seconds",
            "accuracy",
            &runs,
            |p| (p.seconds, p.test_acc),
        ),
    ];
    figure(
        ctx,
        &mut report,
        "curves.png",
        &panels,
        "Training loss and test accuracy against epochs, and test accuracy against wall time (evaluation time included, the same for every batch size).",
    )?;
    let batches = ["1", "32", "256", "full"];
    let [acc1, acc32, acc256, acc_full] = report.each(batches, "test_acc", pct);
    let [s1, s32, s256, s_full] = report.each(batches, "seconds", |v| format!("{v:.2}"));
    let [sharp1, sharp32, sharp256, sharp_full] = report.each(batches, "sharpness", fmt);
    report.conclusions = vec![
        format!(
            "After {epochs} epochs at lr {lr}: test accuracy {acc1} (batch 1), {acc32} (32), {acc256} (256), {acc_full} (full batch); the epochs took {s1} s, {s32} s, {s256} s, {s_full} s."
        ),
        format!(
            "Sharpness (loss increase under {EPS}× RMS weight noise): {sharp1} (batch 1), {sharp32} (32), {sharp256} (256), {sharp_full} (full batch)."
        ),
    ];
    Ok(report)
}
