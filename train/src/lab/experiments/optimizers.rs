//! `optimizers`: SGD, momentum, Nesterov, Adam, AdamW, RMSProp and AdaGrad on the same network
//! and data, each at its customary learning rate, plus their trajectories on the 2-D
//! ill-conditioned quadratic of [`super::trajectories`] drawn over its contours.

use plotters::prelude::*;

use super::common::{budget, fit_variant, ranking_of, training_curves};
use super::trajectories::{KAPPA, Rule, START, crossings, f, steep_travel, steps_to, trajectory};
use crate::lab::mlp::MlpSpec;
use crate::lab::plots::{PALETTE, canvas, tick};
use crate::lab::report::fmt;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;

/// The lecture's claim under test.
const CLAIM: &str = "Momentum damps the zig-zag of SGD across a narrow valley; adaptive methods (AdaGrad, RMSProp, Adam) rescale each direction.";

/// The papers the experiment draws on.
const REFERENCES: [&str; 2] = [
    "Polyak 1964; Nesterov 1983; Sutskever, Martens, Dahl & Hinton 2013, On the importance of initialization and momentum in deep learning",
    "Duchi, Hazan & Singer 2011 (AdaGrad); Hinton, Coursera lecture 6e (RMSProp); Kingma & Ba 2015 (Adam); Loshchilov & Hutter 2019 (AdamW)",
];

/// Name, rule and learning rate on the 2-D function; config and learning rate on the network.
pub fn contenders() -> [(&'static str, Rule, f64, OptimizerConfig, f64); 7] {
    [
        ("sgd", Rule::Sgd, 0.09, OptimizerConfig::sgd(), 0.05),
        (
            "momentum",
            Rule::Momentum(0.9),
            0.01,
            OptimizerConfig::momentum(0.9),
            0.01,
        ),
        (
            "nesterov",
            Rule::Nesterov(0.9),
            0.01,
            OptimizerConfig::nesterov(0.9),
            0.01,
        ),
        ("adam", Rule::Adam, 0.5, OptimizerConfig::adam(), 1e-3),
        (
            "adamw",
            Rule::AdamW(0.01),
            0.5,
            OptimizerConfig::adamw(),
            1e-3,
        ),
        (
            "rmsprop",
            Rule::RmsProp,
            0.3,
            OptimizerConfig::rmsprop(),
            1e-3,
        ),
        (
            "adagrad",
            Rule::AdaGrad,
            2.0,
            OptimizerConfig::adagrad(),
            0.01,
        ),
    ]
}

/// Steps on the 2-D function.
pub const STEPS: usize = 150;

fn draw_paths(path: &std::path::Path, paths: &[(&str, Vec<(f64, f64)>)]) -> Result<(), LabError> {
    canvas(path, 1400, 620, |root| {
        let e = |e: &dyn std::fmt::Display| e.to_string();
        let cells = root.split_evenly((2, 4));
        for (i, (name, pts)) in paths.iter().enumerate() {
            let mut ctx = ChartBuilder::on(&cells[i])
                .caption(
                    format!("{name} ({} steps)", pts.len() - 1),
                    ("sans-serif", 15),
                )
                .margin(6)
                .x_label_area_size(22)
                .y_label_area_size(30)
                .build_cartesian_2d(-9.0..3.0, -3.0..3.0)
                .map_err(|x| e(&x))?;
            let (nx, ny) = (96, 48);
            ctx.draw_series(
                (0..nx)
                    .flat_map(|a| (0..ny).map(move |b| (a, b)))
                    .map(|(a, b)| {
                        let (x0, y0) = (
                            -9.0 + 12.0 * a as f64 / nx as f64,
                            -3.0 + 6.0 * b as f64 / ny as f64,
                        );
                        let (x1, y1) = (x0 + 12.0 / nx as f64, y0 + 6.0 / ny as f64);
                        let level = (f(((x0 + x1) / 2.0, (y0 + y1) / 2.0)) + 1e-3).log10();
                        let shade = (((level + 3.0) / 5.5).clamp(0.0, 1.0) * 200.0) as u8;
                        Rectangle::new(
                            [(x0, y0), (x1, y1)],
                            RGBColor(255 - shade / 2, 255 - shade / 3, 255).filled(),
                        )
                    }),
            )
            .map_err(|x| e(&x))?;
            ctx.configure_mesh()
                .disable_mesh()
                .label_style(("sans-serif", 10))
                .draw()
                .map_err(|x| e(&x))?;
            let clipped: Vec<(f64, f64)> = pts
                .iter()
                .map(|&(x, y)| (x.clamp(-9.0, 3.0), y.clamp(-3.0, 3.0)))
                .collect();
            let color = PALETTE[i % PALETTE.len()];
            ctx.draw_series(LineSeries::new(clipped.clone(), color.stroke_width(2)))
                .map_err(|x| e(&x))?;
            ctx.draw_series(clipped.iter().map(|&p| Circle::new(p, 2, color.filled())))
                .map_err(|x| e(&x))?;
        }
        if let Some(area) = cells.get(7) {
            let mut ctx = ChartBuilder::on(area)
                .caption("f along the steps", ("sans-serif", 15))
                .margin(6)
                .x_label_area_size(22)
                .y_label_area_size(40)
                .build_cartesian_2d(0.0..STEPS as f64, (1e-8..100.0).log_scale())
                .map_err(|x| e(&x))?;
            ctx.configure_mesh()
                .y_label_formatter(&|v: &f64| tick(*v))
                .label_style(("sans-serif", 10))
                .draw()
                .map_err(|x| e(&x))?;
            for (i, (name, pts)) in paths.iter().enumerate() {
                let color = PALETTE[i % PALETTE.len()];
                let line: Vec<(f64, f64)> = pts
                    .iter()
                    .enumerate()
                    .map(|(t, &p)| (t as f64, f(p).clamp(1e-8, 100.0)))
                    .collect();
                ctx.draw_series(LineSeries::new(line, color.stroke_width(2)))
                    .map_err(|x| e(&x))?
                    .label(*name)
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 14, y)], color.stroke_width(2))
                    });
            }
            ctx.configure_series_labels()
                .background_style(WHITE.mix(0.85))
                .label_font(("sans-serif", 10))
                .draw()
                .map_err(|x| e(&x))?;
        }
        Ok(())
    })
}

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(20000, 2000), ctx.size(5000, 1000))?;
    let epochs = ctx.epochs(5, 1);
    let mut report = Report::new("optimizers", CLAIM).cite(&REFERENCES);
    report.setup("data", data.describe());
    report.setup("network", "2 hidden ReLU layers of 128 units, He initialisation, the same initial weights for every optimiser");
    report.setup(
        "training",
        format!(
            "{epochs} epoch(s), batch 64; each optimiser at its customary learning rate (table)"
        ),
    );
    report.setup(
        "2-D function",
        format!(
            "f(x, y) = (x² + {KAPPA}·y²)/2 from ({}, {}), {STEPS} steps",
            START.0, START.1
        ),
    );
    let spec = MlpSpec::new(data.train.dim, 128, 2, data.classes);
    let mut runs = Vec::new();
    let mut paths = Vec::new();
    for (name, rule, lr2, config, lr) in contenders() {
        let cfg = budget(epochs, 64, config, lr, ctx.opts.seed);
        let fitted = fit_variant(ctx, name, &spec, &data, &cfg)?;
        let path = trajectory(rule, lr2, STEPS);
        let to = steps_to(&path, 1e-3);
        let (cross, travel) = (crossings(&path), steep_travel(&path));
        report
            .row(name)
            .number("steps_to_1e-3", to.map_or(f64::INFINITY, |s| s as f64))
            .number("crossings", cross as f64)
            .number("steep_travel", travel)
            .number("final_f", path.last().map_or(f64::NAN, |&p| f(p)))
            .text("optimizer", name)
            .text("lr (net)", format!("{lr}"))
            .fmt("final train loss", fitted.final_value(|p| p.train_loss))
            .test_acc(&fitted)
            .text("lr (2-D)", format!("{lr2}"))
            .text(
                "steps to f < 1e-3",
                to.map_or(format!("> {STEPS}"), |s| s.to_string()),
            )
            .text("y crossings", cross.to_string())
            .fmt("Σ|Δy| / |y₀|", travel)
            .end();
        runs.push((name.to_string(), fitted));
        paths.push((name, path));
    }
    draw_paths(&ctx.path("trajectories.png"), &paths)?;
    report.picture("trajectories.png", "Trajectories on the ill-conditioned quadratic over its contours (darker = higher f), and f along the steps.");
    training_curves(
        ctx,
        &mut report,
        &runs,
        true,
        "Training loss per iteration (log scale) and test accuracy per epoch on the network.",
    )?;
    let valley = ["sgd", "momentum", "nesterov"];
    let [cross_sgd, cross_momentum, cross_nesterov] =
        report.each(valley, "crossings", |v| v.to_string());
    let [travel_sgd, travel_momentum, travel_nesterov] = report.each(valley, "steep_travel", fmt);
    let [sgd, momentum, nesterov, adam, rmsprop, adagrad] = report.each(
        ["sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad"],
        "steps_to_1e-3",
        |v| {
            if v.is_finite() {
                format!("{v:.0} steps")
            } else {
                format!("more than {STEPS} steps")
            }
        },
    );
    report.conclusions = vec![
        format!(
            "On the quadratic SGD crossed the valley floor {cross_sgd} times and travelled {travel_sgd}× the necessary distance along the steep axis; momentum {cross_momentum} times and {travel_momentum}×, Nesterov {cross_nesterov} times and {travel_nesterov}×."
        ),
        format!(
            "Reaching f < 1e-3 took SGD {sgd}, momentum {momentum}, Nesterov {nesterov}, Adam {adam}, RMSProp {rmsprop}, AdaGrad {adagrad}."
        ),
        format!(
            "On the network, test accuracy after {epochs} epoch(s), best first: {}.",
            ranking_of(&runs)
        ),
    ];
    Ok(report)
}
