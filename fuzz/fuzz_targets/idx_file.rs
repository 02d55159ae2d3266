//! `data::idx::read_idx` on an arbitrary file (raw or gzip: the gzip path is reached by inputs that
//! start with 1f 8b), as `mnist:DIR` / `idx:DIR` read it.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    classic_cnn_fuzz::with_file("idx", bytes, |path| {
        let _ = classic_cnn_fuzz::idx::read_idx(path);
    });
});
