//! `learning-rate`: one network trained with plain SGD at a too small, a good and a too large
//! learning rate. A run whose loss leaves every bound is a result ("diverged at iteration i"),
//! not an error. (LeCun, Bottou, Orr & Müller 1998, "Efficient BackProp"; Bengio 2012,
//! "Practical recommendations for gradient-based training of deep architectures".)

use super::common::{budget, head_mean, loss_chart, tail_mean};
use crate::lab::fit::{Fitted, fit};
use crate::lab::mlp::MlpSpec;
use crate::lab::plots::charts;
use crate::lab::report::{fmt, pct};
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;

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
    let mut report = Report::new(
        "learning-rate",
        "A learning rate too small barely moves the loss, a good one converges, one too large makes it explode.",
    );
    report.references = vec![
        "LeCun, Bottou, Orr & Müller 1998, Efficient BackProp".into(),
        "Bengio 2012, Practical recommendations for gradient-based training of deep architectures"
            .into(),
    ];
    report.setup("data", data.describe());
    report.setup(
        "network",
        "2 hidden ReLU layers of 256 units, He initialisation",
    );
    report.setup("training", format!("{epochs} epoch(s), batch 64, plain SGD; a loss above 50 or not finite stops the run (diverged)"));
    report.columns = [
        "learning rate",
        "first loss",
        "last loss",
        "verdict",
        "test acc",
    ]
    .map(String::from)
    .to_vec();
    let spec = MlpSpec::new(data.train.dim, 256, 2, data.classes);
    let mut runs = Vec::new();
    let mut sentences = Vec::new();
    for (key, lr) in RATES {
        let f = fit(
            &spec,
            &data,
            &budget(epochs, 64, OptimizerConfig::sgd(), lr, ctx.opts.seed),
            &ctx.device,
        )?;
        write_variant(ctx, &format!("lr-{lr}"), &f)?;
        let (first, last) = (head_mean(&f.iter_loss, 10), tail_mean(&f.iter_loss, 10));
        let v = verdict(&f);
        report.number(format!("{key}/first_loss"), first);
        report.number(format!("{key}/last_loss"), last);
        report.number(
            format!("{key}/diverged"),
            f64::from(u8::from(f.diverged_at.is_some())),
        );
        report.number(format!("{key}/test_acc"), f.test_acc());
        report.rows.push(vec![
            format!("{lr}"),
            fmt(first),
            fmt(last),
            v.into(),
            pct(f.test_acc()),
        ]);
        sentences.push(match f.diverged_at {
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
    let refs: Vec<(String, &Fitted)> = runs.iter().map(|(n, f)| (n.clone(), f)).collect();
    charts(
        &ctx.path("loss.png"),
        &[loss_chart("training loss per iteration", &refs, 5, true)],
        1,
    )?;
    report.picture(
        "loss.png",
        "Training loss per iteration (log scale); a curve that stops early diverged.",
    );
    report.conclusions = sentences;
    Ok(report)
}
