//! `data::decode::decode_image_bytes`, the project's input path for PNG, JPEG and BMP (any bit
//! depth, alpha, palette): an error or an image, never a panic or an allocation past the limits.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let _ = classic_cnn_fuzz::decode::decode_image_bytes(bytes, std::path::Path::new("fuzz.png"));
});
