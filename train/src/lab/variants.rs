//! One run folder per trained variant, `variants/<variant>/`, holding what an ordinary run's folder
//! holds for the experiment's small network: `config.json` (experiment, variant, data, seed,
//! budget, optimiser, schedule, penalty), `metrics.csv` (epoch, train loss, train and test accuracy,
//! test loss, learning rate, seconds), `iterations.csv` (the loss of every step), `model.bpk` (the
//! trained weights, Burn's burnpack record, loadable with [`crate::load::load_weights`] into the
//! same network), `summary.json`, `curves.png` and a self-contained `report.html`. Every file is
//! written atomically, so a variant folder is never half written.

use std::fmt::Write as _;
use std::path::Path;

use burn::module::Module;
use serde::Serialize;

use super::Ctx;
use super::error::LabError;
use super::fit::{EpochPoint, FitConfig, Fitted};
use super::html;
use super::plots::{Chart, Series, charts};

/// The files of a variant's folder.
pub const FILES: [&str; 8] = [
    "config.json",
    "metrics.csv",
    "iterations.csv",
    "model.bpk",
    "summary.json",
    "curves.png",
    "report.html",
    "network.txt",
];

/// A folder-safe form of a variant's name.
pub fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `config.json` of a variant.
#[derive(Debug, Serialize)]
struct VariantConfig<'a> {
    experiment: String,
    variant: &'a str,
    dataset: Option<&'a str>,
    seed: u64,
    quick: bool,
    backend: String,
    fit: Option<&'a FitConfig>,
}

/// `summary.json` of a variant.
#[derive(Debug, Serialize)]
struct VariantSummary<'a> {
    variant: &'a str,
    epochs: usize,
    parameters: usize,
    train_accuracy: Option<f64>,
    test_accuracy: Option<f64>,
    train_loss: Option<f64>,
    test_loss: Option<f64>,
    /// The 0-based step at which the loss diverged.
    diverged_at: Option<usize>,
    training_seconds: f64,
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), LabError> {
    data::write_atomic(path, bytes).map_err(|e| LabError::Config(e.to_string()))
}

fn json<T: Serialize>(value: &T) -> Result<String, LabError> {
    serde_json::to_string_pretty(value).map_err(|e| LabError::Config(e.to_string()))
}

/// Writes the run folder `variants/<variant>/` of `fitted`, trained under `fit` (when the
/// experiment trained it with one budget).
pub fn write_variant<M: Module + std::fmt::Display>(
    ctx: &Ctx,
    variant: &str,
    fit: Option<&FitConfig>,
    fitted: &Fitted<M>,
) -> Result<(), LabError> {
    let dir = ctx.dir.join("variants").join(slug(variant));
    std::fs::create_dir_all(&dir).map_err(LabError::io(&dir))?;
    let experiment = ctx
        .dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let config = VariantConfig {
        experiment: experiment.clone(),
        variant,
        dataset: ctx.opts.dataset.as_deref(),
        seed: ctx.opts.seed,
        quick: ctx.opts.quick,
        backend: ctx.opts.backend.to_string(),
        fit,
    };
    write(&dir.join("config.json"), json(&config)?.as_bytes())?;
    write(&dir.join("metrics.csv"), metrics_csv(fitted).as_bytes())?;
    let mut iters = String::from("iteration,loss\n");
    for (i, l) in fitted.iter_loss.iter().enumerate() {
        let _ = writeln!(iters, "{i},{l}");
    }
    write(&dir.join("iterations.csv"), iters.as_bytes())?;
    let weights = dir.join("model.bpk");
    let bytes = crate::checkpoint::checkpoint_bytes(fitted.model.clone().into_record(), &weights)
        .map_err(|e| LabError::Config(e.to_string()))?;
    write(&weights, &bytes)?;
    write(
        &dir.join("network.txt"),
        format!("{}\n", fitted.model).as_bytes(),
    )?;
    let last = fitted.last();
    let summary = VariantSummary {
        variant,
        epochs: fitted.epochs.len(),
        parameters: fitted.model.num_params(),
        train_accuracy: last.map(|p| p.train_acc),
        test_accuracy: last.map(|p| p.test_acc),
        train_loss: last.map(|p| p.train_loss),
        test_loss: last.map(|p| p.test_loss),
        diverged_at: fitted.diverged_at,
        training_seconds: last.map_or(0.0, |p| p.seconds),
    };
    let summary_json = json(&summary)?;
    write(&dir.join("summary.json"), summary_json.as_bytes())?;
    let curves = dir.join("curves.png");
    draw_curves(&curves, fitted)?;
    let mut page = html::page_start(&format!("{experiment}: variant {variant}"));
    page.push_str(&format!(
        "<p>One variant of the experiment <code>{}</code>; the comparison is in <a href=\"../../report.html\">its report</a>.</p>\n",
        html::escape(&experiment)
    ));
    page.push_str(&html::figure(&curves, "Loss and accuracy per epoch")?);
    page.push_str("<h2>Summary</h2>\n<pre>");
    page.push_str(&html::escape(&summary_json));
    page.push_str("</pre>\n<h2>Configuration</h2>\n<pre>");
    page.push_str(&html::escape(&json(&config)?));
    page.push_str("</pre>\n</body>\n</html>\n");
    write(&dir.join("report.html"), page.as_bytes())
}

fn metrics_csv<M>(fitted: &Fitted<M>) -> String {
    let mut metrics =
        String::from("epoch,train_loss,train_eval_loss,train_acc,test_loss,test_acc,lr,seconds\n");
    for p in &fitted.epochs {
        let _ = writeln!(
            metrics,
            "{},{},{},{},{},{},{},{:.3}",
            p.epoch,
            p.train_loss,
            p.train_eval_loss,
            p.train_acc,
            p.test_loss,
            p.test_acc,
            p.lr,
            p.seconds
        );
    }
    metrics
}

fn draw_curves<M>(path: &Path, fitted: &Fitted<M>) -> Result<(), LabError> {
    type Value = fn(&EpochPoint) -> f64;
    let chart = |title: &str, y_label: &str, train: Value, test: Value| {
        let series = |name: &str, value: Value| {
            let points = fitted.epochs.iter().map(|p| (p.epoch as f64, value(p)));
            Series::new(name, points.collect())
        };
        Chart::new(
            title,
            "epoch",
            y_label,
            vec![series("train", train), series("test", test)],
        )
    };
    let loss = chart(
        "Loss",
        "cross-entropy",
        |p| p.train_eval_loss,
        |p| p.test_loss,
    );
    let acc = chart("Accuracy", "accuracy", |p| p.train_acc, |p| p.test_acc);
    charts(path, &[loss, acc], 2)
}
