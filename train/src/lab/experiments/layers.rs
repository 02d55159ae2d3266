//! `layers`: fully connected vs locally connected vs convolutional hidden stages on the same task
//! ([`crate::lab::cnn::LayerNet`]): parameters, accuracy, and the lecture's arithmetic for a
//! 200×200 image with 40,000 hidden units (Ranzato's slide in LeCun & Ranzato's 2013 deep-learning
//! tutorial): full connectivity needs 1.6·10⁹ weights, 10×10 local receptive fields 4·10⁶, and 100
//! shared 10×10 filters 10⁴. LeCun et al. 1989 and 1998 (weight sharing); Taigman et al. 2014
//! (locally connected layers, DeepFace).

use burn::module::Module;

use super::common::{epoch_chart, figure, fit_net, momentum, ranking_of};
use crate::lab::cnn::{LayerNet, MAPS, Stage};
use crate::lab::report::{fmt, pct};
use crate::lab::{Ctx, LabError, Report};

/// The lecture's claim under test.
const CLAIM: &str =
    "Weight sharing cuts the parameters by orders of magnitude without losing accuracy on images.";

/// The papers the experiment draws on.
const REFERENCES: [&str; 3] = [
    "LeCun, Bottou, Bengio & Haffner 1998, Gradient-based learning applied to document recognition",
    "Taigman, Yang, Ranzato & Wolf 2014, DeepFace (locally connected layers)",
    "Ranzato, in LeCun & Ranzato 2013, Deep learning tutorial, ICML (the 200×200 / 40k-unit arithmetic)",
];

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
    let mut report = Report::new("layers", CLAIM).cite(&REFERENCES);
    report.setup("data", data.describe());
    report.setup("network", format!("hidden stage of {MAPS}×{out}×{out} units (5×5 windows, or all pixels) → ReLU → max pool 2×2 → linear"));
    report.setup(
        "training",
        format!(
            "{epochs} epoch(s), batch 64, SGD momentum 0.9, lr {lr}; Burn's default initialisation"
        ),
    );
    let cfg = momentum(ctx, epochs, 64, lr);
    let mut runs = Vec::new();
    let head = (MAPS * out * out / 4) * data.classes + data.classes;
    for stage in [Stage::Dense, Stage::Local, Stage::Conv] {
        let build = |device: &_| LayerNet::new(stage, side, data.classes, device);
        let f = fit_net(
            ctx,
            stage.name(),
            build,
            &|m: &LayerNet, x, _| m.forward(x),
            &data,
            &cfg,
        )?;
        let params = f.model.num_params();
        report
            .row(stage.name())
            .number("params", params as f64)
            .text("hidden stage", stage.name())
            .text("parameters (hidden stage)", (params - head).to_string())
            .text("parameters (all)", params.to_string())
            .test_acc(&f)
            .end();
        runs.push((stage.name().to_string(), f));
    }
    for (name, weights) in lecture_arithmetic() {
        report
            .row("lecture")
            .number(name, weights)
            .text("hidden stage", format!("200×200 image, 40k units: {name}"))
            .fmt("parameters (hidden stage)", weights)
            .text("parameters (all)", "-")
            .text("test acc", "-")
            .end();
    }
    let caption = "Test accuracy per epoch of the three hidden stages.";
    let chart = epoch_chart("test accuracy", "accuracy", &runs, |p| p.test_acc);
    figure(ctx, &mut report, "accuracy.png", &[chart], caption)?;
    let stages = ["fully connected", "locally connected", "convolutional"];
    let [dense, local, conv] = report.each(stages, "params", |v| v.to_string());
    let [acc_dense, acc_local, acc_conv] = report.each(stages, "test_acc", pct);
    let [all_pixels, fields, filters] = lecture_arithmetic().map(|(_, weights)| fmt(weights));
    report.conclusions = vec![
        format!(
            "Same {MAPS}×{out}×{out} hidden units: {dense} parameters fully connected, {local} locally connected, {conv} convolutional (whole networks), with test accuracy {acc_dense}, {acc_local}, {acc_conv}."
        ),
        format!(
            "For a 200×200 image and 40,000 hidden units: {all_pixels} weights fully connected, {fields} with 10×10 local fields, {filters} for 100 shared 10×10 filters."
        ),
        format!(
            "Test accuracy after {epochs} epoch(s), best first: {}.",
            ranking_of(&runs)
        ),
    ];
    Ok(report)
}
