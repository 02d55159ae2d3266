//! `init`: a 10-layer plain network (tanh and ReLU) with N(0, 0.01²), N(0, 1), Xavier
//! (Var = 1/n_in and 2/(n_in + n_out)) and He (Var = 2/n_in) weights: the activations'
//! statistics and histograms at initialisation, the gradient norm of every layer, and a short
//! training run each.
//!
//! Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural
//! networks" (AISTATS); He, Zhang, Ren & Sun 2015, "Delving deep into rectifiers" (ICCV).

use model::init::InitScheme;

use super::common::smooth;
use crate::lab::fit::{FitConfig, fit};
use crate::lab::mlp::{Act, MlpSpec};
use crate::lab::plots::{Chart, Series, charts, histogram_grid};
use crate::lab::probe::{activation_stats, weight_grad_norms};
use crate::lab::report::{fmt, pct};
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;
use crate::regularization::Regularization;
use crate::schedule::ScheduleConfig;

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
    let mut report = Report::new(
        "init",
        "Small random weights make deep activations collapse, large ones saturate or explode; \
         Xavier keeps tanh activations alive and He keeps ReLU activations at a constant scale.",
    );
    report.references = vec![
        "Glorot & Bengio 2010, Understanding the difficulty of training deep feedforward neural networks, AISTATS".into(),
        "He, Zhang, Ren & Sun 2015, Delving deep into rectifiers, ICCV".into(),
    ];
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
    report.columns = [
        "activation",
        "init",
        "std L1",
        "std L5",
        "std L10",
        "mean L10",
        "‖∇W‖ L1",
        "‖∇W‖ L10",
        "test acc",
    ]
    .map(String::from)
    .to_vec();
    let probe: Vec<usize> = (0..500.min(data.train.len())).collect();
    let mut std_charts = Vec::new();
    let mut grad_charts = Vec::new();
    let mut loss_charts = Vec::new();
    for act in [Act::Tanh, Act::Relu] {
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
            ctx.device.seed(ctx.opts.seed);
            let net = spec.init(&ctx.device);
            let (x, y) = data.train.batch(&probe, &ctx.device);
            let stats = activation_stats(&net, &spec, x.clone())?;
            let grads = weight_grad_norms(&net, &spec, x, y)?;
            let cfg = FitConfig {
                epochs,
                batch: 64,
                optimizer: OptimizerConfig::momentum(0.9),
                schedule: ScheduleConfig::constant(0.01),
                reg: Regularization::none(),
                seed: ctx.opts.seed,
            };
            let fitted = fit(&spec, &data, &cfg, &ctx.device)?;
            let variant = format!("{}-{key}", act.name());
            write_variant(ctx, &variant, &fitted)?;
            let p = format!("{}/{key}", act.name());
            for (i, s) in stats.iter().enumerate() {
                report.number(format!("{p}/std/{}", i + 1), s.std);
                report.number(format!("{p}/saturated/{}", i + 1), s.saturated);
            }
            for (i, g) in grads.iter().enumerate() {
                report.number(format!("{p}/grad/{}", i + 1), *g);
            }
            let last = &stats[DEPTH - 1];
            report.number(format!("{p}/last_std"), last.std);
            report.number(format!("{p}/test_acc"), fitted.test_acc());
            report.number(
                format!("{p}/diverged"),
                f64::from(u8::from(fitted.diverged_at.is_some())),
            );
            report.rows.push(vec![
                act.name().into(),
                label.into(),
                fmt(stats[0].std),
                fmt(stats[4].std),
                fmt(last.std),
                fmt(last.mean),
                fmt(grads[0]),
                fmt(grads[DEPTH - 1]),
                if fitted.diverged_at.is_some() {
                    "diverged".into()
                } else {
                    pct(fitted.test_acc())
                },
            ]);
            std_series.push(Series::new(
                label,
                stats
                    .iter()
                    .enumerate()
                    .map(|(i, s)| ((i + 1) as f64, s.std))
                    .collect(),
            ));
            grad_series.push(Series::new(
                label,
                grads
                    .iter()
                    .take(DEPTH)
                    .enumerate()
                    .map(|(i, g)| ((i + 1) as f64, *g))
                    .collect(),
            ));
            loss_series.push(Series::new(label, smooth(&fitted.iter_loss, 20)));
            hist_rows.push((
                label.to_string(),
                [0, 3, 6, 9]
                    .iter()
                    .map(|&l| stats[l].sample.clone())
                    .collect(),
            ));
        }
        let name = act.name();
        std_charts.push(Chart {
            title: format!("{name}: activation std per layer"),
            x_label: "layer".into(),
            y_label: "std".into(),
            log_y: true,
            series: std_series,
        });
        grad_charts.push(Chart {
            title: format!("{name}: ‖∂L/∂W‖ per layer"),
            x_label: "layer".into(),
            y_label: "gradient norm".into(),
            log_y: true,
            series: grad_series,
        });
        loss_charts.push(Chart {
            title: format!("{name}: training loss"),
            x_label: "iteration".into(),
            y_label: "loss (moving avg 20)".into(),
            log_y: false,
            series: loss_series,
        });
        let cols = ["layer 1", "layer 4", "layer 7", "layer 10"]
            .map(String::from)
            .to_vec();
        let file = format!("histograms_{name}.png");
        histogram_grid(
            &ctx.path(&file),
            &format!("{name}: activations at initialisation"),
            &cols,
            &hist_rows,
            30,
        )?;
        report.picture(&file, format!("{name}: histograms of the activations of layers 1, 4, 7, 10 at initialisation, one row per scheme (each panel on its own x range)."));
    }
    charts(&ctx.path("activation_std.png"), &std_charts, 2)?;
    charts(&ctx.path("gradient_norms.png"), &grad_charts, 2)?;
    charts(&ctx.path("training.png"), &loss_charts, 2)?;
    report.picture(
        "activation_std.png",
        "Standard deviation of each layer's activations at initialisation (log scale).",
    );
    report.picture("gradient_norms.png", "Norm of the loss gradient with respect to each layer's weights at initialisation (log scale).");
    report.picture(
        "training.png",
        "Training loss of each scheme (a curve that stops early diverged).",
    );
    conclude(&mut report, epochs);
    Ok(report)
}

fn conclude(report: &mut Report, epochs: usize) {
    let numbers = report.numbers.clone();
    let g = |k: &str| numbers.get(k).copied().unwrap_or(f64::NAN);
    report.conclusions.push(format!(
        "ReLU, {DEPTH} layers: He keeps the last layer's activation std at {} (layer 1: {}), while N(0, 0.01²) collapses it to {} and N(0, 1) blows it up to {}; Xavier 1/n_in multiplies the variance by {:.2} per layer (last layer's std {}).",
        fmt(g("relu/he/last_std")), fmt(g("relu/he/std/1")), fmt(g("relu/n001/last_std")), fmt(g("relu/n1/last_std")),
        (g("relu/xavier_in/last_std") / g("relu/xavier_in/std/1")).powf(2.0 / (DEPTH - 1) as f64),
        fmt(g("relu/xavier_in/last_std"))
    ));
    report.conclusions.push(format!(
        "tanh, {DEPTH} layers: with N(0, 1) {} of the last layer's units are saturated (|a| > 0.99); N(0, 0.01²) shrinks the last layer's std to {}; Xavier 1/n_in keeps it at {}.",
        pct(g("tanh/n1/saturated/10")), fmt(g("tanh/n001/last_std")), fmt(g("tanh/xavier_in/last_std"))
    ));
    report.conclusions.push(format!(
        "Gradients at initialisation (ReLU): the first layer's weight gradient norm is {} with He and {} with N(0, 0.01²).",
        fmt(g("relu/he/grad/1")), fmt(g("relu/n001/grad/1"))
    ));
    let mut ranked: Vec<(String, f64)> = numbers
        .iter()
        .filter(|(k, _)| k.ends_with("/test_acc"))
        .map(|(k, v)| (k.trim_end_matches("/test_acc").to_string(), *v))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let list: Vec<String> = ranked
        .iter()
        .map(|(k, v)| format!("{k} {}", pct(*v)))
        .collect();
    report.conclusions.push(format!(
        "Test accuracy after {epochs} epoch(s), best first: {}.",
        list.join(", ")
    ));
}
