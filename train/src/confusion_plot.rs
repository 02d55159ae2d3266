//! `confusion.png`: the test split's confusion matrix as a heat map — rows are the true classes,
//! columns the predicted ones, each cell shaded by its share of the row (so rare classes read as
//! clearly as common ones) and labelled with that share in percent when the classes are few enough;
//! a cell whose share rounds to 0 % shows its count in brackets instead, so rare confusions stay
//! visible.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::confusion::ConfusionMatrix;
use crate::curves::write_png;
use crate::error::TrainError;
use crate::plot::register_font;

/// Colour of a cell holding `share` (0–1) of its row: white to dark blue.
fn shade(share: f64) -> RGBColor {
    let s = share.clamp(0.0, 1.0);
    let mix = |from: f64, to: f64| (from + (to - from) * s).round() as u8;
    RGBColor(mix(255.0, 8.0), mix(255.0, 48.0), mix(255.0, 107.0))
}

/// The text of a cell holding `count` of its row's `row` items: the percentage, or `(count)` when
/// that rounds to 0; nothing for an empty cell.
pub fn cell_label(count: u64, row: u64) -> Option<String> {
    if count == 0 || row == 0 {
        return None;
    }
    let percent = (100.0 * count as f64 / row as f64).round();
    Some(if percent == 0.0 {
        format!("({count})")
    } else {
        format!("{percent:.0}")
    })
}

/// Draw `matrix` with `classes` as axis labels to `path` (`title` above it).
pub fn plot_confusion(
    matrix: &ConfusionMatrix,
    classes: &[String],
    title: &str,
    path: &Path,
) -> Result<(), TrainError> {
    let fail = |e: String| TrainError::Plot {
        path: path.to_path_buf(),
        problem: e,
    };
    register_font().map_err(fail)?;
    let n = matrix.classes();
    let cell = (640 / n.max(1)).clamp(4, 60) as i32;
    let label_w = 110i32;
    let (left, top) = (label_w + 30, 70i32);
    let side = cell * n as i32;
    let (width, height) = ((left + side + 30) as u32, (top + side + 40) as u32);
    let mut buffer = vec![0u8; (width * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        let draw = |e: Result<(), DrawingAreaErrorKind<_>>| e.map_err(|e| fail(e.to_string()));
        let centred = |size: i32| {
            ("sans-serif", size)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Center))
        };
        draw(root.draw(&Text::new(
            title.to_string(),
            ((left + side / 2), 20),
            centred(18),
        )))?;
        draw(root.draw(&Text::new(
            "predicted →",
            (left + side / 2, top - 40),
            centred(14),
        )))?;
        let label_size = (cell / 2).clamp(8, 14);
        let show_labels = cell >= 8;
        for t in 0..n {
            let row: u64 = (0..n).map(|p| matrix.get(t, p)).sum();
            let y = top + cell * t as i32;
            for p in 0..n {
                let count = matrix.get(t, p);
                let share = if row > 0 {
                    count as f64 / row as f64
                } else {
                    0.0
                };
                let x = left + cell * p as i32;
                draw(root.draw(&Rectangle::new(
                    [(x, y), (x + cell, y + cell)],
                    shade(share).filled(),
                )))?;
                if n <= 20
                    && let Some(text) = cell_label(count, row)
                {
                    let colour = if share > 0.5 { WHITE } else { BLACK };
                    draw(
                        root.draw(&Text::new(
                            text,
                            (x + cell / 2, y + cell / 2),
                            ("sans-serif", label_size)
                                .into_font()
                                .color(&colour)
                                .pos(Pos::new(HPos::Center, VPos::Center)),
                        )),
                    )?;
                }
            }
            if show_labels {
                let name = classes.get(t).cloned().unwrap_or_else(|| t.to_string());
                let name: String = name.chars().take(14).collect();
                draw(
                    root.draw(&Text::new(
                        name.clone(),
                        (left - 6, y + cell / 2),
                        ("sans-serif", label_size)
                            .into_font()
                            .color(&BLACK)
                            .pos(Pos::new(HPos::Right, VPos::Center)),
                    )),
                )?;
                draw(
                    root.draw(&Text::new(
                        name,
                        (left + cell * t as i32 + cell / 2, top - 6),
                        ("sans-serif", label_size)
                            .into_font()
                            .color(&BLACK)
                            .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )),
                )?;
            }
        }
        draw(root.draw(&Text::new(
            "rows: true class; cells: % of the row, (n): a count under 0.5 %",
            (left + side / 2, top + side + 20),
            centred(13),
        )))?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    write_png(path, &buffer, width, height).map_err(fail)
}
