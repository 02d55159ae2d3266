//! `dropout`: p = 0, 0.25 and 0.5 on a network that overfits a small training subset: the
//! train/test gap over the epochs. Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov
//! 2014, "Dropout: a simple way to prevent neural networks from overfitting" (JMLR).

use super::common::{budget, epoch_chart};
use crate::lab::fit::{Fitted, fit};
use crate::lab::mlp::MlpSpec;
use crate::lab::plots::charts;
use crate::lab::report::pct;
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;

/// The dropout probabilities compared.
pub const RATES: [f64; 3] = [0.0, 0.25, 0.5];

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(1000, 300), ctx.size(2000, 500))?;
    let epochs = ctx.epochs(40, 15);
    let width = ctx.size(512, 256);
    let mut report = Report::new(
        "dropout",
        "Dropout narrows the gap between training and test accuracy of a network that overfits.",
    );
    report.references = vec!["Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov 2014, Dropout: a simple way to prevent neural networks from overfitting, JMLR".into()];
    report.setup(
        "data",
        format!(
            "{}: {} training / {} test images (a subset small enough to overfit)",
            data.name,
            data.train.len(),
            data.test.len()
        ),
    );
    report.setup(
        "network",
        format!(
            "2 hidden ReLU layers of {width} units, He initialisation, inverted dropout after each"
        ),
    );
    report.setup(
        "training",
        format!("{epochs} epochs, batch 32, SGD momentum 0.9, lr 0.01"),
    );
    report.columns = ["p", "train acc", "test acc", "gap (final)", "largest gap"]
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
                0.01,
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
        report.number(format!("p{p}/gap"), train - test);
        report.number(format!("p{p}/train_acc"), train);
        report.number(format!("p{p}/test_acc"), test);
        report.rows.push(vec![
            format!("{p}"),
            pct(train),
            pct(test),
            pct(train - test),
            pct(max_gap),
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
            epoch_chart("test accuracy", "accuracy", &refs, |e| e.test_acc),
        ],
        2,
    )?;
    report.picture(
        "gap.png",
        "Train/test accuracy gap and test accuracy per epoch.",
    );
    let numbers = report.numbers.clone();
    let g = |k: &str| numbers.get(k).copied().unwrap_or(f64::NAN);
    report.conclusions = vec![format!(
        "After {epochs} epochs the train/test gap is {} without dropout, {} with p = 0.25 and {} with p = 0.5 (test accuracy {}, {}, {}).",
        pct(g("p0/gap")),
        pct(g("p0.25/gap")),
        pct(g("p0.5/gap")),
        pct(g("p0/test_acc")),
        pct(g("p0.25/test_acc")),
        pct(g("p0.5/test_acc"))
    )];
    Ok(report)
}
