//! The `experiment_json` target: [`classic_cnn_fuzz_deep::experiment_json`] on the fuzzer's bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| classic_cnn_fuzz_deep::experiment_json(bytes));
