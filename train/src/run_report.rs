//! `report.html` of an ordinary training run, beside `summary.json`: one self-contained page
//! (every picture a `data:` URI, no script, no network) with the run's headline numbers, its
//! curves, its confusion matrix, a grid of the test images it got most wrong (classification:
//! `mistakes.png`) or of test images with their true and predicted masks (segmentation:
//! `examples.png`), its configuration and its summary. Written atomically; the pipeline keeps a
//! failure to draw it as a warning, never losing the run.

use std::path::Path;

use crate::atomic::write_atomic;
use crate::error::TrainError;
use crate::experiment::ExperimentConfig;
use crate::lab::html::{escape, figure as embedded_figure, page_start, table};
use crate::lab::tiles::{Tile, tile_grid};
use crate::mistakes::{Gallery, Mistake};
use crate::run_dir::RunDir;
use crate::summary::RunSummary;

/// Mistakes drawn in the grid.
pub const MISTAKES_SHOWN: usize = 32;

fn plot_err(path: &Path) -> impl Fn(crate::lab::LabError) -> TrainError + '_ {
    move |e| TrainError::Plot {
        path: path.to_path_buf(),
        problem: e.to_string(),
    }
}

/// A class name cut to `n` characters for a tile label.
fn short(name: &str, n: usize) -> String {
    name.chars().take(n).collect()
}

/// `<figure>` with the PNG at `path`, or a sentence saying it was not drawn.
fn figure(path: &Path, caption: &str) -> String {
    match embedded_figure(path, caption) {
        Ok(figure) => figure,
        Err(_) => format!(
            "<p>{}: not drawn (see the warnings).</p>\n",
            escape(caption)
        ),
    }
}

fn mistake_rows(items: &[Mistake], classes: &[String]) -> Vec<Vec<String>> {
    let name = |c: usize| classes.get(c).cloned().unwrap_or_else(|| c.to_string());
    items
        .iter()
        .map(|m| {
            vec![
                m.index.to_string(),
                name(m.truth),
                name(m.predicted),
                format!("{:.1} %", 100.0 * m.confidence),
            ]
        })
        .collect()
}

/// The gallery's section: `mistakes.png` (or `examples.png`) drawn into `dir`, or the note.
fn gallery_section(dir: &RunDir, gallery: &Gallery) -> Result<String, TrainError> {
    let (items, classes) = match gallery {
        Gallery::Note(note) => {
            return Ok(format!("<h2>Test images</h2>\n<p>{}</p>\n", escape(note)));
        }
        Gallery::Triplets(tiles) => return triplets_section(dir, tiles),
        Gallery::Mistakes { items, classes } => (items, classes),
    };
    let mut out = String::from("<h2>Test images it got most wrong</h2>\n");
    if items.is_empty() {
        return Ok(out + "<p>No test image was misclassified.</p>\n");
    }
    let label = |c: usize| short(classes.get(c).map_or("?", |s| s.as_str()), 7);
    let tiles: Vec<Tile> = items
        .iter()
        .map(|m| {
            Tile::new(m.pixels.clone(), m.shape).labelled(format!(
                "{}→{}",
                label(m.truth),
                label(m.predicted)
            ))
        })
        .collect();
    let caption = format!(
        "The {} misclassified test images with the most confident wrong answers (true → predicted), most confident first.",
        items.len()
    );
    out.push_str(&grid_figure(&dir.mistakes_file(), &tiles, 8, &caption)?);
    let columns = ["test index", "true class", "predicted", "confidence"].map(String::from);
    out.push_str(&table(&columns, &mistake_rows(items, classes)));
    Ok(out)
}

fn triplets_section(dir: &RunDir, tiles: &[Tile]) -> Result<String, TrainError> {
    let mut out = String::from("<h2>Test images: truth and prediction</h2>\n");
    if tiles.is_empty() {
        return Ok(out + "<p>The test split is empty.</p>\n");
    }
    let caption = format!(
        "The first {} test images, their true masks and the predicted masks (one grey level per class).",
        tiles.len() / 3
    );
    out.push_str(&grid_figure(&dir.examples_file(), tiles, 6, &caption)?);
    Ok(out)
}

/// `tiles` drawn as a grid of `cols` into `path` and embedded with `caption`.
fn grid_figure(
    path: &Path,
    tiles: &[Tile],
    cols: usize,
    caption: &str,
) -> Result<String, TrainError> {
    let side = tiles.first().map_or(1, |t| t.shape[2].max(1));
    tile_grid(path, tiles, cols, (96 / side).clamp(1, 4) as u32).map_err(plot_err(path))?;
    Ok(figure(path, caption))
}

fn pre(title: &str, text: &str) -> String {
    format!("<h2>{}</h2>\n<pre>{}</pre>\n", escape(title), escape(text))
}

/// The page of the run in `dir`, drawing `mistakes.png` on the way.
pub fn report_page(
    dir: &RunDir,
    config: &ExperimentConfig,
    summary: &RunSummary,
    gallery: &Gallery,
) -> Result<String, TrainError> {
    let mut out = page_start(&format!("Run: {} on {}", summary.model, summary.dataset));
    out.push_str(&format!("<p>{}</p>\n", escape(&summary.headline())));
    let rows: Vec<Vec<String>> = [
        ("run folder", summary.run_dir.clone()),
        ("epochs", summary.epochs.to_string()),
        ("best epoch", summary.best_epoch.to_string()),
        ("test loss", format!("{:.4}", summary.test_loss)),
        ("test images", summary.test_images.to_string()),
        ("parameters", summary.parameters.to_string()),
        ("wall time", format!("{:.1} s", summary.wall_seconds)),
        ("warnings", summary.warnings.join("; ")),
    ]
    .into_iter()
    .map(|(k, v)| vec![k.to_string(), v])
    .collect();
    out.push_str(&table(&["quantity".into(), "value".into()], &rows));
    out.push_str("<h2>Curves</h2>\n");
    out.push_str(&figure(
        &dir.curves_file(),
        "Loss, score and learning rate of the training and validation splits per epoch.",
    ));
    out.push_str("<h2>Confusion matrix</h2>\n");
    out.push_str(&figure(
        &dir.confusion_file(),
        "The test split's confusion matrix of the best model.",
    ));
    out.push_str(&gallery_section(dir, gallery)?);
    out.push_str(&pre("Configuration (config.json)", &config.to_json()?));
    let summary_json = serde_json::to_string_pretty(summary)
        .map_err(|e| TrainError::Config(format!("summary: {e}")))?;
    out.push_str(&pre("Summary (summary.json)", &summary_json));
    out.push_str("</body></html>\n");
    Ok(out)
}

/// Writes `report.html` (and `mistakes.png`) into the run folder, atomically.
pub fn write_report(
    dir: &RunDir,
    config: &ExperimentConfig,
    summary: &RunSummary,
    gallery: &Gallery,
) -> Result<(), TrainError> {
    let page = report_page(dir, config, summary, gallery)?;
    write_atomic(&dir.report_file(), page.as_bytes())
}
