//! The `checkpoint` target: [`classic_cnn_fuzz_deep::checkpoint`] on the fuzzer's bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| classic_cnn_fuzz_deep::checkpoint(bytes));
