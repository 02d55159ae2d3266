//! `batch-norm`: no batch norm, batch norm before and after the ReLU, at a normal and a 10×
//! learning rate, and under a bad (N(0, 0.01²)) initialisation. Ioffe & Szegedy 2015, "Batch
//! normalization: accelerating deep network training by reducing internal covariate shift".

use model::init::InitScheme;

use super::common::{figure, fit_variant, loss_chart, momentum};
use crate::lab::mlp::{BnPlace, MlpSpec};
use crate::lab::report::pct;
use crate::lab::{Ctx, LabError, Report};

/// The lecture's claim under test.
const CLAIM: &str = "Batch norm allows higher learning rates and makes training insensitive to a bad initialisation; before or after the non-linearity?";

/// The papers the experiment draws on.
const REFERENCES: [&str; 1] = [
    "Ioffe & Szegedy 2015, Batch normalization: accelerating deep network training by reducing internal covariate shift, ICML",
];

/// The normal learning rate (the 10× case uses ten times it).
pub const LR: f64 = 0.02;

/// Hidden layers of the network.
pub const DEPTH: usize = 6;

/// Below this test accuracy a run "did not train".
pub const TRAINED: f64 = 0.5;

fn place_name(p: BnPlace) -> &'static str {
    match p {
        BnPlace::None => "none",
        BnPlace::Before => "before",
        BnPlace::After => "after",
    }
}

/// What a run did: diverged (and where), did not train, or trained.
fn outcome(diverged_at: Option<usize>, acc: f64) -> String {
    match diverged_at {
        Some(i) => format!("diverged at iteration {i}"),
        None if acc < TRAINED => "did not train".to_string(),
        None => "trained".to_string(),
    }
}

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(20000, 2000), ctx.size(5000, 1000))?;
    let epochs = ctx.epochs(5, 2);
    let mut report = Report::new("batch-norm", CLAIM).cite(&REFERENCES);
    report.setup("data", data.describe());
    report.setup("network", format!("{DEPTH} hidden ReLU layers of 128 units; He initialisation, or N(0, 0.01²) for the bad case"));
    let lrs = format!("lr {LR} or {}", 10.0 * LR);
    report.setup(
        "training",
        format!("{epochs} epoch(s), batch 64, SGD momentum 0.9, {lrs}"),
    );
    let conditions = [
        ("normal", LR, InitScheme::He, format!("At lr {LR}")),
        (
            "lr10x",
            10.0 * LR,
            InitScheme::He,
            format!("At the 10× learning rate {}", 10.0 * LR),
        ),
        (
            "bad_init",
            LR,
            InitScheme::Gaussian { std: 0.01 },
            "Under N(0, 0.01²) initialisation".to_string(),
        ),
    ];
    let mut panels = Vec::new();
    for (cond, lr, init, label) in conditions {
        let cfg = momentum(ctx, epochs, 64, lr);
        let mut runs = Vec::new();
        let mut parts = Vec::new();
        for place in [BnPlace::None, BnPlace::Before, BnPlace::After] {
            let spec = MlpSpec {
                init,
                bn: place,
                ..MlpSpec::new(data.train.dim, 128, DEPTH, data.classes)
            };
            let name = place_name(place);
            let f = fit_variant(ctx, &format!("{name}-{cond}"), &spec, &data, &cfg)?;
            let outcome = outcome(f.diverged_at, f.test_acc());
            report
                .row(format!("{name}/{cond}"))
                .diverged(&f)
                .text("batch norm", name)
                .text("condition", format!("{cond} (lr {lr})"))
                .fmt("final train loss", f.final_value(|p| p.train_loss))
                .test_acc(&f)
                .text("outcome", outcome.clone())
                .end();
            parts.push(format!("BN {name}: {outcome} ({})", pct(f.test_acc())));
            runs.push((format!("BN {name}"), f));
        }
        panels.push(loss_chart(&format!("{cond} (lr {lr})"), &runs, 20, true));
        report
            .conclusions
            .push(format!("{label}: {}.", parts.join("; ")));
    }
    figure(
        ctx,
        &mut report,
        "training.png",
        &panels,
        "Training loss per iteration (log scale): normal learning rate, 10× learning rate, bad initialisation (a curve that stops early diverged).",
    )?;
    let before = report.get("before/normal/test_acc");
    let after = report.get("after/normal/test_acc");
    report.conclusions.push(format!(
        "Before vs after the ReLU at the normal rate: {} vs {} test accuracy ({} is ahead here).",
        pct(before),
        pct(after),
        if before >= after { "before" } else { "after" }
    ));
    Ok(report)
}
