//! `dropout`: p = 0, 0.25 and 0.5 on a network that overfits a small training subset: the
//! train/test gap over the epochs. Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov
//! 2014, "Dropout: a simple way to prevent neural networks from overfitting" (JMLR).

use super::common::{epoch_chart, figure, fit_variant, momentum};
use crate::lab::mlp::MlpSpec;
use crate::lab::report::{fmt, pct};
use crate::lab::{Ctx, LabError, Report};

/// The lecture's claim under test.
const CLAIM: &str =
    "Dropout narrows the gap between training and test accuracy of a network that overfits.";

/// The papers the experiment draws on.
const REFERENCES: [&str; 1] = [
    "Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov 2014, Dropout: a simple way to prevent neural networks from overfitting, JMLR",
];

/// The dropout probabilities compared.
pub const RATES: [f64; 3] = [0.0, 0.25, 0.5];

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(2000, 1000), ctx.size(5000, 2000))?;
    let epochs = ctx.epochs(60, 20);
    let width = ctx.size(1024, 512);
    let mut report = Report::new("dropout", CLAIM).cite(&REFERENCES);
    report.setup(
        "data",
        format!("{} (a subset small enough to overfit)", data.describe()),
    );
    report.setup(
        "network",
        format!(
            "2 hidden ReLU layers of {width} units, He initialisation, inverted dropout after each"
        ),
    );
    report.setup(
        "training",
        format!("{epochs} epochs, batch 32, SGD momentum 0.9, lr 0.02"),
    );
    let cfg = momentum(ctx, epochs, 32, 0.02);
    let mut runs = Vec::new();
    for p in RATES {
        let spec = MlpSpec {
            dropout: p,
            ..MlpSpec::new(data.train.dim, width, 2, data.classes)
        };
        let f = fit_variant(ctx, &format!("p{p}"), &spec, &data, &cfg)?;
        let (train, test) = f.final_accs();
        let max_gap = f
            .epochs
            .iter()
            .map(|e| e.train_acc - e.test_acc)
            .fold(f64::MIN, f64::max);
        let train_loss = f.final_value(|e| e.train_eval_loss);
        let test_loss = f.final_value(|e| e.test_loss);
        let first = f.epochs.first().map_or(f64::NAN, |e| e.train_loss);
        report
            .row(format!("p{p}"))
            .number("first_epoch_train_loss", first)
            .number("train_acc", train)
            .number("test_acc", test)
            .number("gap", train - test)
            .number("max_gap", max_gap)
            .number("loss_gap", test_loss - train_loss)
            .text("p", format!("{p}"))
            .pct("train acc", train)
            .pct("test acc", test)
            .pct("accuracy gap", train - test)
            .pct("largest accuracy gap", max_gap)
            .fmt("train loss", train_loss)
            .fmt("test loss", test_loss)
            .fmt("loss gap", test_loss - train_loss)
            .end();
        runs.push((format!("p = {p}"), f));
    }
    let panels = [
        epoch_chart("train − test accuracy", "gap", &runs, |e| {
            e.train_acc - e.test_acc
        }),
        epoch_chart(
            "test − train loss (evaluation mode)",
            "loss gap",
            &runs,
            |e| e.test_loss - e.train_eval_loss,
        ),
        epoch_chart("test accuracy", "accuracy", &runs, |e| e.test_acc),
    ];
    figure(
        ctx,
        &mut report,
        "gap.png",
        &panels,
        "Train/test accuracy gap, test/train loss gap (both splits in evaluation mode) and test accuracy per epoch.",
    )?;
    let rates = ["p0", "p0.25", "p0.5"];
    let [gap0, gap1, gap2] = report.each(rates, "gap", pct);
    let [acc0, acc1, acc2] = report.each(rates, "test_acc", pct);
    let [loss0, loss1, loss2] = report.each(rates, "loss_gap", fmt);
    let [max0, max1, max2] = report.each(rates, "max_gap", pct);
    let g = |k: &str| report.get(k);
    let narrowed = g("p0.5/gap") < g("p0/gap") && g("p0.25/gap") < g("p0/gap");
    let verb = if narrowed {
        "narrowed"
    } else {
        "did not consistently narrow"
    };
    report.conclusions = vec![
        format!(
            "After {epochs} epochs the train/test accuracy gap is {gap0} without dropout, {gap1} with p = 0.25 and {gap2} with p = 0.5 (test accuracy {acc0}, {acc1}, {acc2})."
        ),
        format!(
            "The test loss exceeds the training loss by {loss0} without dropout, {loss1} with p = 0.25 and {loss2} with p = 0.5."
        ),
        format!(
            "So at this size dropout {verb} the accuracy gap (largest gap over the epochs: {max0}, {max1}, {max2})."
        ),
    ];
    Ok(report)
}
