//! `data::idx::read_idx` on an arbitrary file (raw or gzip: the gzip path is reached by inputs that
//! start with 1f 8b), as `mnist:DIR` / `fashion-mnist:DIR` read it.
#![no_main]

#[path = "../../data/src/error.rs"]
#[allow(dead_code)]
mod error;
#[path = "../../data/src/idx.rs"]
#[allow(dead_code)]
mod idx;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let path = std::env::temp_dir().join(format!("fuzz-idx-{}", std::process::id()));
    if std::fs::write(&path, bytes).is_ok() {
        let _ = idx::read_idx(&path);
    }
});
