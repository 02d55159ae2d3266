//! Plain progress output for logs and pipes: Burn's terminal UI is used on a terminal, but its
//! non-terminal renderer prints a debug dump per batch and no metric values. This renderer prints,
//! at most every few seconds, one readable line — epoch, items, running loss and accuracy, learning
//! rate, images/s — and the epoch summaries come from [`crate::recorder`].

use std::collections::HashMap;
use std::time::{Duration, Instant};

use burn::train::logger::{EvaluationProgressLogger, TrainingProgressLogger};
use burn::train::metric::{MetricDefinition, MetricId, NumericEntry};
use burn::train::renderer::{
    EvaluationName, MetricState, MetricsRenderer, MetricsRendererEvaluation,
    MetricsRendererTraining,
};

/// Readable progress lines on standard output.
pub struct PlainRenderer {
    names: HashMap<MetricId, String>,
    values: HashMap<String, f64>,
    epoch: usize,
    total_epochs: usize,
    split: String,
    total_items: usize,
    split_started: Instant,
    last_print: Instant,
    every: Duration,
}

impl PlainRenderer {
    /// A renderer printing at most once per `every`.
    pub fn new(every: Duration) -> Self {
        Self {
            names: HashMap::new(),
            values: HashMap::new(),
            epoch: 1,
            total_epochs: 0,
            split: String::new(),
            total_items: 0,
            split_started: Instant::now(),
            last_print: Instant::now(),
            every,
        }
    }

    fn record(&mut self, state: MetricState) {
        if let MetricState::Numeric(entry, Some(numeric)) = state
            && let Some(name) = self.names.get(&entry.metric_id)
        {
            let value = match numeric {
                NumericEntry::Value(v) | NumericEntry::Final(v) => v,
                NumericEntry::Aggregated {
                    aggregated_value, ..
                } => aggregated_value,
            };
            self.values.insert(name.clone(), value);
        }
    }
}

impl MetricsRendererTraining for PlainRenderer {
    fn update_train(&mut self, state: MetricState) {
        self.record(state);
    }

    fn update_valid(&mut self, state: MetricState) {
        self.record(state);
    }
}

impl TrainingProgressLogger for PlainRenderer {
    fn start(
        &mut self,
        total_epochs: usize,
        starting_epoch: usize,
        _total_items: Option<usize>,
        _label: Option<&str>,
    ) {
        self.total_epochs = total_epochs;
        self.epoch = starting_epoch.max(1);
        println!(
            "training for {total_epochs} epochs, starting at epoch {}",
            self.epoch
        );
    }

    fn start_split(&mut self, split_name: &str, total_items: usize) {
        self.split = split_name.to_string();
        self.total_items = total_items;
        self.split_started = Instant::now();
        self.last_print = Instant::now();
    }

    fn update_split(&mut self, items_processed: usize) {
        if self.last_print.elapsed() < self.every {
            return;
        }
        self.last_print = Instant::now();
        let secs = self.split_started.elapsed().as_secs_f64();
        let get = |k: &str| self.values.get(k).copied().unwrap_or(f64::NAN);
        let score = if self.values.contains_key("mIoU") {
            format!(
                "pixel acc {:>6.2}%  mIoU {:>6.2}%",
                get("Pixel Accuracy"),
                get("mIoU")
            )
        } else {
            format!("acc {:>6.2}%", get("Accuracy"))
        };
        println!(
            "epoch {}/{} {:<5} [{:>6}/{}] loss {:.4}  {score}  lr {:.3e}  {:>6.0} img/s",
            self.epoch,
            self.total_epochs,
            self.split,
            items_processed,
            self.total_items,
            get("Loss"),
            get("Learning Rate"),
            items_processed as f64 / secs.max(1e-9)
        );
    }

    fn update_epoch(&mut self, epoch: usize) {
        self.epoch = epoch + 1;
    }

    fn end_split(&mut self) {}

    fn end(&mut self) {}

    fn log_event_training(&mut self, _event: String) {}
}

impl EvaluationProgressLogger for PlainRenderer {
    fn start_global_progress(&mut self, _total_tests: usize) {}
    fn start_test(&mut self, _name: &str, _total_items: usize) {}
    fn update_test_progress(&mut self, _items_processed: usize) {}
    fn end_test(&mut self) {}
    fn end_global_progress(&mut self) {}
    fn log_event_evaluation(&mut self, _event: String) {}
}

impl MetricsRendererEvaluation for PlainRenderer {
    fn update_test(&mut self, _name: EvaluationName, _state: MetricState) {}
}

impl MetricsRenderer for PlainRenderer {
    fn manual_close(&mut self) {}

    fn register_metric(&mut self, definition: MetricDefinition) {
        self.names
            .insert(definition.metric_id, definition.name.to_string());
    }
}
