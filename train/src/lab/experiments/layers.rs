//! `layers`: fully connected vs locally connected vs convolutional hidden stages on the same task
//! ([`crate::lab::cnn::LayerNet`]): parameters, accuracy, and the lecture's arithmetic for a
//! 200×200 image with 40,000 hidden units (Ranzato's slide in LeCun & Ranzato's 2013 deep-learning
//! tutorial): full connectivity needs 1.6·10⁹ weights, 10×10 local receptive fields 4·10⁶, and 100
//! shared 10×10 filters 10⁴. LeCun et al. 1989 and 1998 (weight sharing); Taigman et al. 2014
//! (locally connected layers, DeepFace).

use burn::module::Module;

use super::common::{budget, epoch_chart, ranking};
use crate::lab::cnn::{LayerNet, MAPS, Stage};
use crate::lab::fit::{Fitted, fit_with};
use crate::lab::plots::charts;
use crate::lab::report::{fmt, pct};
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;

/// Weights of the hidden stage of a 200×200 image with 40,000 hidden units: fully connected,
/// locally connected with 10×10 fields, and 100 convolution filters of 10×10.
pub fn lecture_arithmetic() -> [(&'static str, f64); 3] {
    let (pixels, hidden, field) = (200.0 * 200.0, 40_000.0, 10.0 * 10.0);
    [
        ("fully connected", pixels * hidden),
        ("locally connected, 10×10 fields", hidden * field),
        ("convolutional, 100 filters 10×10", 100.0 * field),
    ]
}

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(10000, 1000), ctx.size(5000, 1000))?;
    let epochs = ctx.epochs(3, 1);
    let side = data.shape[1];
    let lr = 0.01;
    let out = side - 4;
    let mut report = Report::new(
        "layers",
        "Weight sharing cuts the parameters by orders of magnitude without losing accuracy on images.",
    );
    report.references = vec![
        "LeCun, Bottou, Bengio & Haffner 1998, Gradient-based learning applied to document recognition".into(),
        "Taigman, Yang, Ranzato & Wolf 2014, DeepFace (locally connected layers)".into(),
        "Ranzato, in LeCun & Ranzato 2013, Deep learning tutorial, ICML (the 200×200 / 40k-unit arithmetic)".into(),
    ];
    report.setup("data", data.describe());
    report.setup("network", format!("hidden stage of {MAPS}×{out}×{out} units (5×5 windows, or all pixels) → ReLU → max pool 2×2 → linear"));
    report.setup(
        "training",
        format!(
            "{epochs} epoch(s), batch 64, SGD momentum 0.9, lr {lr}; Burn's default initialisation"
        ),
    );
    report.columns = [
        "hidden stage",
        "parameters (hidden stage)",
        "parameters (all)",
        "test acc",
    ]
    .map(String::from)
    .to_vec();
    let mut runs = Vec::new();
    let mut accs = Vec::new();
    let head = (MAPS * out * out / 4) * data.classes + data.classes;
    for stage in [Stage::Dense, Stage::Local, Stage::Conv] {
        ctx.device.seed(ctx.opts.seed);
        let net = LayerNet::new(stage, side, data.classes, &ctx.device)?;
        let params = net.num_params();
        let cfg = budget(
            epochs,
            64,
            OptimizerConfig::momentum(0.9),
            lr,
            ctx.opts.seed,
        );
        let f = fit_with(
            net,
            &|m: &LayerNet, x, _| m.forward(x),
            &data,
            &cfg,
            &ctx.device,
        )?;
        write_variant(ctx, stage.name(), &f)?;
        report.number(format!("{}/params", stage.name()), params as f64);
        report.number(format!("{}/test_acc", stage.name()), f.test_acc());
        report.rows.push(vec![
            stage.name().into(),
            (params - head).to_string(),
            params.to_string(),
            pct(f.test_acc()),
        ]);
        accs.push((stage.name().to_string(), f.test_acc()));
        runs.push((stage.name().to_string(), f));
    }
    for (name, weights) in lecture_arithmetic() {
        report.number(format!("lecture/{name}"), weights);
        report.rows.push(vec![
            format!("200×200 image, 40k units: {name}"),
            fmt(weights),
            "-".into(),
            "-".into(),
        ]);
    }
    let refs: Vec<(String, &Fitted<LayerNet>)> = runs.iter().map(|(n, f)| (n.clone(), f)).collect();
    charts(
        &ctx.path("accuracy.png"),
        &[epoch_chart("test accuracy", "accuracy", &refs, |p| {
            p.test_acc
        })],
        1,
    )?;
    report.picture(
        "accuracy.png",
        "Test accuracy per epoch of the three hidden stages.",
    );
    let numbers = report.numbers.clone();
    let g = |k: &str| numbers.get(k).copied().unwrap_or(f64::NAN);
    report.conclusions = vec![
        format!(
            "Same {MAPS}×{out}×{out} hidden units: {} parameters fully connected, {} locally connected, {} convolutional (whole networks), with test accuracy {}, {}, {}.",
            g("fully connected/params"),
            g("locally connected/params"),
            g("convolutional/params"),
            pct(g("fully connected/test_acc")),
            pct(g("locally connected/test_acc")),
            pct(g("convolutional/test_acc"))
        ),
        format!(
            "For a 200×200 image and 40,000 hidden units: {} weights fully connected, {} with 10×10 local fields, {} for 100 shared 10×10 filters.",
            fmt(g("lecture/fully connected")),
            fmt(g("lecture/locally connected, 10×10 fields")),
            fmt(g("lecture/convolutional, 100 filters 10×10"))
        ),
        format!(
            "Test accuracy after {epochs} epoch(s), best first: {}.",
            ranking(&accs)
        ),
    ];
    Ok(report)
}
