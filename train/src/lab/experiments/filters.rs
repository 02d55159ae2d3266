//! `filters`: what did the network learn? `alexnet_small` (or the user's `--run`) is trained,
//! then its first convolution's filters are drawn beside their initial values, with one test
//! image's feature maps of the first layers, and measured: how far the filters moved, how much
//! smoother and more oriented they are than random ones. Krizhevsky, Sutskever & Hinton 2012
//! (figure 3); Zeiler & Fergus 2014, "Visualizing and understanding convolutional networks".

use burn::tensor::activation::relu;
use burn::tensor::{Tensor, TensorData};
use model::NetworkConfig;
use model::trace::Trace;

use super::filters_source::{Subject, from_run, train_here};
use crate::lab::conv_probe::{
    ConvWeights, conv_layers, cosine, map_tiles, mean, median, neighbour_correlation,
    orientation_coherence, per_filter, relative_change,
};
use crate::lab::report::{fmt, pct};
use crate::lab::tiles::{Tile, tile_grid};
use crate::lab::{Ctx, LabError, Report};

/// Cosine similarity to the initial filter below which a filter counts as changed.
pub const CHANGED_BELOW: f64 = 0.9;

const CLAIM: &str = "A trained CNN's first layer learns smooth, oriented filters (edge and blob detectors) out of random noise.";

const REFERENCES: [&str; 2] = [
    "Krizhevsky, Sutskever & Hinton 2012, ImageNet classification with deep convolutional neural networks, NeurIPS (figure 3)",
    "Zeiler & Fergus 2014, Visualizing and understanding convolutional networks, ECCV",
];

/// Maps of `tiles` that are zero everywhere, recorded as the fraction `key` of `report`.
fn silent_maps(tiles: &[Tile], key: &str, report: &mut Report) -> usize {
    let silent = tiles
        .iter()
        .filter(|t| t.values.iter().all(|&v| v <= 0.0))
        .count();
    report.number(key, silent as f64 / tiles.len().max(1) as f64);
    silent
}

/// Runs the experiment.
pub fn run(ctx: &Ctx) -> Result<Report, LabError> {
    let mut report = Report::new("filters", CLAIM);
    report.references = REFERENCES.iter().map(|r| r.to_string()).collect();
    let subject = match &ctx.opts.run {
        Some(dir) => from_run(ctx, dir, &mut report)?,
        None => train_here(ctx, &mut report)?,
    };
    let trained = conv_layers(&subject.network)?;
    let (Some(first), Some(start)) = (trained.first(), subject.initial.first()) else {
        return Err(LabError::Config(format!(
            "{} has no convolution to draw",
            subject.what.0
        )));
    };
    measure(&subject, first, start, &mut report);
    draw_filters(ctx, &subject, first, start, &mut report)?;
    feature_maps(ctx, &subject, &trained, &mut report)?;
    Ok(report)
}

/// The 95th percentile of `v`.
fn p95(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    s.get((s.len() * 95 / 100).min(s.len().saturating_sub(1)))
        .copied()
        .unwrap_or(f64::NAN)
}

fn mean_abs(w: &[f32]) -> f64 {
    w.iter().map(|v| v.abs() as f64).sum::<f64>() / w.len().max(1) as f64
}

fn measure(s: &Subject, first: &ConvWeights, start: &ConvWeights, report: &mut Report) {
    let chance = 1.0 / s.classes as f64;
    let filters = first.shape[0];
    let smooth = per_filter(first, neighbour_correlation);
    let smooth0 = per_filter(start, neighbour_correlation);
    let coherence = per_filter(first, orientation_coherence);
    let coherence0 = per_filter(start, orientation_coherence);
    let bar = p95(&smooth0);
    let structured = smooth.iter().filter(|&&v| v > bar).count();
    for (key, value) in [
        ("test_acc", s.test_acc),
        ("chance", chance),
        ("filters", filters as f64),
        ("trained/smoothness", mean(&smooth)),
        ("initial/smoothness", mean(&smooth0)),
        ("trained/coherence", mean(&coherence)),
        ("initial/coherence", mean(&coherence0)),
        ("trained/mean_abs_w", mean_abs(&first.weight)),
        ("initial/mean_abs_w", mean_abs(&start.weight)),
        ("structured_fraction", structured as f64 / filters as f64),
    ] {
        report.number(key, value);
    }
    report.columns = [
        "filters",
        "mean |w|",
        "neighbour correlation",
        "orientation coherence",
    ]
    .map(String::from)
    .to_vec();
    let reference = if s.exact { "initial" } else { "fresh draw" };
    for (name, w, sm, co) in [
        ("trained", first, &smooth, &coherence),
        (reference, start, &smooth0, &coherence0),
    ] {
        report.rows.push(vec![
            name.into(),
            fmt(mean_abs(&w.weight)),
            fmt(mean(sm)),
            fmt(mean(co)),
        ]);
    }
    let (model, dataset) = &s.what;
    let diverged = s.diverged_at.map_or(String::new(), |i| {
        format!(" (training diverged at iteration {i})")
    });
    let mut lines = vec![format!(
        "{model} reaches {} test accuracy on {} {dataset} test images, {:.1}× chance ({}){diverged}.",
        pct(s.test_acc),
        s.test.len(),
        s.test_acc / chance,
        pct(chance)
    )];
    if s.exact && first.shape == start.shape {
        let n = first.shape[0];
        let rel: Vec<f64> = (0..n)
            .map(|o| relative_change(first.filter(o), start.filter(o)))
            .collect();
        let cos: Vec<f64> = (0..n)
            .map(|o| cosine(first.filter(o), start.filter(o)))
            .collect();
        let changed = cos.iter().filter(|&&c| c < CHANGED_BELOW).count();
        let delta: Vec<f32> = first
            .weight
            .iter()
            .zip(&start.weight)
            .map(|(a, b)| a - b)
            .collect();
        report.number("change/median_relative", median(&rel));
        report.number("change/mean_abs_delta", mean_abs(&delta));
        report.number("changed_fraction", changed as f64 / n as f64);
        lines.push(format!(
            "Training moved the first-layer filters by a median of {} of their initial norm (mean |Δw| {} against mean |w| {} at initialisation); {changed} of {n} filters ({}) end with a cosine similarity below {CHANGED_BELOW} to their initial values.",
            pct(median(&rel)),
            fmt(mean_abs(&delta)),
            fmt(mean_abs(&start.weight)),
            pct(changed as f64 / n as f64),
        ));
    }
    let (st, s0) = (mean(&smooth), mean(&smooth0));
    let verdict = if structured * 5 >= filters {
        "the first layer has learned spatially structured (smooth, blob- and edge-like) filters"
    } else {
        "most first-layer filters are still close to the random noise they started as"
    };
    lines.push(format!(
        "Neighbouring weights of the trained filters correlate at {} on average against {} for the {reference} filters; {structured} of {filters} trained filters ({}) are smoother than 95 % of the {reference} ones (5 % expected by chance): {verdict}.",
        fmt(st),
        fmt(s0),
        pct(structured as f64 / filters as f64),
    ));
    let (ct, c0) = (mean(&coherence), mean(&coherence0));
    lines.push(format!(
        "Orientation coherence (1 = a pure edge) averages {} trained against {} {reference}: the filters are {} oriented.",
        fmt(ct),
        fmt(c0),
        if ct > c0 + 0.02 { "more" } else if ct < c0 - 0.02 { "less" } else { "about as" }
    ));
    report.conclusions = lines;
}

fn draw_filters(
    ctx: &Ctx,
    s: &Subject,
    first: &ConvWeights,
    start: &ConvWeights,
    report: &mut Report,
) -> Result<(), LabError> {
    let [n, c, k, _] = first.shape;
    let scale = (48 / k.max(1)).max(2) as u32;
    let colour = if c == 3 { "in colour" } else { "in grey" };
    tile_grid(&ctx.path("filters.png"), &first.tiles(), 16, scale)?;
    report.picture(
        "filters.png",
        format!(
            "The {n} trained first-layer filters of {} ({k}×{k}, {c} input channel(s), {colour}), each normalised to its own range.",
            s.what.0
        ),
    );
    let which = if s.exact {
        "The same filters at initialisation"
    } else {
        "A fresh random draw of the same layer (the reference)"
    };
    tile_grid(&ctx.path("filters_initial.png"), &start.tiles(), 16, scale)?;
    report.picture(
        "filters_initial.png",
        format!("{which}, drawn the same way."),
    );
    Ok(())
}

/// Stride and padding of the first convolution: the first pair (padding from k/2 down, stride
/// from 1 up) that maps the input side to the side the traced forward pass gives.
fn first_geometry(s: &Subject, x: Tensor<4>, k: usize) -> Result<(usize, usize), LabError> {
    let mut trace = Trace::on();
    let _ = s.network.forward_traced(x, &mut trace);
    let out = trace
        .rows()
        .iter()
        .find(|r| r.kind == "Conv2d")
        .and_then(|r| r.output_shape.get(2).copied())
        .unwrap_or(0);
    let side = s.shape[1];
    (0..=k / 2)
        .rev()
        .flat_map(|p| (1..=k.max(1)).map(move |st| (st, p)))
        .find(|&(st, p)| side + 2 * p >= k && (side + 2 * p - k) / st + 1 == out)
        .ok_or_else(|| {
            LabError::Config(format!(
                "{}: no stride and padding of a {k}×{k} convolution map {side} px to the traced {out}",
                s.what.0
            ))
        })
}

fn feature_maps(
    ctx: &Ctx,
    s: &Subject,
    layers: &[ConvWeights],
    report: &mut Report,
) -> Result<(), LabError> {
    let device = ctx.device.clone().without_autodiff();
    let [c, h, w] = s.shape;
    let x: Tensor<4> = Tensor::from_data(
        TensorData::new(s.test.x[..s.test.dim].to_vec(), [1, c, h, w]),
        &device,
    );
    let label = s.test.y.first().copied().unwrap_or(0);
    let first = &layers[0];
    let k = first.shape[2];
    let (stride, padding) = first_geometry(s, x.clone(), k)?;
    let maps1 = relu(first.forward(x, stride, padding, &device));
    let [_, n1, h1, _] = maps1.dims();
    let input = Tile::new(s.test.x[..s.test.dim].to_vec(), [c, h, w]);
    let mut tiles = map_tiles(maps1.clone(), 64)?;
    let shown = tiles.len();
    let silent = silent_maps(&tiles, "maps/silent_fraction", report);
    let mut lines = vec![format!(
        "On the first test image (class {label}), {silent} of {} first-layer feature maps are zero everywhere after the ReLU; the others respond to parts of the image.",
        tiles.len()
    )];
    if h1 == h && stride == 1 {
        tiles.insert(0, input.labelled("input"));
    } else {
        tile_grid(&ctx.path("input.png"), &[input], 1, 4)?;
        report.picture("input.png", format!("The test image (class {label})."));
    }
    tile_grid(&ctx.path("feature_maps1.png"), &tiles, 13, 3)?;
    report.picture(
        "feature_maps1.png",
        format!(
            "The test image and its first {shown} of {n1} first-layer feature maps (after the ReLU, {h1}×{h1}), each normalised to its own range."
        ),
    );
    // The second layer's input is known for AlexNet without LRN or groups: ReLU, 3×3/2 max pool.
    if let (NetworkConfig::AlexNet(a), Some(second)) = (&s.config, layers.get(1))
        && !a.lrn
        && a.groups == 1
    {
        let pooled = model::builders::max_pool(maps1, 3, 2, 0, false);
        let k2 = second.shape[2];
        let maps2 = relu(second.forward(pooled, 1, k2 / 2, &device));
        let [_, n2, h2, _] = maps2.dims();
        let tiles2 = map_tiles(maps2, 64)?;
        tile_grid(&ctx.path("feature_maps2.png"), &tiles2, 16, 4)?;
        report.picture(
            "feature_maps2.png",
            format!(
                "The first {} of {n2} second-layer feature maps of the same image ({h2}×{h2}, after the ReLU).",
                tiles2.len()
            ),
        );
        let silent2 = silent_maps(&tiles2, "maps2/silent_fraction", report);
        lines.push(format!(
            "In the second layer, {silent2} of the {} maps drawn are zero everywhere.",
            tiles2.len()
        ));
    }
    report.conclusions.extend(lines);
    Ok(())
}
