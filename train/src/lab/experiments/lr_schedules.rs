//! `lr-schedules`: constant, step, exponential, time-based and cosine learning rates under one
//! budget (same start, same number of iterations; the decaying ones end at 1 % of the start):
//! loss and accuracy curves. Cosine: Loshchilov & Hutter 2017 (SGDR); step decay: Krizhevsky et
//! al. 2012, He et al. 2016; exponential and time-based decay: Bengio 2012.

use super::common::{budget, epoch_chart, loss_chart, ranking};
use crate::lab::fit::{Fitted, fit};
use crate::lab::mlp::MlpSpec;
use crate::lab::plots::{Chart, Series, charts};
use crate::lab::report::{fmt, pct};
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;
use crate::schedule::{ScheduleConfig, lr_at_iteration};

/// The starting learning rate.
pub const LR0: f64 = 0.05;

/// The five schedules over `total` iterations.
pub fn schedules(total: u64) -> [(&'static str, ScheduleConfig); 5] {
    let t = total.max(1) as f64;
    [
        ("constant", ScheduleConfig::constant(LR0)),
        ("step", ScheduleConfig::step(LR0, 0.1, (total / 2).max(1))),
        (
            "exponential",
            ScheduleConfig::exponential(LR0, 100f64.ln() / t),
        ),
        ("time-based", ScheduleConfig::time_based(LR0, 99.0 / t)),
        ("cosine", ScheduleConfig::cosine(LR0, 0.0, total.max(1))),
    ]
}

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(20000, 2000), ctx.size(5000, 1000))?;
    let epochs = ctx.epochs(10, 2);
    let batch = 64;
    let total = (data.train.len().div_ceil(batch) * epochs) as u64;
    let mut report = Report::new(
        "lr-schedules",
        "Decaying the learning rate lets SGD settle into a minimum that a constant rate keeps bouncing around.",
    );
    report.references = vec![
        "Loshchilov & Hutter 2017, SGDR: stochastic gradient descent with warm restarts, ICLR"
            .into(),
        "Bengio 2012, Practical recommendations for gradient-based training of deep architectures"
            .into(),
    ];
    report.setup("data", data.describe());
    report.setup(
        "network",
        "2 hidden ReLU layers of 256 units, He initialisation",
    );
    report.setup("training", format!("{epochs} epochs = {total} iterations, batch {batch}, SGD momentum 0.9, lr0 {LR0}; step ×0.1 at half-time; exponential and time-based end at lr0/100; cosine anneals to 0"));
    report.columns = [
        "schedule",
        "last lr",
        "final train loss (last 50 steps)",
        "test acc",
    ]
    .map(String::from)
    .to_vec();
    let spec = MlpSpec::new(data.train.dim, 256, 2, data.classes);
    let mut runs = Vec::new();
    let mut lr_series = Vec::new();
    let mut accs = Vec::new();
    let per_epoch = data.train.len().div_ceil(batch) as u64;
    for (name, schedule) in schedules(total) {
        let mut cfg = budget(
            epochs,
            batch,
            OptimizerConfig::momentum(0.9),
            LR0,
            ctx.opts.seed,
        );
        cfg.schedule = schedule;
        let f = fit(&spec, &data, &cfg, &ctx.device)?;
        write_variant(ctx, name, &f)?;
        let loss = super::common::tail_mean(&f.iter_loss, 50);
        let last_lr = lr_at_iteration(&schedule, total.saturating_sub(1), per_epoch);
        report.number(format!("{name}/test_acc"), f.test_acc());
        report.number(format!("{name}/final_loss"), loss);
        report.rows.push(vec![
            name.into(),
            fmt(last_lr),
            fmt(loss),
            pct(f.test_acc()),
        ]);
        accs.push((name.to_string(), f.test_acc()));
        lr_series.push(Series::new(
            name,
            (0..total)
                .step_by(((total / 200).max(1)) as usize)
                .map(|i| (i as f64, lr_at_iteration(&schedule, i, per_epoch)))
                .collect(),
        ));
        runs.push((name.to_string(), f));
    }
    let refs: Vec<(String, &Fitted)> = runs.iter().map(|(n, f)| (n.clone(), f)).collect();
    charts(
        &ctx.path("curves.png"),
        &[
            Chart {
                title: "learning rate".into(),
                x_label: "iteration".into(),
                y_label: "lr".into(),
                log_y: false,
                series: lr_series,
            },
            loss_chart("training loss", &refs, 50, true),
            epoch_chart("test accuracy", "accuracy", &refs, |p| p.test_acc),
        ],
        3,
    )?;
    report.picture(
        "curves.png",
        "Learning rate, training loss (log scale) and test accuracy of each schedule.",
    );
    let mut losses: Vec<(String, f64)> = runs
        .iter()
        .map(|(n, f)| (n.clone(), super::common::tail_mean(&f.iter_loss, 50)))
        .collect();
    losses.sort_by(|a, b| a.1.total_cmp(&b.1));
    let loss_list: Vec<String> = losses
        .iter()
        .map(|(n, l)| format!("{n} {}", fmt(*l)))
        .collect();
    report.conclusions = vec![
        format!(
            "Test accuracy after {total} iterations, best first: {}.",
            ranking(&accs)
        ),
        format!(
            "Training loss over the last 50 iterations, lowest first: {}.",
            loss_list.join(", ")
        ),
    ];
    Ok(report)
}
