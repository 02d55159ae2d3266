//! `data::decode::decode_image_bytes`, the project's input path for PNG, JPEG and BMP (any bit
//! depth, alpha, palette): an error or an image, never a panic or an allocation past the limits.
#![no_main]

#[path = "../../data/src/decode.rs"]
#[allow(dead_code)]
mod decode;
#[path = "../../data/src/error.rs"]
#[allow(dead_code)]
mod error;

use std::path::Path;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let _ = decode::decode_image_bytes(bytes, Path::new("fuzz.png"));
});
