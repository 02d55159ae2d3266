//! The vocabulary the experiments share, so that each experiment file states only what is
//! particular to it (its variants, its measurements, its sentences):
//!
//! - budgets: [`budget`] (any optimiser at a constant rate) and [`momentum`] (SGD with momentum
//!   0.9, the lab's usual rule);
//! - training a variant and writing its `variants/<variant>/` folder in one call:
//!   [`fit_variant`] for the lab's MLP, [`fit_net`] for any other network (built from the seeded
//!   device, so every variant starts from the same draw); [`untrained`] for measurements at
//!   initialisation;
//! - the table and the numbers: [`Report::row`] (one call per variant declares its cells under
//!   their column headers and records its numbers, see [`crate::lab::table`]), read back with
//!   [`Report::get`];
//! - pictures: [`figure`] (charts side by side, written and added to the report),
//!   [`training_curves`] (captions [`CURVES`], [`CURVES_LOG`]), [`loss_chart`], [`epoch_chart`],
//!   [`points_chart`], [`per_layer`];
//! - sentences: [`ranking`], [`ranking_of`], [`tail_mean`], [`head_mean`].
//!
//! The chart helpers take the runs as `(legend, fitted)` pairs, owned or borrowed. A new
//! experiment's loop then reads:
//!
//! ```ignore
//! let cfg = momentum(ctx, epochs, 64, 0.01);
//! let mut runs = Vec::new();
//! for (name, spec) in variants {
//!     let f = fit_variant(ctx, name, &spec, &data, &cfg)?;
//!     let loss = f.final_value(|p| p.train_loss);
//!     report.row(name).text("variant", name).fmt("final train loss", loss).test_acc(&f).end();
//!     runs.push((name.to_string(), f));
//! }
//! training_curves(ctx, &mut report, &runs, false, CURVES)?;
//! let best = format!("Test accuracy, best first: {}.", ranking_of(&runs));
//! report.conclusions.push(best);
//! ```

use std::borrow::Borrow;

use burn::module::Module;
use burn::tensor::Device;

use crate::lab::data::LabData;
use crate::lab::fit::{EpochPoint, FitConfig, Fitted, Forward, fit, fit_with};
use crate::lab::mlp::{Mlp, MlpSpec};
use crate::lab::plots::{Chart, Series, charts};
use crate::lab::report::pct;
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;
use crate::regularization::Regularization;
use crate::schedule::ScheduleConfig;

/// The caption of [`training_curves`] on a linear scale.
pub const CURVES: &str = "Training loss per iteration and test accuracy per epoch.";
/// The caption of [`training_curves`] on a logarithmic loss scale.
pub const CURVES_LOG: &str = "Training loss per iteration (log scale) and test accuracy per epoch.";

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

/// [`budget`] with SGD and momentum 0.9 under the run's seed.
pub fn momentum(ctx: &Ctx, epochs: usize, batch: usize, lr: f64) -> FitConfig {
    budget(
        epochs,
        batch,
        OptimizerConfig::momentum(0.9),
        lr,
        ctx.opts.seed,
    )
}

/// Trains a fresh `spec` network on `data` under `cfg` and writes `variants/<variant>/`.
pub fn fit_variant(
    ctx: &Ctx,
    variant: &str,
    spec: &MlpSpec,
    data: &LabData,
    cfg: &FitConfig,
) -> Result<Fitted, LabError> {
    let fitted = fit(spec, data, cfg, &ctx.device)?;
    write_variant(ctx, variant, Some(cfg), &fitted)?;
    Ok(fitted)
}

/// Seeds the device with the run's seed, builds a network with `build`, trains it with
/// `forward` on `data` under `cfg` and writes `variants/<variant>/`.
pub fn fit_net<M: Module + std::fmt::Display>(
    ctx: &Ctx,
    variant: &str,
    build: impl FnOnce(&Device) -> Result<M, LabError>,
    forward: Forward<M>,
    data: &LabData,
    cfg: &FitConfig,
) -> Result<Fitted<M>, LabError> {
    ctx.device.seed(ctx.opts.seed);
    let net = build(&ctx.device)?;
    let fitted = fit_with(net, forward, data, cfg, &ctx.device)?;
    write_variant(ctx, variant, Some(cfg), &fitted)?;
    Ok(fitted)
}

/// A `spec` network as [`fit_variant`] starts it: the device seeded with the run's seed.
pub fn untrained(ctx: &Ctx, spec: &MlpSpec) -> Mlp {
    ctx.device.seed(ctx.opts.seed);
    spec.init(&ctx.device)
}

/// Draws `panels` side by side into `file` of the experiment's folder and adds the picture to
/// `report` with `caption`.
pub fn figure(
    ctx: &Ctx,
    report: &mut Report,
    file: &str,
    panels: &[Chart],
    caption: &str,
) -> Result<(), LabError> {
    charts(&ctx.path(file), panels, panels.len())?;
    report.picture(file, caption);
    Ok(())
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

/// The first `layers` of `values` (one per layer) as `(layer, value)` points, layer 1 first.
pub fn per_layer(values: &[f64], layers: usize) -> Vec<(f64, f64)> {
    values
        .iter()
        .take(layers)
        .enumerate()
        .map(|(i, v)| ((i + 1) as f64, *v))
        .collect()
}

/// The training loss per iteration of every run (moving average over `window` steps).
pub fn loss_chart<M, F: Borrow<Fitted<M>>>(
    title: &str,
    runs: &[(String, F)],
    window: usize,
    log_y: bool,
) -> Chart {
    let series = runs
        .iter()
        .map(|(name, f)| Series::new(name.clone(), smooth(&f.borrow().iter_loss, window)))
        .collect();
    let y_label = format!("training loss (moving avg {window})");
    Chart::new(title, "iteration", &y_label, series).log_scale(log_y)
}

/// `training.png`: every run's training loss per iteration (moving average over 20 steps, log
/// scale with `log_y`) beside its test accuracy per epoch, added to `report` with `caption`.
pub fn training_curves<M, F: Borrow<Fitted<M>>>(
    ctx: &Ctx,
    report: &mut Report,
    runs: &[(String, F)],
    log_y: bool,
    caption: &str,
) -> Result<(), LabError> {
    let pair = [
        loss_chart("training loss", runs, 20, log_y),
        epoch_chart("test accuracy", "accuracy", runs, |p| p.test_acc),
    ];
    figure(ctx, report, "training.png", &pair, caption)
}

/// One per-epoch measurement of every run.
pub fn epoch_chart<M, F: Borrow<Fitted<M>>>(
    title: &str,
    y_label: &str,
    runs: &[(String, F)],
    value: impl Fn(&EpochPoint) -> f64,
) -> Chart {
    points_chart(title, "epoch", y_label, runs, |p| {
        (p.epoch as f64, value(p))
    })
}

/// One `(x, y)` point per epoch of every run.
pub fn points_chart<M, F: Borrow<Fitted<M>>>(
    title: &str,
    x_label: &str,
    y_label: &str,
    runs: &[(String, F)],
    point: impl Fn(&EpochPoint) -> (f64, f64),
) -> Chart {
    let series = runs
        .iter()
        .map(|(name, f)| Series::new(name.clone(), f.borrow().epochs.iter().map(&point).collect()))
        .collect();
    Chart::new(title, x_label, y_label, series)
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

/// [`ranking`] of the runs by their final test accuracy ([`Fitted::test_acc`]).
pub fn ranking_of<M, F: Borrow<Fitted<M>>>(runs: &[(String, F)]) -> String {
    let accs: Vec<(String, f64)> = runs
        .iter()
        .map(|(name, f)| (name.clone(), f.borrow().test_acc()))
        .collect();
    ranking(&accs)
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
