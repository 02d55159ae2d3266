//! `batch-size`: batch 1, 32, 256 and the whole training subset under the same number of epochs
//! and learning rate: curves against epochs and against wall time, and the sharpness of each
//! final model (mean loss increase under small random weight perturbations). Keskar, Mudigere,
//! Nocedal, Smelyanskiy & Tang 2017, "On large-batch training for deep learning: generalization
//! gap and sharp minima" (ICLR); Masters & Luschi 2018, "Revisiting small batch training".

use super::common::{budget, epoch_chart};
use crate::lab::fit::{Fitted, fit};
use crate::lab::mlp::MlpSpec;
use crate::lab::plots::{Chart, Series, charts};
use crate::lab::probe::sharpness;
use crate::lab::report::{fmt, pct};
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;

/// Relative size of the weight perturbation of the sharpness measure.
pub const EPS: f64 = 0.25;

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(5000, 1000), ctx.size(5000, 1000))?;
    let epochs = ctx.epochs(10, 3);
    let lr = 0.02;
    let n = data.train.len();
    let mut report = Report::new(
        "batch-size",
        "Small batches are noisy but make progress every step; a large batch converges to sharper minima.",
    );
    report.references = vec![
        "Keskar, Mudigere, Nocedal, Smelyanskiy & Tang 2017, On large-batch training for deep learning: generalization gap and sharp minima, ICLR".into(),
        "Masters & Luschi 2018, Revisiting small batch training for deep neural networks".into(),
    ];
    report.setup(
        "data",
        format!(
            "{}: {n} training / {} test images",
            data.name,
            data.test.len()
        ),
    );
    report.setup(
        "network",
        "2 hidden ReLU layers of 128 units, He initialisation",
    );
    report.setup("training", format!("{epochs} epochs, plain SGD lr {lr} for every batch size (so a larger batch takes fewer, less noisy steps)"));
    report.setup("sharpness", format!("mean training-loss increase over 10 draws of Gaussian weight noise of {EPS} × each matrix's RMS"));
    report.columns = [
        "batch",
        "steps",
        "wall s",
        "train loss",
        "train acc",
        "test acc",
        "sharpness",
    ]
    .map(String::from)
    .to_vec();
    let spec = MlpSpec::new(data.train.dim, 128, 2, data.classes);
    let mut runs = Vec::new();
    for batch in [1, 32, 256, n] {
        let label = if batch == n {
            format!("full ({n})")
        } else {
            batch.to_string()
        };
        let f = fit(
            &spec,
            &data,
            &budget(epochs, batch, OptimizerConfig::sgd(), lr, ctx.opts.seed),
            &ctx.device,
        )?;
        write_variant(ctx, &format!("batch-{batch}"), &f)?;
        let sharp = sharpness(&f.model, &spec, &data.train, EPS, 10, ctx.opts.seed);
        let last = f.last().copied();
        let key = if batch == n {
            "full".to_string()
        } else {
            batch.to_string()
        };
        report.number(format!("{key}/sharpness"), sharp);
        report.number(format!("{key}/test_acc"), f.test_acc());
        report.number(
            format!("{key}/seconds"),
            last.map_or(f64::NAN, |p| p.seconds),
        );
        report.number(
            format!("{key}/train_loss"),
            last.map_or(f64::NAN, |p| p.train_eval_loss),
        );
        report.rows.push(vec![
            label.clone(),
            f.iter_loss.len().to_string(),
            last.map_or("-".into(), |p| format!("{:.2}", p.seconds)),
            last.map_or("-".into(), |p| fmt(p.train_eval_loss)),
            last.map_or("-".into(), |p| pct(p.train_acc)),
            pct(f.test_acc()),
            fmt(sharp),
        ]);
        runs.push((format!("batch {label}"), f));
    }
    let refs: Vec<(String, &Fitted)> = runs.iter().map(|(n, f)| (n.clone(), f)).collect();
    let by_time = Chart {
        title: "test accuracy against wall time".into(),
        x_label: "seconds".into(),
        y_label: "accuracy".into(),
        log_y: false,
        series: refs
            .iter()
            .map(|(n, f)| {
                Series::new(
                    n.clone(),
                    f.epochs.iter().map(|p| (p.seconds, p.test_acc)).collect(),
                )
            })
            .collect(),
    };
    charts(
        &ctx.path("curves.png"),
        &[
            epoch_chart("training loss (evaluation mode)", "loss", &refs, |p| {
                p.train_eval_loss
            }),
            epoch_chart("test accuracy", "accuracy", &refs, |p| p.test_acc),
            by_time,
        ],
        3,
    )?;
    report.picture("curves.png", "Training loss and test accuracy against epochs, and test accuracy against wall time (evaluation time included, the same for every batch size).");
    let numbers = report.numbers.clone();
    let g = |k: &str| numbers.get(k).copied().unwrap_or(f64::NAN);
    report.conclusions = vec![
        format!(
            "After {epochs} epochs at lr {lr}: test accuracy {} (batch 1), {} (32), {} (256), {} (full batch); the epochs took {:.2} s, {:.2} s, {:.2} s, {:.2} s.",
            pct(g("1/test_acc")),
            pct(g("32/test_acc")),
            pct(g("256/test_acc")),
            pct(g("full/test_acc")),
            g("1/seconds"),
            g("32/seconds"),
            g("256/seconds"),
            g("full/seconds")
        ),
        format!(
            "Sharpness (loss increase under {EPS}× RMS weight noise): {} (batch 1), {} (32), {} (256), {} (full batch).",
            fmt(g("1/sharpness")),
            fmt(g("32/sharpness")),
            fmt(g("256/sharpness")),
            fmt(g("full/sharpness"))
        ),
    ];
    Ok(report)
}
