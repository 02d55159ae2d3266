//! `batch-norm`: no batch norm, batch norm before and after the ReLU, at a normal and a 10×
//! learning rate, and under a bad (N(0, 0.01²)) initialisation. Ioffe & Szegedy 2015, "Batch
//! normalization: accelerating deep network training by reducing internal covariate shift".

use model::init::InitScheme;

use super::common::{budget, loss_chart};
use crate::lab::fit::{Fitted, fit};
use crate::lab::mlp::{BnPlace, MlpSpec};
use crate::lab::plots::charts;
use crate::lab::report::pct;
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;

/// The normal learning rate (the 10× case uses ten times it).
pub const LR: f64 = 0.02;

/// Below this test accuracy a run "did not train".
pub const TRAINED: f64 = 0.5;

fn place_name(p: BnPlace) -> &'static str {
    match p {
        BnPlace::None => "none",
        BnPlace::Before => "before",
        BnPlace::After => "after",
    }
}

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(20000, 2000), ctx.size(5000, 1000))?;
    let epochs = ctx.epochs(5, 2);
    let depth = 6;
    let mut report = Report::new(
        "batch-norm",
        "Batch norm allows higher learning rates and makes training insensitive to a bad initialisation; before or after the non-linearity?",
    );
    report.references = vec!["Ioffe & Szegedy 2015, Batch normalization: accelerating deep network training by reducing internal covariate shift, ICML".into()];
    report.setup("data", data.describe());
    report.setup("network", format!("{depth} hidden ReLU layers of 128 units; He initialisation, or N(0, 0.01²) for the bad case"));
    report.setup(
        "training",
        format!(
            "{epochs} epoch(s), batch 64, SGD momentum 0.9, lr {LR} or {}",
            10.0 * LR
        ),
    );
    report.columns = [
        "batch norm",
        "condition",
        "final train loss",
        "test acc",
        "outcome",
    ]
    .map(String::from)
    .to_vec();
    let conditions = [
        ("normal", LR, InitScheme::He),
        ("lr10x", 10.0 * LR, InitScheme::He),
        ("bad_init", LR, InitScheme::Gaussian { std: 0.01 }),
    ];
    let mut charts_list = Vec::new();
    let mut sentences = Vec::new();
    for (cond, lr, init) in conditions {
        let mut runs = Vec::new();
        for place in [BnPlace::None, BnPlace::Before, BnPlace::After] {
            let spec = MlpSpec {
                init,
                bn: place,
                ..MlpSpec::new(data.train.dim, 128, depth, data.classes)
            };
            let f = fit(
                &spec,
                &data,
                &budget(
                    epochs,
                    64,
                    OptimizerConfig::momentum(0.9),
                    lr,
                    ctx.opts.seed,
                ),
                &ctx.device,
            )?;
            let name = place_name(place);
            write_variant(ctx, &format!("{name}-{cond}"), &f)?;
            let acc = f.test_acc();
            let outcome = match f.diverged_at {
                Some(i) => format!("diverged at iteration {i}"),
                None if acc < TRAINED => "did not train".to_string(),
                None => "trained".to_string(),
            };
            report.number(format!("{name}/{cond}/test_acc"), acc);
            report.number(
                format!("{name}/{cond}/diverged"),
                f64::from(u8::from(f.diverged_at.is_some())),
            );
            let loss = f.last().map_or(f64::NAN, |p| p.train_loss);
            report.rows.push(vec![
                name.into(),
                format!("{cond} (lr {lr})"),
                crate::lab::report::fmt(loss),
                pct(acc),
                outcome.clone(),
            ]);
            sentences.push((cond, name, outcome, acc));
            runs.push((format!("BN {name}"), f));
        }
        let refs: Vec<(String, &Fitted)> = runs.iter().map(|(n, f)| (n.clone(), f)).collect();
        charts_list.push(loss_chart(&format!("{cond} (lr {lr})"), &refs, 20, true));
    }
    charts(&ctx.path("training.png"), &charts_list, 3)?;
    report.picture("training.png", "Training loss per iteration (log scale): normal learning rate, 10× learning rate, bad initialisation (a curve that stops early diverged).");
    for cond in ["normal", "lr10x", "bad_init"] {
        let parts: Vec<String> = sentences
            .iter()
            .filter(|s| s.0 == cond)
            .map(|(_, name, outcome, acc)| format!("BN {name}: {outcome} ({})", pct(*acc)))
            .collect();
        let label = match cond {
            "normal" => format!("At lr {LR}"),
            "lr10x" => format!("At the 10× learning rate {}", 10.0 * LR),
            _ => "Under N(0, 0.01²) initialisation".to_string(),
        };
        report
            .conclusions
            .push(format!("{label}: {}.", parts.join("; ")));
    }
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
