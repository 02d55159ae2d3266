//! `init`: a 10-layer plain network (tanh and ReLU) with N(0, 0.01²), N(0, 1), Xavier
//! (Var = 1/n_in and 2/(n_in + n_out)) and He (Var = 2/n_in) weights: the activations'
//! statistics and histograms at initialisation, the gradient norm of every layer, and a short
//! training run each.
//!
//! Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural
//! networks" (AISTATS); He, Zhang, Ren & Sun 2015, "Delving deep into rectifiers" (ICCV).

use model::init::InitScheme;

use super::common::{figure, fit_variant, momentum, per_layer, ranking, smooth, untrained};
use crate::lab::mlp::{Act, MlpSpec};
use crate::lab::plots::{Chart, Series, histogram_grid};
use crate::lab::probe::{activation_stats, weight_grad_norms};
use crate::lab::report::{fmt, pct};
use crate::lab::{Ctx, LabError, Report};

/// The lecture's claim under test.
const CLAIM: &str = "Small random weights make deep activations collapse, large ones saturate or explode; \
         Xavier keeps tanh activations alive and He keeps ReLU activations at a constant scale.";

/// The papers the experiment draws on.
const REFERENCES: [&str; 2] = [
    "Glorot & Bengio 2010, Understanding the difficulty of training deep feedforward neural networks, AISTATS",
    "He, Zhang, Ren & Sun 2015, Delving deep into rectifiers, ICCV",
];

/// The schemes compared: key, legend, scheme.
pub const SCHEMES: [(&str, &str, InitScheme); 5] = [
    ("n001", "N(0, 0.01²)", InitScheme::Gaussian { std: 0.01 }),
    ("n1", "N(0, 1)", InitScheme::Gaussian { std: 1.0 }),
    ("xavier_in", "Xavier 1/n_in", InitScheme::XavierFanIn),
    ("xavier_avg", "Xavier 2/(n_in+n_out)", InitScheme::XavierAvg),
    ("he", "He 2/n_in", InitScheme::He),
];

/// Depth of the plain network.
pub const DEPTH: usize = 10;

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(10000, 1000), ctx.size(5000, 500))?;
    let epochs = ctx.epochs(3, 1);
    let width = 256;
    let mut report = Report::new("init", CLAIM).cite(&REFERENCES);
    report.setup("data", format!("{}, standardised", data.describe()));
    report.setup(
        "network",
        format!("{DEPTH} hidden fully connected layers of {width} units, biases 0"),
    );
    report.setup(
        "statistics",
        "activations and gradients on the first 500 training images, before any training",
    );
    report.setup(
        "training",
        format!("{epochs} epoch(s), batch 64, SGD momentum 0.9, lr 0.01"),
    );
    let cfg = momentum(ctx, epochs, 64, 0.01);
    let probe: Vec<usize> = (0..500.min(data.train.len())).collect();
    let (x, y) = data.train.batch(&probe, &ctx.device);
    let mut std_charts = Vec::new();
    let mut grad_charts = Vec::new();
    let mut loss_charts = Vec::new();
    for act in [Act::Tanh, Act::Relu] {
        let name = act.name();
        let mut std_series = Vec::new();
        let mut grad_series = Vec::new();
        let mut loss_series = Vec::new();
        let mut hist_rows = Vec::new();
        for (key, label, init) in SCHEMES {
            let spec = MlpSpec {
                act,
                init,
                ..MlpSpec::new(data.train.dim, width, DEPTH, data.classes)
            };
            let net = untrained(ctx, &spec);
            let stats = activation_stats(&net, &spec, x.clone())?;
            let grads = weight_grad_norms(&net, &spec, x.clone(), y.clone())?;
            let fitted = fit_variant(ctx, &format!("{name}-{key}"), &spec, &data, &cfg)?;
            let stds: Vec<f64> = stats.iter().map(|s| s.std).collect();
            let saturated: Vec<f64> = stats.iter().map(|s| s.saturated).collect();
            let last = &stats[DEPTH - 1];
            let acc = match fitted.diverged_at {
                Some(_) => "diverged".to_string(),
                None => pct(fitted.test_acc()),
            };
            report
                .row(format!("{name}/{key}"))
                .per_layer("std", &stds)
                .per_layer("saturated", &saturated)
                .per_layer("grad", &grads)
                .number("last_std", last.std)
                .number("test_acc", fitted.test_acc())
                .diverged(&fitted)
                .text("activation", name)
                .text("init", label)
                .fmt("std L1", stats[0].std)
                .fmt("std L5", stats[4].std)
                .fmt("std L10", last.std)
                .fmt("mean L10", last.mean)
                .fmt("‖∇W‖ L1", grads[0])
                .fmt("‖∇W‖ L10", grads[DEPTH - 1])
                .text("test acc", acc)
                .end();
            std_series.push(Series::new(label, per_layer(&stds, DEPTH)));
            grad_series.push(Series::new(label, per_layer(&grads, DEPTH)));
            loss_series.push(Series::new(label, smooth(&fitted.iter_loss, 20)));
            let samples = [0, 3, 6, 9].iter().map(|&l| stats[l].sample.clone());
            hist_rows.push((label.to_string(), samples.collect()));
        }
        let title = |what: &str| format!("{name}: {what}");
        let per_layer_chart = |what: &str, y_label: &str, series| {
            Chart::new(title(what), "layer", y_label, series).log_scale(true)
        };
        std_charts.push(per_layer_chart(
            "activation std per layer",
            "std",
            std_series,
        ));
        grad_charts.push(per_layer_chart(
            "‖∂L/∂W‖ per layer",
            "gradient norm",
            grad_series,
        ));
        let y_label = "loss (moving avg 20)";
        loss_charts.push(Chart::new(
            title("training loss"),
            "iteration",
            y_label,
            loss_series,
        ));
        let cols = ["layer 1", "layer 4", "layer 7", "layer 10"]
            .map(String::from)
            .to_vec();
        let file = format!("histograms_{name}.png");
        histogram_grid(
            &ctx.path(&file),
            &title("activations at initialisation"),
            &cols,
            &hist_rows,
            30,
        )?;
        report.picture(&file, format!("{name}: histograms of the activations of layers 1, 4, 7, 10 at initialisation, one row per scheme (each panel on its own x range)."));
    }
    figure(
        ctx,
        &mut report,
        "activation_std.png",
        &std_charts,
        "Standard deviation of each layer's activations at initialisation (log scale).",
    )?;
    figure(
        ctx,
        &mut report,
        "gradient_norms.png",
        &grad_charts,
        "Norm of the loss gradient with respect to each layer's weights at initialisation (log scale).",
    )?;
    figure(
        ctx,
        &mut report,
        "training.png",
        &loss_charts,
        "Training loss of each scheme (a curve that stops early diverged).",
    )?;
    conclude(&mut report, epochs);
    Ok(report)
}

fn conclude(report: &mut Report, epochs: usize) {
    let relu = ["relu/he", "relu/n001", "relu/n1", "relu/xavier_in"];
    let [he, n001, n1, xavier] = report.each(relu, "last_std", fmt);
    let [tanh_n001, tanh_xavier] = report.each(["tanh/n001", "tanh/xavier_in"], "last_std", fmt);
    let [grad_he, grad_n001] = report.each(["relu/he", "relu/n001"], "grad/1", fmt);
    let g = |k: &str| report.get(k);
    let (he_first, saturated) = (fmt(g("relu/he/std/1")), pct(g("tanh/n1/saturated/10")));
    let growth = g("relu/xavier_in/last_std") / g("relu/xavier_in/std/1");
    let per_layer = growth.powf(2.0 / (DEPTH - 1) as f64);
    let ranked: Vec<(String, f64)> = report
        .numbers
        .iter()
        .filter(|(k, _)| k.ends_with("/test_acc"))
        .map(|(k, v)| (k.trim_end_matches("/test_acc").to_string(), *v))
        .collect();
    report.conclusions = vec![
        format!(
            "ReLU, {DEPTH} layers: He keeps the last layer's activation std at {he} (layer 1: {he_first}), while N(0, 0.01²) collapses it to {n001} and N(0, 1) blows it up to {n1}; Xavier 1/n_in multiplies the variance by {per_layer:.2} per layer (last layer's std {xavier})."
        ),
        format!(
            "tanh, {DEPTH} layers: with N(0, 1) {saturated} of the last layer's units are saturated (|a| > 0.99); N(0, 0.01²) shrinks the last layer's std to {tanh_n001}; Xavier 1/n_in keeps it at {tanh_xavier}."
        ),
        format!(
            "Gradients at initialisation (ReLU): the first layer's weight gradient norm is {grad_he} with He and {grad_n001} with N(0, 0.01²)."
        ),
        format!(
            "Test accuracy after {epochs} epoch(s), best first: {}.",
            ranking(&ranked)
        ),
    ];
}
