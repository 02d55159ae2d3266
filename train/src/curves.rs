//! `curves.png`: loss and top-1 accuracy (segmentation: mean IoU) of the training and validation
//! splits, and the learning rate, against the epoch — the three panels a practitioner looks at to
//! judge a run.

use std::path::Path;

use plotters::prelude::*;

use crate::atomic::write_atomic;
use crate::error::TrainError;
use crate::metrics_csv::MetricsTable;
use crate::plot::register_font;

const TRAIN: RGBColor = RGBColor(31, 119, 180);
const VALID: RGBColor = RGBColor(214, 39, 40);

fn series(
    table: &MetricsTable,
    split: &str,
    value: impl Fn(&crate::metrics_csv::EpochRow) -> f64,
) -> Vec<(f64, f64)> {
    table
        .split(split)
        .map(|r| (r.epoch as f64, value(r)))
        .filter(|(_, v)| v.is_finite())
        .collect()
}

fn range(points: &[&[(f64, f64)]]) -> (f64, f64) {
    let (lo, hi) = points
        .iter()
        .flat_map(|s| s.iter().map(|p| p.1))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.05).max(1e-9);
    (lo - pad, hi + pad)
}

type Panel<'a> = (&'a str, Vec<(&'a str, RGBColor, Vec<(f64, f64)>)>);

/// The x-axis label at `v`: the epoch when `v` is a whole epoch, nothing between epochs.
pub fn epoch_tick_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-6 {
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

/// Draw the curves of `table` to `path`.
pub fn plot_curves(table: &MetricsTable, path: &Path) -> Result<(), TrainError> {
    let fail = |e: String| TrainError::Plot {
        path: path.to_path_buf(),
        problem: e,
    };
    register_font().map_err(fail)?;
    let epochs = table.rows.iter().map(|r| r.epoch).max().unwrap_or(1).max(2) as f64;
    let panels: [Panel; 3] = [
        (
            "cross-entropy loss",
            vec![
                ("train", TRAIN, series(table, "train", |r| r.loss)),
                ("valid", VALID, series(table, "valid", |r| r.loss)),
            ],
        ),
        if table.is_segmentation() {
            (
                "mean IoU",
                vec![
                    ("train", TRAIN, series(table, "train", |r| r.miou)),
                    ("valid", VALID, series(table, "valid", |r| r.miou)),
                ],
            )
        } else {
            (
                "top-1 accuracy",
                vec![
                    ("train", TRAIN, series(table, "train", |r| r.top1)),
                    ("valid", VALID, series(table, "valid", |r| r.top1)),
                ],
            )
        },
        (
            "learning rate",
            vec![("lr", TRAIN, series(table, "train", |r| r.lr))],
        ),
    ];
    const W: u32 = 1500;
    const H: u32 = 450;
    let mut buffer = vec![0u8; (W * H * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (W, H)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        for (area, (title, lines)) in root.split_evenly((1, 3)).iter().zip(panels) {
            let all: Vec<&[(f64, f64)]> = lines.iter().map(|l| l.2.as_slice()).collect();
            let (lo, hi) = range(&all);
            let mut chart = ChartBuilder::on(area)
                .caption(title, ("sans-serif", 20))
                .margin(12)
                .x_label_area_size(40)
                .y_label_area_size(70)
                .build_cartesian_2d(1.0..epochs, lo..hi)
                .map_err(|e| fail(e.to_string()))?;
            chart
                .configure_mesh()
                .x_desc("epoch")
                .x_labels((epochs as usize).min(12))
                .x_label_formatter(&|v: &f64| epoch_tick_label(*v))
                .y_label_formatter(&|v: &f64| {
                    if title == "learning rate" {
                        format!("{v:.2e}")
                    } else {
                        format!("{v:.3}")
                    }
                })
                .label_style(("sans-serif", 13))
                .draw()
                .map_err(|e| fail(e.to_string()))?;
            for (label, colour, points) in lines {
                chart
                    .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
                    .map_err(|e| fail(e.to_string()))?
                    .label(label)
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
                    });
                chart
                    .draw_series(
                        points
                            .into_iter()
                            .map(|p| Circle::new(p, 3, colour.filled())),
                    )
                    .map_err(|e| fail(e.to_string()))?;
            }
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .label_font(("sans-serif", 13))
                .draw()
                .map_err(|e| fail(e.to_string()))?;
        }
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    write_png(path, &buffer, W, H).map_err(fail)
}

/// Encode an RGB buffer as PNG and write it atomically.
pub fn write_png(path: &Path, rgb: &[u8], width: u32, height: u32) -> Result<(), String> {
    use image::ImageEncoder;
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(rgb, width, height, image::ExtendedColorType::Rgb8)
        .map_err(|e| e.to_string())?;
    write_atomic(path, &bytes).map_err(|e| e.to_string())
}
