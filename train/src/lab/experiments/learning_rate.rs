//! `learning-rate`: one network trained with plain SGD at a too small, a good and a too large
//! learning rate. A run whose loss leaves every bound is a result ("diverged at iteration i"),
//! not an error. (LeCun, Bottou, Orr & Müller 1998, "Efficient BackProp"; Bengio 2012,
//! "Practical recommendations for gradient-based training of deep architectures".)

use super::common::{budget, figure, fit_variant, head_mean, loss_chart, tail_mean};
use crate::lab::fit::Fitted;
use crate::lab::mlp::MlpSpec;
use crate::lab::report::{fmt, pct};
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;

/// The lecture's claim under test.
const CLAIM: &str = "A learning rate too small barely moves the loss, a good one converges, one too large makes it explode.";

/// The papers the experiment draws on.
const REFERENCES: [&str; 2] = [
    "LeCun, Bottou, Orr & Müller 1998, Efficient BackProp",
    "Bengio 2012, Practical recommendations for gradient-based training of deep architectures",
];

/// The learning rates: key, value.
pub const RATES: [(&str, f64); 3] = [("too_small", 1e-4), ("good", 0.1), ("too_large", 5.0)];

/// What a run's loss did, from its numbers: `diverged`, `stuck` (fell by less than 25 %) or
/// `converging`.
pub fn verdict(f: &Fitted) -> &'static str {
    if f.diverged_at.is_some() {
        return "diverged";
    }
    let (first, last) = (head_mean(&f.iter_loss, 10), tail_mean(&f.iter_loss, 10));
    if last > 0.75 * first {
        "stuck"
    } else {
        "converging"
    }
}

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(20000, 1000), ctx.size(5000, 500))?;
    let epochs = ctx.epochs(5, 1);
    let spec = MlpSpec::new(data.train.dim, 256, 2, data.classes);
    let mut report = Report::new("learning-rate", CLAIM).cite(&REFERENCES);
    report.setup("data", data.describe());
    report.setup("network", spec.describe());
    report.setup("training", format!("{epochs} epoch(s), batch 64, plain SGD; a loss above 50 or not finite stops the run (diverged)"));
    let mut runs = Vec::new();
    for (key, lr) in RATES {
        let cfg = budget(epochs, 64, OptimizerConfig::sgd(), lr, ctx.opts.seed);
        let f = fit_variant(ctx, &format!("lr-{lr}"), &spec, &data, &cfg)?;
        let (first, last) = (head_mean(&f.iter_loss, 10), tail_mean(&f.iter_loss, 10));
        let v = verdict(&f);
        report
            .row(key)
            .number("first_loss", first)
            .number("last_loss", last)
            .diverged(&f)
            .text("learning rate", format!("{lr}"))
            .fmt("first loss", first)
            .fmt("last loss", last)
            .text("verdict", v)
            .test_acc(&f)
            .end();
        report.conclusions.push(match f.diverged_at {
            Some(i) => format!(
                "lr {lr}: diverged at iteration {i} (loss {}).",
                fmt(f.iter_loss.last().copied().unwrap_or(f64::NAN))
            ),
            None => format!(
                "lr {lr}: {v}, the loss went from {} to {} ({} test accuracy).",
                fmt(first),
                fmt(last),
                pct(f.test_acc())
            ),
        });
        runs.push((format!("lr {lr}"), f));
    }
    let chart = loss_chart("training loss per iteration", &runs, 5, true);
    let caption = "Training loss per iteration (log scale); a curve that stops early diverged.";
    figure(ctx, &mut report, "loss.png", &[chart], caption)?;
    Ok(report)
}
