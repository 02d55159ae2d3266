//! Pieces the experiments share: a training budget, the usual charts of several variants and a
//! ranking sentence.

use crate::lab::fit::{EpochPoint, FitConfig, Fitted};
use crate::lab::plots::{Chart, Series, charts};
use crate::lab::report::pct;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;
use crate::regularization::Regularization;
use crate::schedule::ScheduleConfig;

/// `epochs` of batches of `batch` with `optimizer` at a constant `lr`, no penalty.
pub fn budget(
    epochs: usize,
    batch: usize,
    optimizer: OptimizerConfig,
    lr: f64,
    seed: u64,
) -> FitConfig {
    FitConfig {
        epochs,
        batch,
        optimizer,
        schedule: ScheduleConfig::constant(lr),
        reg: Regularization::none(),
        seed,
    }
}

/// A moving average of `values` over `window` points, as `(index, mean)` pairs.
pub fn smooth(values: &[f64], window: usize) -> Vec<(f64, f64)> {
    let window = window.max(1);
    let mut out = Vec::with_capacity(values.len());
    let mut sum = 0.0;
    for (i, &v) in values.iter().enumerate() {
        sum += v;
        if i >= window {
            sum -= values[i - window];
        }
        let n = (i + 1).min(window) as f64;
        out.push((i as f64, sum / n));
    }
    out
}

/// The training loss per iteration of every run (moving average over `window` steps).
pub fn loss_chart<M>(
    title: &str,
    runs: &[(String, &Fitted<M>)],
    window: usize,
    log_y: bool,
) -> Chart {
    Chart {
        title: title.to_string(),
        x_label: "iteration".into(),
        y_label: format!("training loss (moving avg {window})"),
        log_y,
        series: runs
            .iter()
            .map(|(name, f)| Series::new(name.clone(), smooth(&f.iter_loss, window)))
            .collect(),
    }
}

/// `training.png`: every run's training loss per iteration (moving average over 20 steps, log
/// scale with `log_y`) beside its test accuracy per epoch, added to `report` with `caption`.
pub fn training_curves<M>(
    ctx: &Ctx,
    report: &mut Report,
    runs: &[(String, &Fitted<M>)],
    log_y: bool,
    caption: &str,
) -> Result<(), LabError> {
    let pair = [
        loss_chart("training loss", runs, 20, log_y),
        epoch_chart("test accuracy", "accuracy", runs, |p| p.test_acc),
    ];
    charts(&ctx.path("training.png"), &pair, 2)?;
    report.picture("training.png", caption);
    Ok(())
}

/// One per-epoch measurement of every run.
pub fn epoch_chart<M>(
    title: &str,
    y_label: &str,
    runs: &[(String, &Fitted<M>)],
    value: impl Fn(&EpochPoint) -> f64,
) -> Chart {
    Chart {
        title: title.to_string(),
        x_label: "epoch".into(),
        y_label: y_label.to_string(),
        log_y: false,
        series: runs
            .iter()
            .map(|(name, f)| {
                Series::new(
                    name.clone(),
                    f.epochs
                        .iter()
                        .map(|p| (p.epoch as f64, value(p)))
                        .collect(),
                )
            })
            .collect(),
    }
}

/// `"a 97.1 %, b 95.0 %, …"`, best first.
pub fn ranking(items: &[(String, f64)]) -> String {
    let mut sorted = items.to_vec();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
    sorted
        .iter()
        .map(|(k, v)| format!("{k} {}", pct(*v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Mean of the last `n` values (all when fewer).
pub fn tail_mean(values: &[f64], n: usize) -> f64 {
    let tail = &values[values.len().saturating_sub(n)..];
    tail.iter().sum::<f64>() / tail.len().max(1) as f64
}

/// Mean of the first `n` values (all when fewer).
pub fn head_mean(values: &[f64], n: usize) -> f64 {
    let head = &values[..n.min(values.len())];
    head.iter().sum::<f64>() / head.len().max(1) as f64
}
