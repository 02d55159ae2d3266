//! The experiments, one file each; [`runner`] maps a name to its function, `None` for the
//! names that are not implemented yet.

pub mod init;

use super::{Ctx, ExperimentName, LabError, Report};

/// An experiment's entry point.
pub type Runner = fn(&Ctx) -> Result<Report, LabError>;

/// The function of experiment `name`, if it is implemented.
pub fn runner(name: ExperimentName) -> Option<Runner> {
    match name {
        ExperimentName::Init => Some(init::run),
        _ => None,
    }
}

/// A moving average of `values` over `window` points, as `(index, mean)` pairs.
pub fn smooth(values: &[f64], window: usize) -> Vec<(f64, f64)> {
    let window = window.max(1);
    let mut out = Vec::with_capacity(values.len());
    let mut sum = 0.0;
    for (i, &v) in values.iter().enumerate() {
        sum += v;
        if i >= window {
            sum -= values[i - window];
        }
        let n = (i + 1).min(window) as f64;
        out.push((i as f64, sum / n));
    }
    out
}
