//! `pooling`: max vs average vs L2 pooling in the same small convolutional network
//! ([`crate::lab::cnn::PoolNet`]), same data, seed and budget. Boureau, Ponce & LeCun 2010, "A
//! theoretical analysis of feature pooling in visual recognition"; Scherer, Müller & Behnke 2010,
//! "Evaluation of pooling operations in convolutional architectures for object recognition".

use super::common::{budget, ranking, training_curves};
use crate::lab::cnn::{Pool, PoolNet};
use crate::lab::fit::{Fitted, fit_with};
use crate::lab::report::{fmt, pct};
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};
use crate::optimizer::OptimizerConfig;

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("fashion-mnist", ctx.size(10000, 2000), ctx.size(5000, 1000))?;
    let epochs = ctx.epochs(4, 1);
    let side = data.shape[1];
    let lr = 0.01;
    let mut report = Report::new(
        "pooling",
        "Max, average and L2 pooling summarise a window differently; which trains best here?",
    );
    report.references = vec![
        "Boureau, Ponce & LeCun 2010, A theoretical analysis of feature pooling in visual recognition, ICML".into(),
        "Scherer, Müller & Behnke 2010, Evaluation of pooling operations in convolutional architectures for object recognition".into(),
        "Sermanet, Chintala & LeCun 2012, Convolutional neural networks applied to house numbers digit classification (L2 pooling)".into(),
    ];
    report.setup("data", data.describe());
    report.setup("network", "conv 5×5 ×16 → ReLU → pool 2×2 → conv 5×5 ×32 → ReLU → pool 2×2 → linear; Burn's default initialisation, the same draw for every variant");
    report.setup(
        "training",
        format!("{epochs} epoch(s), batch 64, SGD momentum 0.9, lr {lr}"),
    );
    report.columns = ["pooling", "final train loss", "train acc", "test acc"]
        .map(String::from)
        .to_vec();
    let mut runs = Vec::new();
    let mut accs = Vec::new();
    for kind in [Pool::Max, Pool::Avg, Pool::L2] {
        ctx.device.seed(ctx.opts.seed);
        let net = PoolNet::new(side, data.classes, &ctx.device)?;
        let cfg = budget(
            epochs,
            64,
            OptimizerConfig::momentum(0.9),
            lr,
            ctx.opts.seed,
        );
        let f = fit_with(
            net,
            &|m: &PoolNet, x, _| m.forward(kind, x),
            &data,
            &cfg,
            &ctx.device,
        )?;
        write_variant(ctx, kind.name(), &f)?;
        let last = f.last().copied();
        report.number(format!("{}/test_acc", kind.name()), f.test_acc());
        report.number(
            format!("{}/train_loss", kind.name()),
            last.map_or(f64::NAN, |p| p.train_eval_loss),
        );
        report.rows.push(vec![
            kind.name().into(),
            last.map_or("-".into(), |p| fmt(p.train_eval_loss)),
            last.map_or("-".into(), |p| pct(p.train_acc)),
            pct(f.test_acc()),
        ]);
        accs.push((kind.name().to_string(), f.test_acc()));
        runs.push((format!("{} pooling", kind.name()), f));
    }
    let refs: Vec<(String, &Fitted<PoolNet>)> = runs.iter().map(|(n, f)| (n.clone(), f)).collect();
    training_curves(
        ctx,
        &mut report,
        &refs,
        false,
        "Training loss per iteration and test accuracy per epoch.",
    )?;
    report.conclusions = vec![format!(
        "Test accuracy after {epochs} epoch(s), best first: {}.",
        ranking(&accs)
    )];
    Ok(report)
}
