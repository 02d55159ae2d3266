//! `lr-schedules`: constant, step, exponential, time-based and cosine learning rates under one
//! budget (same start, same number of iterations; the decaying ones end at 1 % of the start):
//! loss and accuracy curves. Cosine: Loshchilov & Hutter 2017 (SGDR); step decay: Krizhevsky et
//! al. 2012, He et al. 2016; exponential and time-based decay: Bengio 2012.

use super::common::{
    epoch_chart, figure, fit_variant, loss_chart, momentum, ranking_of, tail_mean,
};
use crate::lab::fit::FitConfig;
use crate::lab::mlp::MlpSpec;
use crate::lab::plots::{Chart, Series};
use crate::lab::report::fmt;
use crate::lab::{Ctx, LabError, Report};
use crate::schedule::{ScheduleConfig, lr_at_iteration};

/// The lecture's claim under test.
const CLAIM: &str = "Decaying the learning rate lets SGD settle into a minimum that a constant rate keeps bouncing around.";

/// The papers the experiment draws on.
const REFERENCES: [&str; 2] = [
    "Loshchilov & Hutter 2017, SGDR: stochastic gradient descent with warm restarts, ICLR",
    "Bengio 2012, Practical recommendations for gradient-based training of deep architectures",
];

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
    let per_epoch = data.train.len().div_ceil(batch) as u64;
    let total = per_epoch * epochs as u64;
    let mut report = Report::new("lr-schedules", CLAIM).cite(&REFERENCES);
    report.setup("data", data.describe());
    let spec = MlpSpec::new(data.train.dim, 256, 2, data.classes);
    report.setup("network", spec.describe());
    report.setup("training", format!("{epochs} epochs = {total} iterations, batch {batch}, SGD momentum 0.9, lr0 {LR0}; step ×0.1 at half-time; exponential and time-based end at lr0/100; cosine anneals to 0"));
    let mut runs = Vec::new();
    let mut lr_series = Vec::new();
    let lr_at = |schedule: &ScheduleConfig, i: u64| lr_at_iteration(schedule, i, per_epoch);
    for (name, schedule) in schedules(total) {
        let cfg = FitConfig {
            schedule,
            ..momentum(ctx, epochs, batch, LR0)
        };
        let f = fit_variant(ctx, name, &spec, &data, &cfg)?;
        let loss = tail_mean(&f.iter_loss, 50);
        report
            .row(name)
            .number("final_loss", loss)
            .text("schedule", name)
            .fmt("last lr", lr_at(&schedule, total.saturating_sub(1)))
            .fmt("final train loss (last 50 steps)", loss)
            .test_acc(&f)
            .end();
        let steps = (0..total).step_by(((total / 200).max(1)) as usize);
        lr_series.push(Series::new(
            name,
            steps.map(|i| (i as f64, lr_at(&schedule, i))).collect(),
        ));
        runs.push((name.to_string(), f));
    }
    let panels = [
        Chart::new("learning rate", "iteration", "lr", lr_series),
        loss_chart("training loss", &runs, 50, true),
        epoch_chart("test accuracy", "accuracy", &runs, |p| p.test_acc),
    ];
    let caption = "Learning rate, training loss (log scale) and test accuracy of each schedule.";
    figure(ctx, &mut report, "curves.png", &panels, caption)?;
    let mut losses: Vec<(String, f64)> = runs
        .iter()
        .map(|(n, f)| (n.clone(), tail_mean(&f.iter_loss, 50)))
        .collect();
    losses.sort_by(|a, b| a.1.total_cmp(&b.1));
    let loss_list: Vec<String> = losses
        .iter()
        .map(|(n, l)| format!("{n} {}", fmt(*l)))
        .collect();
    report.conclusions = vec![
        format!(
            "Test accuracy after {total} iterations, best first: {}.",
            ranking_of(&runs)
        ),
        format!(
            "Training loss over the last 50 iterations, lowest first: {}.",
            loss_list.join(", ")
        ),
    ];
    Ok(report)
}
