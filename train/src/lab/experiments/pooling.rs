//! `pooling`: max vs average vs L2 pooling in the same small convolutional network
//! ([`crate::lab::cnn::PoolNet`]), same data, seed and budget. Boureau, Ponce & LeCun 2010, "A
//! theoretical analysis of feature pooling in visual recognition"; Scherer, Müller & Behnke 2010,
//! "Evaluation of pooling operations in convolutional architectures for object recognition".

use super::common::{CURVES, fit_net, momentum, ranking, training_curves};
use crate::lab::cnn::{Pool, PoolNet};
use crate::lab::report::{fmt, pct};
use crate::lab::{Ctx, LabError, Report};

/// The lecture's claim under test.
const CLAIM: &str =
    "Max, average and L2 pooling summarise a window differently; which trains best here?";

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("fashion-mnist", ctx.size(10000, 2000), ctx.size(5000, 1000))?;
    let epochs = ctx.epochs(4, 1);
    let side = data.shape[1];
    let lr = 0.01;
    let mut report = Report::new("pooling", CLAIM).cite(&[
    "Boureau, Ponce & LeCun 2010, A theoretical analysis of feature pooling in visual recognition, ICML",
    "Scherer, Müller & Behnke 2010, Evaluation of pooling operations in convolutional architectures for object recognition",
    "Sermanet, Chintala & LeCun 2012, Convolutional neural networks applied to house numbers digit classification (L2 pooling)",
]);
    report.setup("data", data.describe());
    report.setup("network", "conv 5×5 ×16 → ReLU → pool 2×2 → conv 5×5 ×32 → ReLU → pool 2×2 → linear; Burn's default initialisation, the same draw for every variant");
    report.setup(
        "training",
        format!("{epochs} epoch(s), batch 64, SGD momentum 0.9, lr {lr}"),
    );
    let cfg = momentum(ctx, epochs, 64, lr);
    let mut runs = Vec::new();
    let mut accs = Vec::new();
    for kind in [Pool::Max, Pool::Avg, Pool::L2] {
        let name = kind.name();
        let build = |device: &_| PoolNet::new(side, data.classes, device);
        let f = fit_net(
            ctx,
            name,
            build,
            &|m: &PoolNet, x, _| m.forward(kind, x),
            &data,
            &cfg,
        )?;
        report
            .row(name)
            .number("train_loss", f.final_value(|p| p.train_eval_loss))
            .text("pooling", name)
            .at_last("final train loss", &f, |p| fmt(p.train_eval_loss))
            .at_last("train acc", &f, |p| pct(p.train_acc))
            .test_acc(&f)
            .end();
        accs.push((name.to_string(), f.test_acc()));
        runs.push((format!("{name} pooling"), f));
    }
    training_curves(ctx, &mut report, &runs, false, CURVES)?;
    report.conclusions = vec![format!(
        "Test accuracy after {epochs} epoch(s), best first: {}.",
        ranking(&accs)
    )];
    Ok(report)
}
