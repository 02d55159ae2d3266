//! `data::idx::parse_idx` on arbitrary bytes: an error or an array whose data length is the product
//! of its dimensions, never a panic.
#![no_main]

use classic_cnn_fuzz::idx::parse_idx;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    if let Ok(a) = parse_idx(bytes, std::path::Path::new("fuzz.idx")) {
        assert_eq!(a.data.len(), a.dims.iter().product::<usize>());
    }
});
