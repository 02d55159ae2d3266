//! `metrics.csv`: one row per epoch and split — `epoch,split,loss,top1,top5,lr,seconds,images_per_s`
//! for classification, `epoch,split,loss,pixel_accuracy,miou,lr,seconds,images_per_s` for
//! segmentation.
//! Rewritten atomically after every split so an interrupted run keeps every finished epoch, and read
//! back by `--resume` and by the curve plot.

use std::fmt::Write as _;
use std::path::Path;

use crate::atomic::write_atomic;
use crate::error::TrainError;

/// The CSV header of classification runs.
pub const HEADER: &str = "epoch,split,loss,top1,top5,lr,seconds,images_per_s";
/// The CSV header of segmentation runs.
pub const SEGMENTATION_HEADER: &str =
    "epoch,split,loss,pixel_accuracy,miou,lr,seconds,images_per_s";

/// One epoch of one split.
#[derive(Debug, Clone, PartialEq)]
pub struct EpochRow {
    /// Epoch, from 1.
    pub epoch: usize,
    /// `train`, `valid` or `test`.
    pub split: String,
    /// Mean cross-entropy.
    pub loss: f64,
    /// Top-1 accuracy in [0, 1] (segmentation: pixel accuracy).
    pub top1: f64,
    /// Top-5 accuracy in [0, 1] (NaN for segmentation).
    pub top5: f64,
    /// Mean IoU in [0, 1] (NaN for classification).
    pub miou: f64,
    /// Mean learning rate over the epoch (as Burn's learning-rate metric aggregates it).
    pub lr: f64,
    /// Wall time of the split.
    pub seconds: f64,
    /// Images processed per second.
    pub images_per_second: f64,
}

impl EpochRow {
    /// A one-line human summary.
    pub fn progress_line(&self) -> String {
        if self.miou.is_finite() {
            return format!(
                "epoch {:>3} {:<5} loss {:.4}  pixel acc {:>6.2}%  mIoU {:.4}  lr {:.3e}  {:>6.1}s  {:>7.1} img/s",
                self.epoch,
                self.split,
                self.loss,
                100.0 * self.top1,
                self.miou,
                self.lr,
                self.seconds,
                self.images_per_second
            );
        }
        format!(
            "epoch {:>3} {:<5} loss {:.4}  top-1 {:>6.2}%  top-5 {:>6.2}%  lr {:.3e}  {:>6.1}s  {:>7.0} img/s",
            self.epoch,
            self.split,
            self.loss,
            100.0 * self.top1,
            100.0 * self.top5,
            self.lr,
            self.seconds,
            self.images_per_second
        )
    }
}

/// All rows of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricsTable {
    /// Rows in the order they were produced.
    pub rows: Vec<EpochRow>,
}

impl MetricsTable {
    /// Append a row.
    pub fn push(&mut self, row: EpochRow) {
        self.rows.push(row);
    }

    /// Keep only epochs up to `epoch` (used when resuming).
    pub fn truncate_after(&mut self, epoch: usize) {
        self.rows.retain(|r| r.epoch <= epoch);
    }

    /// Rows of one split.
    pub fn split<'a>(&'a self, split: &'a str) -> impl Iterator<Item = &'a EpochRow> + 'a {
        self.rows.iter().filter(move |r| r.split == split)
    }

    /// The CSV text.
    pub fn to_csv(&self) -> String {
        let segmentation = self.is_segmentation();
        let mut out = String::from(if segmentation {
            SEGMENTATION_HEADER
        } else {
            HEADER
        });
        out.push('\n');
        for r in &self.rows {
            let second = if segmentation { r.miou } else { r.top5 };
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{:.3},{:.1}",
                r.epoch, r.split, r.loss, r.top1, second, r.lr, r.seconds, r.images_per_second
            );
        }
        out
    }

    /// Whether the rows are a segmentation run's (they carry a mean IoU).
    pub fn is_segmentation(&self) -> bool {
        self.rows.iter().any(|r| r.miou.is_finite())
    }

    /// Write the CSV atomically.
    pub fn save(&self, path: &Path) -> Result<(), TrainError> {
        write_atomic(path, self.to_csv().as_bytes())
    }

    /// Read a CSV written by [`MetricsTable::save`].
    pub fn load(path: &Path) -> Result<Self, TrainError> {
        let text = std::fs::read_to_string(path).map_err(|e| TrainError::io(path, e))?;
        let bad = |line: usize, what: &str| {
            TrainError::Config(format!("{}:{line}: {what}", path.display()))
        };
        let segmentation = text.lines().next() == Some(SEGMENTATION_HEADER);
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() != 8 {
                return Err(bad(i + 1, "expected 8 fields"));
            }
            let num = |k: usize| f[k].parse::<f64>().map_err(|_| bad(i + 1, "not a number"));
            rows.push(EpochRow {
                epoch: f[0].parse().map_err(|_| bad(i + 1, "bad epoch"))?,
                split: f[1].to_string(),
                loss: num(2)?,
                top1: num(3)?,
                top5: if segmentation { f64::NAN } else { num(4)? },
                miou: if segmentation { num(4)? } else { f64::NAN },
                lr: num(5)?,
                seconds: num(6)?,
                images_per_second: num(7)?,
            });
        }
        Ok(Self { rows })
    }
}
