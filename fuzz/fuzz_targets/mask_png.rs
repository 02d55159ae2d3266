//! `data::decode::decode_mask_file`, the segmentation masks' PNG reader, on an arbitrary file: an
//! error or a mask of width × height ids.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    classic_cnn_fuzz::with_file("mask.png", bytes, |path| {
        if let Ok((h, w, ids)) = classic_cnn_fuzz::decode::decode_mask_file(path) {
            assert_eq!(ids.len(), h * w);
        }
    });
});
