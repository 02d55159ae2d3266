//! The run folder's files as `--resume`, `evaluate` and `infer` read them: the first byte picks the
//! file (`config.json`, `model.json` of a classifier or of a segmentation net, `preprocessing.json`,
//! `metrics.csv`), the rest is its content. An error naming the file, never a panic.
#![no_main]

use train::RunDir;
use train::metrics_csv::MetricsTable;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let Some((&which, content)) = bytes.split_first() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("fuzz-run-{}", std::process::id()));
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
        2 => run.network::<model::SegNetworkConfig>().err(),
        3 => run.preprocessing().err(),
        _ => MetricsTable::load(&file).err(),
    };
    if let Some(e) = error {
        let message = e.to_string();
        assert!(
            message.contains(&file.display().to_string()) || message.contains("config"),
            "the error does not name {}: {message}",
            file.display()
        );
    }
});
