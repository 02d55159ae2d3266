//! One folder per trained variant, `variants/<variant>/`: `metrics.csv` (epoch, train loss,
//! train and test accuracy, test loss, learning rate, seconds) and `iterations.csv` (the loss
//! of every step), so that any curve of the report can be redrawn or compared.

use std::fmt::Write as _;

use super::Ctx;
use super::error::LabError;
use super::fit::Fitted;

/// A folder-safe form of a variant's name.
pub fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes `variants/<variant>/{metrics,iterations}.csv` for `fitted`.
pub fn write_variant<M>(ctx: &Ctx, variant: &str, fitted: &Fitted<M>) -> Result<(), LabError> {
    let dir = ctx.dir.join("variants").join(slug(variant));
    std::fs::create_dir_all(&dir).map_err(LabError::io(&dir))?;
    let mut metrics =
        String::from("epoch,train_loss,train_eval_loss,train_acc,test_loss,test_acc,lr,seconds\n");
    for p in &fitted.epochs {
        let _ = writeln!(
            metrics,
            "{},{},{},{},{},{},{},{:.3}",
            p.epoch,
            p.train_loss,
            p.train_eval_loss,
            p.train_acc,
            p.test_loss,
            p.test_acc,
            p.lr,
            p.seconds
        );
    }
    let path = dir.join("metrics.csv");
    std::fs::write(&path, metrics).map_err(LabError::io(&path))?;
    let mut iters = String::from("iteration,loss\n");
    for (i, l) in fitted.iter_loss.iter().enumerate() {
        let _ = writeln!(iters, "{i},{l}");
    }
    let path = dir.join("iterations.csv");
    std::fs::write(&path, iters).map_err(LabError::io(&path))
}
