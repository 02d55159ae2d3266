//! The experiments' pictures (PNG, drawn with plotters): line charts of several variants on one
//! set of axes (linear or logarithmic y) and grids of histograms.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::LabError;
use crate::curves::write_png;
use crate::plot::register_font;

/// A colour per variant (matplotlib's tab10).
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// One named curve.
#[derive(Debug, Clone)]
pub struct Series {
    /// The legend entry.
    pub name: String,
    /// `(x, y)` points; non-finite ones are left out.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A series named `name`.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
        }
    }
}

/// One chart of a figure.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Title above the axes.
    pub title: String,
    /// Label of the x axis.
    pub x_label: String,
    /// Label of the y axis.
    pub y_label: String,
    /// Logarithmic y axis.
    pub log_y: bool,
    /// The curves.
    pub series: Vec<Series>,
}

impl Chart {
    /// A chart titled `title` of `series` on a linear y axis.
    pub fn new(
        title: impl Into<String>,
        x_label: &str,
        y_label: &str,
        series: Vec<Series>,
    ) -> Self {
        Self {
            title: title.into(),
            x_label: x_label.to_string(),
            y_label: y_label.to_string(),
            log_y: false,
            series,
        }
    }

    /// The same chart on a logarithmic y axis when `log_y`.
    pub fn log_scale(mut self, log_y: bool) -> Self {
        self.log_y = log_y;
        self
    }
}

pub(crate) fn plot_err(path: &Path) -> impl Fn(String) -> LabError + '_ {
    move |problem| LabError::Plot {
        path: path.to_path_buf(),
        problem,
    }
}

fn bounds(chart: &Chart) -> ((f64, f64), (f64, f64)) {
    let pts = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter())
        .filter(|p| p.0.is_finite() && p.1.is_finite() && (!chart.log_y || p.1 > 0.0));
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if x0 > x1 {
        return ((0.0, 1.0), (if chart.log_y { 1e-3 } else { 0.0 }, 1.0));
    }
    if x1 - x0 < 1e-12 {
        x1 = x0 + 1.0;
    }
    if chart.log_y {
        (y0, y1) = (y0 / 2.0, y1 * 2.0);
    } else {
        let pad = ((y1 - y0) * 0.05).max(1e-9);
        (y0, y1) = (y0 - pad, y1 + pad);
    }
    ((x0, x1), (y0, y1))
}

fn draw_chart(area: &DrawingArea<BitMapBackend, Shift>, chart: &Chart) -> Result<(), String> {
    let ((x0, x1), (y0, y1)) = bounds(chart);
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(&chart.title, ("sans-serif", 18))
        .margin(8)
        .x_label_area_size(34)
        .y_label_area_size(60);
    macro_rules! body {
        ($ctx:expr) => {{
            let mut ctx = $ctx;
            ctx.configure_mesh()
                .x_desc(chart.x_label.as_str())
                .y_desc(chart.y_label.as_str())
                .x_label_formatter(&|v: &f64| tick(*v))
                .y_label_formatter(&|v: &f64| tick(*v))
                .label_style(("sans-serif", 12))
                .draw()
                .map_err(|x| e(&x))?;
            for (i, s) in chart.series.iter().enumerate() {
                let color = PALETTE[i % PALETTE.len()];
                let pts: Vec<(f64, f64)> = s
                    .points
                    .iter()
                    .copied()
                    .filter(|p| p.0.is_finite() && p.1.is_finite() && (!chart.log_y || p.1 > 0.0))
                    .collect();
                ctx.draw_series(LineSeries::new(pts, color.stroke_width(2)))
                    .map_err(|x| e(&x))?
                    .label(s.name.as_str())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                    });
            }
            ctx.configure_series_labels()
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .label_font(("sans-serif", 12))
                .position(SeriesLabelPosition::UpperRight)
                .draw()
                .map_err(|x| e(&x))?;
        }};
    }
    if chart.log_y {
        body!(
            builder
                .build_cartesian_2d(x0..x1, (y0..y1).log_scale())
                .map_err(|x| e(&x))?
        );
    } else {
        body!(
            builder
                .build_cartesian_2d(x0..x1, y0..y1)
                .map_err(|x| e(&x))?
        );
    }
    Ok(())
}

/// The drawing area `draw` paints on, a white `width`×`height` bitmap written to `path` as PNG.
pub type Canvas<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// Draws with `draw` on a white `width`×`height` canvas and writes it to `path` as PNG.
pub fn canvas<F>(path: &Path, width: u32, height: u32, draw: F) -> Result<(), LabError>
where
    F: FnOnce(&Canvas) -> Result<(), String>,
{
    let fail = plot_err(path);
    register_font().map_err(&fail)?;
    let mut buffer = vec![0u8; (width * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        draw(&root).map_err(&fail)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    write_png(path, &buffer, width, height).map_err(fail)
}

/// A short tick label: whole numbers without decimals, very small or large values as `1e-7`.
pub fn tick(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-2..1e5).contains(&a) {
        format!("{v:.0e}")
    } else if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// Draws `charts` side by side (`cols` per row) into `path`.
pub fn charts(path: &Path, charts: &[Chart], cols: usize) -> Result<(), LabError> {
    let cols = cols.clamp(1, charts.len().max(1));
    let rows = charts.len().div_ceil(cols).max(1);
    canvas(path, 520 * cols as u32, 380 * rows as u32, |root| {
        for (area, chart) in root.split_evenly((rows, cols)).iter().zip(charts) {
            draw_chart(area, chart)?;
        }
        Ok(())
    })
}

/// A grid of histograms: `rows` labelled rows of `values` panels (one per column label),
/// `bins` bins each on the panel's own range.
pub fn histogram_grid(
    path: &Path,
    title: &str,
    col_labels: &[String],
    rows: &[(String, Vec<Vec<f32>>)],
    bins: usize,
) -> Result<(), LabError> {
    let cols = col_labels.len().max(1);
    let size = (240 * cols as u32 + 40, 170 * rows.len().max(1) as u32 + 40);
    canvas(path, size.0, size.1, |root| {
        let e = |e: &dyn std::fmt::Display| e.to_string();
        let root = root.titled(title, ("sans-serif", 20)).map_err(|x| e(&x))?;
        let cells = root.split_evenly((rows.len().max(1), cols));
        for (r, (label, panels)) in rows.iter().enumerate() {
            for (c, values) in panels.iter().enumerate().take(cols) {
                let caption = format!("{label} · {}", col_labels.get(c).map_or("", |s| s.as_str()));
                histogram(
                    &cells[r * cols + c],
                    &caption,
                    values,
                    bins,
                    PALETTE[r % PALETTE.len()],
                )?;
            }
        }
        Ok(())
    })
}

/// One histogram of `values` in `bins` bins on their own range.
pub fn histogram(
    area: &Canvas,
    caption: &str,
    values: &[f32],
    bins: usize,
    color: RGBColor,
) -> Result<(), String> {
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let bins = bins.max(1);
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::MAX, f64::MIN), |(a, b), &v| {
            (a.min(v as f64), b.max(v as f64))
        });
    let (lo, hi) = if lo > hi {
        (0.0, 1.0)
    } else if hi - lo < 1e-30 {
        (lo - 1e-30, hi + 1e-30)
    } else {
        (lo, hi)
    };
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u32; bins];
    for &v in values.iter().filter(|v| v.is_finite()) {
        let b = (((v as f64 - lo) / width) as usize).min(bins - 1);
        counts[b] += 1;
    }
    let top = counts.iter().copied().max().unwrap_or(1).max(1);
    let mut ctx = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 12))
        .margin(4)
        .x_label_area_size(18)
        .y_label_area_size(8)
        .build_cartesian_2d(lo..hi, 0u32..top)
        .map_err(|x| e(&x))?;
    ctx.configure_mesh()
        .disable_y_axis()
        .disable_mesh()
        .x_labels(3)
        .x_label_formatter(&|v| format!("{v:.1e}"))
        .label_style(("sans-serif", 10))
        .draw()
        .map_err(|x| e(&x))?;
    ctx.draw_series(counts.iter().enumerate().map(|(b, &n)| {
        let x0 = lo + b as f64 * width;
        Rectangle::new([(x0, 0), (x0 + width, n)], color.filled())
    }))
    .map_err(|x| e(&x))?;
    Ok(())
}
