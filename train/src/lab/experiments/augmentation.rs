//! `augmentation`: no augmentation, each transform alone (shifts by padded random crops, small
//! rotations, brightness/contrast jitter) and all together, on a small training subset, with the
//! same small CNN, seed and budget: test accuracy. Simard, Steinkraus & Platt 2003, "Best
//! practices for convolutional neural networks applied to visual document analysis"; Krizhevsky
//! et al. 2012. The transforms are the `data` crate's ([`data::augment`]); sample i of epoch e
//! always gets the same draw.

use data::augment::augment_item;
use data::{AugmentConfig, ImageItem, Pixels, Step, Transform};

use super::common::{epoch_chart, figure, momentum, ranking};
use crate::lab::cnn::{Pool, PoolNet};
use crate::lab::data::Split;
use crate::lab::fit::fit_augmented;
use crate::lab::variants::write_variant;
use crate::lab::{Ctx, LabError, Report};

/// The lecture's claim under test.
const CLAIM: &str = "On a small training set, label-preserving transforms act as more data and raise test accuracy.";

/// The papers the experiment draws on.
const REFERENCES: [&str; 2] = [
    "Simard, Steinkraus & Platt 2003, Best practices for convolutional neural networks applied to visual document analysis, ICDAR",
    "Krizhevsky, Sutskever & Hinton 2012, ImageNet classification with deep convolutional neural networks",
];

/// The pipelines compared for `side`×`side` grey images.
pub fn pipelines(side: usize) -> Vec<(&'static str, AugmentConfig)> {
    let shift = Step::new(
        1.0,
        Transform::RandomCrop {
            size: [side, side],
            padding: 2,
            fill: 0.0,
        },
    );
    let rotate = Step::new(
        1.0,
        Transform::Rotation {
            degrees: 12.0,
            fill: 0.0,
        },
    );
    let jitter = Step::new(
        1.0,
        Transform::ColorJitter {
            brightness: 0.3,
            contrast: 0.3,
            saturation: 0.0,
            hue: 0.0,
        },
    );
    let one = |s: &Step| AugmentConfig {
        steps: vec![s.clone()],
    };
    vec![
        ("none", AugmentConfig::none()),
        ("shift", one(&shift)),
        ("rotation", one(&rotate)),
        ("brightness/contrast", one(&jitter)),
        (
            "all",
            AugmentConfig {
                steps: vec![shift, rotate, jitter],
            },
        ),
    ]
}

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let data = ctx.load("mnist", ctx.size(1000, 500), ctx.size(5000, 1000))?;
    let epochs = ctx.epochs(20, 6);
    let side = data.shape[1];
    let (mean, std) = data.stats;
    let mut report = Report::new("augmentation", CLAIM).cite(&REFERENCES);
    report.setup("data", format!("{} (a small subset)", data.describe()));
    report.setup("network", "conv 5×5 ×16 → max pool → conv 5×5 ×32 → max pool → linear (the pooling experiment's network)");
    report.setup("transforms", "shift: pad 2 and crop back at random; rotation: ±12°; brightness/contrast: strength 0.3; all: the three in turn");
    report.setup("training", format!("{epochs} epochs, batch 32, SGD momentum 0.9, lr 0.01; a fresh draw of every transform each epoch"));
    // The subset's images back on the 0–1 scale, as the augmentation expects.
    let items: Vec<ImageItem> = data
        .train
        .x
        .chunks_exact(data.train.dim)
        .zip(&data.train.y)
        .map(|(x, &y)| ImageItem {
            pixels: Pixels::F32(x.iter().map(|v| v * std + mean).collect()),
            shape: data.shape,
            label: y as usize,
        })
        .collect();
    let cfg = momentum(ctx, epochs, 32, 0.01);
    let mut runs = Vec::new();
    let mut accs = Vec::new();
    for (name, config) in pipelines(side) {
        let augment = |epoch: usize| Split {
            x: items
                .iter()
                .enumerate()
                .flat_map(|(i, item)| {
                    let out = augment_item(item, &config, ctx.opts.seed, epoch as u64, i as u64);
                    (0..out.pixels.len())
                        .map(move |k| (out.pixels.value(k) - mean) / std)
                        .collect::<Vec<f32>>()
                })
                .collect(),
            y: data.train.y.clone(),
            dim: data.train.dim,
        };
        ctx.device.seed(ctx.opts.seed);
        let net = PoolNet::new(side, data.classes, &ctx.device)?;
        let hook: &dyn Fn(usize) -> Split = &augment;
        let f = fit_augmented(
            net,
            &|m: &PoolNet, x, _| m.forward(Pool::Max, x),
            &data,
            (!config.steps.is_empty()).then_some(hook),
            &cfg,
            &ctx.device,
        )?;
        write_variant(ctx, name, Some(&cfg), &f)?;
        let (train, test) = f.final_accs();
        report
            .row(name)
            .number("train_acc", train)
            .number("test_acc", test)
            .text("augmentation", name)
            .pct("train acc (clean images)", train)
            .pct("test acc", test)
            .pct("gap", train - test)
            .end();
        accs.push((name.to_string(), test));
        runs.push((name.to_string(), f));
    }
    let panels = [
        epoch_chart("test accuracy", "accuracy", &runs, |p| p.test_acc),
        epoch_chart("train − test accuracy", "gap", &runs, |p| {
            p.train_acc - p.test_acc
        }),
    ];
    let caption = "Test accuracy and train/test gap per epoch for each augmentation.";
    figure(ctx, &mut report, "accuracy.png", &panels, caption)?;
    let gain = report.get("all/test_acc") - report.get("none/test_acc");
    report.conclusions = vec![
        format!(
            "Test accuracy after {epochs} epochs, best first: {}.",
            ranking(&accs)
        ),
        format!(
            "All transforms together changed test accuracy by {:+.1} points against no augmentation.",
            100.0 * gain
        ),
    ];
    Ok(report)
}
