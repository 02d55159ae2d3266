//! A Burn `MetricLogger` that turns the learner's per-iteration metric updates into one row per
//! epoch and split — loss, top-1, top-5, learning rate, seconds, images/s — kept in `metrics.csv`,
//! printed as a readable progress line when the terminal UI is not in use, and watched for a
//! non-finite loss, which stops the run.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use burn::train::Interrupter;
use burn::train::logger::MetricLogger;
use burn::train::metric::store::{EpochSummary, MetricsUpdate, Split};
use burn::train::metric::{MetricDefinition, MetricId, NumericEntry};

use crate::metrics_csv::{EpochRow, MetricsTable};

/// Shared view of what the recorder saw, read by the run after `launch` returns.
#[derive(Debug, Default)]
pub struct RecorderState {
    /// Finished rows, in order.
    pub table: MetricsTable,
    /// Set when a non-finite loss stopped the run.
    pub non_finite: Option<String>,
}

/// The logger; cheap to clone handles share one [`RecorderState`].
pub struct EpochRecorder {
    names: HashMap<MetricId, String>,
    current: HashMap<String, (f64, usize)>,
    last_lr: f64,
    started: Option<Instant>,
    state: Arc<Mutex<RecorderState>>,
    csv_path: PathBuf,
    interrupter: Interrupter,
    print: bool,
}

impl EpochRecorder {
    /// A recorder writing `csv_path` after every split, printing progress lines when `print`.
    pub fn new(
        state: Arc<Mutex<RecorderState>>,
        csv_path: PathBuf,
        interrupter: Interrupter,
        print: bool,
    ) -> Self {
        Self {
            names: HashMap::new(),
            current: HashMap::new(),
            last_lr: f64::NAN,
            started: None,
            state,
            csv_path,
            interrupter,
            print,
        }
    }

    fn value(&self, name: &str) -> Option<(f64, usize)> {
        self.current.get(name).copied()
    }
}

fn split_name(split: &Split) -> &'static str {
    match split {
        Split::Train => "train",
        Split::Valid => "valid",
        Split::Test(_) => "test",
    }
}

impl MetricLogger for EpochRecorder {
    fn log(&mut self, update: MetricsUpdate, epoch: usize, split: &Split) {
        self.started.get_or_insert_with(Instant::now);
        for numeric in update.entries_numeric {
            let Some(name) = self.names.get(&numeric.entry.metric_id).cloned() else {
                continue;
            };
            if let Some(NumericEntry::Aggregated {
                aggregated_value,
                count,
            }) = numeric.running_entry
            {
                self.current.insert(name.clone(), (aggregated_value, count));
            }
            let latest = match numeric.numeric_entry {
                Some(NumericEntry::Value(v) | NumericEntry::Final(v)) => v,
                Some(NumericEntry::Aggregated {
                    aggregated_value, ..
                }) => aggregated_value,
                None => continue,
            };
            if let Some(NumericEntry::Final(v)) = numeric.numeric_entry {
                let count = self.current.get(&name).map_or(0, |c| c.1);
                self.current.insert(name.clone(), (v, count));
            }
            if name == "Learning Rate" {
                self.last_lr = latest;
            }
            if name == "Loss" && !latest.is_finite() {
                let message = format!(
                    "the {} loss became {latest} in epoch {epoch}; the checkpoints of earlier epochs are kept; train again with a lower learning rate",
                    split_name(split)
                );
                if let Ok(mut state) = self.state.lock()
                    && state.non_finite.is_none()
                {
                    state.non_finite = Some(message.clone());
                }
                self.interrupter.stop(Some(&message));
            }
        }
    }

    fn read_numeric(
        &mut self,
        name: &str,
        _epoch: usize,
        _split: &Split,
    ) -> Result<Vec<NumericEntry>, String> {
        Err(format!("the epoch recorder keeps no history of `{name}`"))
    }

    fn log_metric_definition(&mut self, definition: MetricDefinition) {
        self.names
            .insert(definition.metric_id, definition.name.to_string());
    }

    fn log_epoch_summary(&mut self, summary: EpochSummary) {
        let seconds = self
            .started
            .take()
            .map(|t| t.elapsed().as_secs_f64())
            .unwrap_or(0.0);
        let loss = self.value("Loss").map_or(f64::NAN, |v| v.0);
        let accuracy = self
            .value("Accuracy")
            .or_else(|| self.value("Pixel Accuracy"));
        let count = accuracy.map_or(0, |v| v.1);
        let row = EpochRow {
            epoch: summary.epoch_number,
            split: split_name(&summary.split).to_string(),
            loss,
            top1: accuracy.map_or(f64::NAN, |v| v.0 / 100.0),
            top5: self
                .current
                .iter()
                .find(|(k, _)| k.starts_with("Top-K Accuracy"))
                .map_or(f64::NAN, |(_, v)| v.0 / 100.0),
            miou: self.value("mIoU").map_or(f64::NAN, |v| v.0 / 100.0),
            lr: self.last_lr,
            seconds,
            images_per_second: if seconds > 0.0 {
                count as f64 / seconds
            } else {
                0.0
            },
        };
        self.current.clear();
        if self.print {
            println!("{}", row.progress_line());
        }
        if let Ok(mut state) = self.state.lock() {
            state.table.push(row);
            if let Err(e) = state.table.save(&self.csv_path) {
                eprintln!("warning: {e}");
            }
        }
    }
}
