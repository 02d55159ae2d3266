//! The bodies of the `fuzz/deep` targets, one function per target, each taking the fuzzer's bytes.
//! Shared with `xtask/tests/fuzz_seeds.rs` (through `#[path]`), which replays the committed seeds
//! through them in the ordinary test suite, so they build and hold without a fuzzing build.

use std::path::{Path, PathBuf};

use burn::tensor::Device;
use model::registry::ModelArgs;
use train::RunDir;
use train::classifier::Classifier;
use train::experiment::ExperimentConfig;
use train::metrics_csv::MetricsTable;
use train::regularization::Regularization;

/// A file of this process in the temporary folder.
fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("fuzz-{}-{name}", std::process::id()))
}

/// `ExperimentConfig::from_json`, the reader of `--config FILE` and of a run's `config.json`: an
/// error, or a valid config that survives the trip through `config.json` (written by `to_json`,
/// read back equal).
pub fn experiment_json(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes)
        && let Ok(config) = ExperimentConfig::from_json(text)
    {
        let saved = config.to_json().expect("a valid config serialises");
        let back = ExperimentConfig::from_json(&saved).expect("config.json reads back");
        assert_eq!(back, config, "config.json changed the experiment");
    }
}

/// A run folder's files as `--resume`, `evaluate` and `infer` read them: the first byte picks the
/// file (`config.json`, `model.json` of a classifier or of a segmentation net,
/// `preprocessing.json`, `metrics.csv`), the rest is its content. An error names the file.
pub fn run_files(bytes: &[u8]) {
    let Some((&which, content)) = bytes.split_first() else {
        return;
    };
    let dir = scratch("run");
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let run = RunDir::new(&dir);
    let file = match which % 5 {
        0 => run.config_file(),
        1 | 2 => run.model_file(),
        3 => run.preprocessing_file(),
        _ => run.metrics_file(),
    };
    if std::fs::write(&file, content).is_err() {
        return;
    }
    let error = match which % 5 {
        0 => run.config().err(),
        1 => run.network::<model::NetworkConfig>().err(),
        2 => run.network::<model::segmentation::SegNetworkConfig>().err(),
        3 => run.preprocessing().err(),
        _ => MetricsTable::load(&file).err(),
    };
    if let Some(e) = error {
        let message = e.to_string();
        let name = file.display().to_string();
        assert!(
            message.contains(&name),
            "the error does not name {name}: {message}"
        );
    }
}

thread_local! {
    static FRESH: Classifier = {
        let args = ModelArgs { num_classes: 2, in_channels: 1, input_size: 28 };
        let network = model::registry::config("lenet5", args)
            .expect("lenet5")
            .init(&Device::flex())
            .expect("init");
        Classifier::new(network, Regularization::none(), 0.0)
    };
}

/// `train::load::load_weights`, the checkpoint loader of `--resume`, `evaluate` and `infer`, on a
/// `.bpk` file loaded into a LeNet-5 classifier (28×28 grey, two classes): an error naming the
/// file, never a panic.
pub fn checkpoint(bytes: &[u8]) {
    let path = scratch("ckpt.bpk");
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    load_checkpoint(&path);
}

/// Loads `path` as [`checkpoint`] does; whether it loaded.
pub fn load_checkpoint(path: &Path) -> bool {
    let fresh = FRESH.with(Clone::clone);
    match train::load::load_weights(fresh, path) {
        Ok(_) => true,
        Err(e) => {
            let message = e.to_string();
            assert!(message.contains(&path.display().to_string()), "{message}");
            false
        }
    }
}
