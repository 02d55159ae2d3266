//! `data::cifar::parse_cifar_batch`, the CIFAR-10 binary batch reader, on arbitrary bytes (the
//! first byte sets the class count, 1..=256): an error, or one label below the class count and
//! 3,072 pixel bytes per record.
#![no_main]

use classic_cnn_fuzz::cifar::parse_cifar_batch;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let Some((&classes, batch)) = bytes.split_first() else {
        return;
    };
    let classes = usize::from(classes) + 1;
    if let Ok((pixels, labels)) =
        parse_cifar_batch(batch, std::path::Path::new("fuzz.bin"), classes)
    {
        assert_eq!(pixels.len(), labels.len() * 3072);
        assert!(labels.iter().all(|&l| l < classes));
    }
});
