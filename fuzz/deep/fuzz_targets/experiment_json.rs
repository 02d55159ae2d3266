//! `ExperimentConfig::from_json`, the reader of `--config FILE` and of a run's `config.json`, on
//! arbitrary bytes: an error or a valid config that survives the trip through `config.json`
//! (written by `to_json`, read back equal), never a panic.
#![no_main]

use train::experiment::ExperimentConfig;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    if let Ok(text) = std::str::from_utf8(bytes)
        && let Ok(config) = ExperimentConfig::from_json(text)
    {
        let saved = config.to_json().expect("a valid config serialises");
        let back = ExperimentConfig::from_json(&saved).expect("config.json reads back");
        assert_eq!(back, config, "config.json changed the experiment");
    }
});
