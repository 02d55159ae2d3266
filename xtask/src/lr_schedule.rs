//! `cargo xtask lr-schedule`: print or plot a learning-rate schedule step by step, or every
//! schedule side by side (`--schedule all`), to compare them before training.
//!
//! The values come from `train::schedule::lr_at`, the same closed form the training scheduler
//! uses; the formulas are documented in `train::schedule`. The chart is drawn with plotters'
//! bitmap backend, its text with a TrueType font read at run time (DejaVu Sans from the
//! `fonts-dejavu-core` package, or the file named by `CNN_FONT`), and saved as PNG.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::ValueEnum;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::prelude::*;
use serde::Serialize;
use train::schedule::{ScheduleConfig, lr_at};

/// Which schedule to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScheduleName {
    /// lr0.
    Constant,
    /// lr0·γ^⌊t/s⌋.
    Step,
    /// lr0·e^(−k·t).
    Exponential,
    /// lr0/(1+k·t).
    TimeBased,
    /// Cosine annealing from lr0 to --min-lr over --period steps.
    Cosine,
    /// Every schedule above, for comparison.
    All,
}

#[derive(clap::Args)]
pub struct LrScheduleArgs {
    /// The schedule (or `all` to compare every schedule).
    #[arg(long, value_enum, default_value = "all")]
    schedule: ScheduleName,
    /// Initial learning rate lr0.
    #[arg(long, default_value_t = 0.1, allow_negative_numbers = true)]
    lr0: f64,
    /// Decay rate k of the exponential and time-based schedules.
    #[arg(long, default_value_t = 0.05, allow_negative_numbers = true)]
    k: f64,
    /// Factor γ of the step schedule.
    #[arg(long, default_value_t = 0.5, allow_negative_numbers = true)]
    gamma: f64,
    /// Steps s between two decays of the step schedule.
    #[arg(long, default_value_t = 10)]
    step_size: u64,
    /// Final learning rate of the cosine schedule.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    min_lr: f64,
    /// Length T of the cosine annealing (default: the steps after warm-up).
    #[arg(long)]
    period: Option<u64>,
    /// Linear warm-up steps N before the decay.
    #[arg(long, default_value_t = 0)]
    warmup: u64,
    /// Number of steps to show (t = 0 .. steps−1).
    #[arg(long, default_value_t = 100)]
    steps: u64,
    /// Print JSON instead of a text table.
    #[arg(long)]
    json: bool,
    /// Also draw the schedule(s) to this PNG file.
    #[arg(long)]
    plot: Option<PathBuf>,
    /// Use a logarithmic learning-rate axis in the plot.
    #[arg(long)]
    log_y: bool,
}

/// One schedule's values, as printed with `--json`.
#[derive(Serialize)]
struct Series {
    name: &'static str,
    config: ScheduleConfig,
    lr: Vec<f64>,
}

#[derive(Serialize)]
struct Output<'a> {
    steps: u64,
    schedules: &'a [Series],
}

pub fn run(args: LrScheduleArgs) -> anyhow::Result<()> {
    if args.steps == 0 {
        bail!("--steps must be at least 1");
    }
    let series = configs(&args)?
        .into_iter()
        .map(|config| Series {
            name: config.name(),
            lr: (0..args.steps).map(|t| lr_at(&config, t)).collect(),
            config,
        })
        .collect::<Vec<_>>();

    if args.json {
        let output = Output {
            steps: args.steps,
            schedules: &series,
        };
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        print_table(&series);
    }
    if let Some(path) = &args.plot {
        plot(&series, args.steps, args.log_y, path)
            .with_context(|| format!("drawing {}", path.display()))?;
        if !args.json {
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// The validated configuration of each schedule asked for.
fn configs(args: &LrScheduleArgs) -> anyhow::Result<Vec<ScheduleConfig>> {
    let names = match args.schedule {
        ScheduleName::All => vec![
            ScheduleName::Constant,
            ScheduleName::Step,
            ScheduleName::Exponential,
            ScheduleName::TimeBased,
            ScheduleName::Cosine,
        ],
        one => vec![one],
    };
    let period = args
        .period
        .unwrap_or(args.steps.saturating_sub(args.warmup).max(1));
    names
        .into_iter()
        .filter_map(|name| {
            let config = match name {
                ScheduleName::Constant => ScheduleConfig::constant(args.lr0),
                ScheduleName::Step => ScheduleConfig::step(args.lr0, args.gamma, args.step_size),
                ScheduleName::Exponential => ScheduleConfig::exponential(args.lr0, args.k),
                ScheduleName::TimeBased => ScheduleConfig::time_based(args.lr0, args.k),
                ScheduleName::Cosine => ScheduleConfig::cosine(args.lr0, args.min_lr, period),
                ScheduleName::All => return None,
            }
            .with_warmup(args.warmup);
            Some(
                config
                    .validate()
                    .map(|()| config)
                    .with_context(|| format!("invalid {} schedule", config.name())),
            )
        })
        .collect()
}

fn print_table(series: &[Series]) {
    let mut header = format!("{:>8}", "t");
    for s in series {
        header.push_str(&format!(" {:>13}", s.name));
    }
    println!("{header}");
    let steps = series.first().map_or(0, |s| s.lr.len());
    for t in 0..steps {
        let mut line = format!("{t:>8}");
        for s in series {
            line.push_str(&format!(" {:>13.6e}", s.lr[t]));
        }
        println!("{line}");
    }
}

/// Registers a TrueType font as plotters' `sans-serif` (shared with the training curves).
pub fn register_font() -> anyhow::Result<()> {
    train::plot::register_font().map_err(anyhow::Error::msg)
}

const COLOURS: [RGBColor; 5] = [
    RGBColor(0, 0, 0),
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
];

fn plot(series: &[Series], steps: u64, log_y: bool, path: &Path) -> anyhow::Result<()> {
    register_font()?;
    const W: u32 = 1000;
    const H: u32 = 620;
    let mut buffer = vec![0u8; (W * H * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (W, H)).into_drawing_area();
        root.fill(&WHITE)?;
        let max = series
            .iter()
            .flat_map(|s| s.lr.iter().copied())
            .fold(f64::MIN_POSITIVE, f64::max);
        let min_positive = series
            .iter()
            .flat_map(|s| s.lr.iter().copied())
            .filter(|lr| *lr > 0.0)
            .fold(max, f64::min);
        let title = match series {
            [one] => format!("Learning-rate schedule: {}", one.config),
            _ => "Learning-rate schedules".to_string(),
        };
        let x_range = 0u64..steps.saturating_sub(1).max(1);
        let mut builder = ChartBuilder::on(&root);
        let chart = builder
            .caption(title, ("sans-serif", 24))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(80);
        if log_y {
            let y_range = (min_positive * 0.8..max * 6.0).log_scale();
            let mut chart = chart.build_cartesian_2d(x_range, y_range)?;
            draw_series(&mut chart, series, true)?;
        } else {
            let mut chart = chart.build_cartesian_2d(x_range, 0.0..max * 1.4)?;
            draw_series(&mut chart, series, false)?;
        }
        root.present()?;
    }
    image::save_buffer(path, &buffer, W, H, image::ExtendedColorType::Rgb8)?;
    Ok(())
}

fn draw_series<'a, Y>(
    chart: &mut ChartContext<
        'a,
        BitMapBackend<'a>,
        Cartesian2d<plotters::coord::types::RangedCoordu64, Y>,
    >,
    series: &[Series],
    log_y: bool,
) -> anyhow::Result<()>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .x_desc("step t")
        .y_desc(if log_y {
            "learning rate (log scale)"
        } else {
            "learning rate"
        })
        .axis_desc_style(("sans-serif", 18))
        .label_style(("sans-serif", 15))
        .y_label_formatter(&|y| {
            if *y == 0.0 {
                "0".to_string()
            } else if y.abs() >= 1e-2 {
                format!("{y:.3}")
            } else {
                format!("{y:.1e}")
            }
        })
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (i, s) in series.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let points =
            s.lr.iter()
                .enumerate()
                .filter(|(_, lr)| !log_y || **lr > 0.0)
                .map(|(t, lr)| (t as u64, *lr));
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(2)))?
            .label(s.config.to_string())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], colour.stroke_width(3)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 15))
        .draw()?;
    Ok(())
}
