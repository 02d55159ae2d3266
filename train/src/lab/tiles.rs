//! Grids of small images drawn pixel by pixel: first-layer filters, feature maps, test images.
//! Each tile is normalised on its own (its minimum black, its maximum white) unless it names a
//! fixed range (a mask's class ids), drawn in colour
//! when it has three channels and in grey otherwise (the first channel), enlarged `scale` times,
//! with an optional label under it.

use std::path::Path;

use plotters::prelude::*;

use super::error::LabError;
use super::plots::canvas;

/// One small image: `values` in CHW order of `shape`, and a label (empty: none).
#[derive(Debug, Clone)]
pub struct Tile {
    /// CHW values, any range.
    pub values: Vec<f32>,
    /// `[channels, height, width]`.
    pub shape: [usize; 3],
    /// Text drawn under the tile.
    pub label: String,
    /// A fixed value range drawn black to white (class ids of a mask); `None`: the tile's own.
    pub range: Option<(f32, f32)>,
}

impl Tile {
    /// A tile without a label.
    pub fn new(values: Vec<f32>, shape: [usize; 3]) -> Self {
        Self {
            values,
            shape,
            label: String::new(),
            range: None,
        }
    }

    /// The same tile drawn on the fixed range `lo..=hi` (values outside clamp).
    pub fn with_range(mut self, lo: f32, hi: f32) -> Self {
        self.range = Some((lo, hi));
        self
    }

    /// The same tile with `label` under it.
    pub fn labelled(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// The tile's colours, row after row: min-max normalised, RGB for three channels.
    pub fn rgb(&self) -> Vec<RGBColor> {
        let [c, h, w] = self.shape;
        let plane = h * w;
        let finite = self.values.iter().copied().filter(|v| v.is_finite());
        let own = || finite.fold((f32::MAX, f32::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let (lo, hi) = self.range.unwrap_or_else(own);
        let span = (hi - lo).max(1e-12);
        let level = |i: usize| -> u8 {
            let v = self.values.get(i).copied().unwrap_or(lo);
            if !v.is_finite() {
                return 0;
            }
            (255.0 * ((v - lo) / span).clamp(0.0, 1.0)).round() as u8
        };
        (0..plane)
            .map(|p| {
                if c == 3 {
                    RGBColor(level(p), level(plane + p), level(2 * plane + p))
                } else {
                    let g = level(p);
                    RGBColor(g, g, g)
                }
            })
            .collect()
    }
}

const GAP: u32 = 4;
const LABEL_HEIGHT: u32 = 14;

/// Draws `tiles` in rows of `cols`, each enlarged `scale` times, into the PNG `path`; every tile
/// must have the first tile's height and width. Returns the picture's `[width, height]`.
pub fn tile_grid(
    path: &Path,
    tiles: &[Tile],
    cols: usize,
    scale: u32,
) -> Result<[u32; 2], LabError> {
    let first = tiles.first().ok_or_else(|| LabError::Plot {
        path: path.to_path_buf(),
        problem: "no images to draw".into(),
    })?;
    let [_, h, w] = first.shape;
    if let Some(odd) = tiles.iter().find(|t| t.shape[1..] != first.shape[1..]) {
        return Err(LabError::Plot {
            path: path.to_path_buf(),
            problem: format!(
                "tiles of mixed sizes: {:?} and {:?}",
                first.shape, odd.shape
            ),
        });
    }
    let cols = cols.clamp(1, tiles.len());
    let rows = tiles.len().div_ceil(cols);
    let scale = scale.max(1);
    let label = if tiles.iter().any(|t| !t.label.is_empty()) {
        LABEL_HEIGHT
    } else {
        0
    };
    let (cell_w, cell_h) = (w as u32 * scale + GAP, h as u32 * scale + GAP + label);
    let size = [cols as u32 * cell_w + GAP, rows as u32 * cell_h + GAP];
    canvas(path, size[0], size[1], |root| {
        let e = |e: &dyn std::fmt::Display| e.to_string();
        for (k, tile) in tiles.iter().enumerate() {
            let left = GAP + (k % cols) as u32 * cell_w;
            let top = GAP + (k / cols) as u32 * cell_h;
            for (p, color) in tile.rgb().into_iter().enumerate() {
                let (y, x) = ((p / w) as u32, (p % w) as u32);
                for dy in 0..scale {
                    for dx in 0..scale {
                        let at = (left + x * scale + dx, top + y * scale + dy);
                        root.draw_pixel((at.0 as i32, at.1 as i32), &color)
                            .map_err(|x| e(&x))?;
                    }
                }
            }
            if !tile.label.is_empty() {
                let at = (left as i32, (top + h as u32 * scale + 2) as i32);
                root.draw(&Text::new(tile.label.clone(), at, ("sans-serif", 11)))
                    .map_err(|x| e(&x))?;
            }
        }
        Ok(())
    })?;
    Ok(size)
}
