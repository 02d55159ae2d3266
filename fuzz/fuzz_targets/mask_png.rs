//! `data::decode::decode_mask_file`, the segmentation masks' PNG reader, on an arbitrary file.
#![no_main]

#[path = "../../data/src/decode.rs"]
#[allow(dead_code)]
mod decode;
#[path = "../../data/src/error.rs"]
#[allow(dead_code)]
mod error;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let path = std::env::temp_dir().join(format!("fuzz-mask-{}.png", std::process::id()));
    if std::fs::write(&path, bytes).is_ok() {
        let _ = decode::decode_mask_file(&path);
    }
});
