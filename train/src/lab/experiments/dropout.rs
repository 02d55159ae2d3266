//! `dropout`: p = 0, 0.25 and 0.5 on a network that overfits a small training subset: the
//! train/test gap over the epochs. Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov
//! 2014, "Dropout: a simple way to prevent neural networks from overfitting" (JMLR).

use super::common::{budget, epoch_chart};
use crate::lab::fit::{Fitted, fit};
use crate::lab::mlp::MlpSpec;
use crate::lab::plots::charts;
use crate::lab::report::{fmt, pct};
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;

/// The dropout probabilities compared.
pub const RATES: [f64; 3] = [0.0, 0.25, 0.5];

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(2000, 1000), ctx.size(5000, 2000))?;
    let epochs = ctx.epochs(60, 20);
    let width = ctx.size(1024, 512);
    let mut report = Report::new(
        "dropout",
        "Dropout narrows the gap between training and test accuracy of a network that overfits.",
    );
    report.references = vec!["Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov 2014, Dropout: a simple way to prevent neural networks from overfitting, JMLR".into()];
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
    report.columns = [
        "p",
        "train acc",
        "test acc",
        "accuracy gap",
        "largest accuracy gap",
        "train loss",
        "test loss",
        "loss gap",
    ]
    .map(String::from)
    .to_vec();
    let mut runs = Vec::new();
    for p in RATES {
        let spec = MlpSpec {
            dropout: p,
            ..MlpSpec::new(data.train.dim, width, 2, data.classes)
        };
        let f = fit(
            &spec,
            &data,
            &budget(
                epochs,
                32,
                OptimizerConfig::momentum(0.9),
                0.02,
                ctx.opts.seed,
            ),
            &ctx.device,
        )?;
        write_variant(ctx, &format!("p{p}"), &f)?;
        let (train, test) = f.last().map_or((0.0, 0.0), |e| (e.train_acc, e.test_acc));
        let max_gap = f
            .epochs
            .iter()
            .map(|e| e.train_acc - e.test_acc)
            .fold(f64::MIN, f64::max);
        let (train_loss, test_loss) = f
            .last()
            .map_or((f64::NAN, f64::NAN), |e| (e.train_eval_loss, e.test_loss));
        report.number(format!("p{p}/loss_gap"), test_loss - train_loss);
        report.number(format!("p{p}/max_gap"), max_gap);
        let first = f.epochs.first().map_or(f64::NAN, |e| e.train_loss);
        report.number(format!("p{p}/first_epoch_train_loss"), first);
        report.number(format!("p{p}/gap"), train - test);
        report.number(format!("p{p}/train_acc"), train);
        report.number(format!("p{p}/test_acc"), test);
        report.rows.push(vec![
            format!("{p}"),
            pct(train),
            pct(test),
            pct(train - test),
            pct(max_gap),
            fmt(train_loss),
            fmt(test_loss),
            fmt(test_loss - train_loss),
        ]);
        runs.push((format!("p = {p}"), f));
    }
    let refs: Vec<(String, &Fitted)> = runs.iter().map(|(n, f)| (n.clone(), f)).collect();
    charts(
        &ctx.path("gap.png"),
        &[
            epoch_chart("train − test accuracy", "gap", &refs, |e| {
                e.train_acc - e.test_acc
            }),
            epoch_chart(
                "test − train loss (evaluation mode)",
                "loss gap",
                &refs,
                |e| e.test_loss - e.train_eval_loss,
            ),
            epoch_chart("test accuracy", "accuracy", &refs, |e| e.test_acc),
        ],
        3,
    )?;
    report.picture(
        "gap.png",
        "Train/test accuracy gap, test/train loss gap (both splits in evaluation mode) and test accuracy per epoch.",
    );
    let numbers = report.numbers.clone();
    let g = |k: &str| numbers.get(k).copied().unwrap_or(f64::NAN);
    report.conclusions = vec![
        format!(
            "After {epochs} epochs the train/test accuracy gap is {} without dropout, {} with p = 0.25 and {} with p = 0.5 (test accuracy {}, {}, {}).",
            pct(g("p0/gap")),
            pct(g("p0.25/gap")),
            pct(g("p0.5/gap")),
            pct(g("p0/test_acc")),
            pct(g("p0.25/test_acc")),
            pct(g("p0.5/test_acc"))
        ),
        format!(
            "The test loss exceeds the training loss by {} without dropout, {} with p = 0.25 and {} with p = 0.5.",
            fmt(g("p0/loss_gap")),
            fmt(g("p0.25/loss_gap")),
            fmt(g("p0.5/loss_gap"))
        ),
    ];
    let narrowed = g("p0.5/gap") < g("p0/gap") && g("p0.25/gap") < g("p0/gap");
    report.conclusions.push(format!(
        "So at this size dropout {} the accuracy gap (largest gap over the epochs: {}, {}, {}).",
        if narrowed {
            "narrowed"
        } else {
            "did not consistently narrow"
        },
        pct(g("p0/max_gap")),
        pct(g("p0.25/max_gap")),
        pct(g("p0.5/max_gap"))
    ));
    Ok(report)
}
