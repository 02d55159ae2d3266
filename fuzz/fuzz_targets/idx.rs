//! `data::idx::parse_idx` on arbitrary bytes: an error or an array whose data length is the product
//! of its dimensions, never a panic.
#![no_main]

#[path = "../../data/src/error.rs"]
#[allow(dead_code)]
mod error;
#[path = "../../data/src/idx.rs"]
#[allow(dead_code)]
mod idx;

use std::path::Path;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    if let Ok(a) = idx::parse_idx(bytes, Path::new("fuzz.idx")) {
        assert_eq!(a.data.len(), a.dims.iter().product::<usize>());
    }
});
