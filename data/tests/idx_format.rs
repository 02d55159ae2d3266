//! The IDX reader on hand-made files: round trips (raw and gzip) and every kind of bad input, each an
//! error that names the file and the problem.

use std::io::Write;
use std::path::Path;

use data::idx::{encode_idx, parse_idx, read_idx};
use data::idx_folder::{IDX_FILES, load_idx_folder};
use data::mnist::{MNIST, parse_csv};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

/// Writes a small valid IDX folder (n images of 2×3, labels 0..n mod 10); returns the temp dir.
fn write_folder(n: usize, gz: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let images: Vec<u8> = (0..n * 6).map(|i| (i % 256) as u8).collect();
    let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
    let files = [
        encode_idx(&[n, 2, 3], &images),
        encode_idx(&[n], &labels),
        encode_idx(&[n, 2, 3], &images),
        encode_idx(&[n], &labels),
    ];
    for (name, bytes) in IDX_FILES.iter().zip(files) {
        if gz {
            std::fs::write(dir.path().join(format!("{name}.gz")), gzip(&bytes)).expect("write");
        } else {
            std::fs::write(dir.path().join(name), bytes).expect("write");
        }
    }
    dir
}

fn message(r: Result<impl std::fmt::Debug, data::DataError>) -> String {
    r.expect_err("must fail").to_string()
}

#[test]
fn round_trip_raw_and_gzip() {
    let bytes = encode_idx(&[2, 2, 2], &[1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(&bytes[..4], &[0, 0, 8, 3]);
    assert_eq!(&bytes[4..8], &[0, 0, 0, 2]);
    let a = parse_idx(&bytes, Path::new("x")).expect("parse");
    assert_eq!(a.dims, vec![2, 2, 2]);
    assert_eq!(a.data, vec![1, 2, 3, 4, 5, 6, 7, 8]);
    for gz in [false, true] {
        let dir = write_folder(12, gz);
        let s = load_idx_folder(dir.path(), None).expect("load");
        assert_eq!(s.train.len(), 12);
        assert_eq!(s.train.shape(), [1, 2, 3]);
        assert_eq!(s.train.image(1), Some(&[6u8, 7, 8, 9, 10, 11][..]));
        assert_eq!(s.test.labels()[11], 1);
    }
}

#[test]
fn wrong_magic_is_named() {
    let mut bytes = encode_idx(&[1], &[3]);
    bytes[2] = 0x0D; // float type
    let m = message(parse_idx(&bytes, Path::new("labels.idx")));
    assert!(
        m.starts_with("labels.idx: wrong magic number 0x00000d01"),
        "{m}"
    );
    let m = message(parse_idx(b"PK\x03\x04rest", Path::new("f")));
    assert!(m.contains("wrong magic"), "{m}");
}

#[test]
fn truncated_and_trailing_data_are_named() {
    let bytes = encode_idx(&[3, 2, 2], &[0; 12]);
    let m = message(parse_idx(&bytes[..bytes.len() - 1], Path::new("img")));
    assert!(
        m.contains("img: truncated") && m.contains("need 12 data bytes, file has 11"),
        "{m}"
    );
    let m = message(parse_idx(&bytes[..9], Path::new("img")));
    assert!(m.contains("truncated header"), "{m}");
    let m = message(parse_idx(&bytes[..2], Path::new("img")));
    assert!(m.contains("too short"), "{m}");
    let mut long = bytes.clone();
    long.push(0);
    assert!(message(parse_idx(&long, Path::new("img"))).contains("1 trailing bytes"));
}

#[test]
fn truncated_and_corrupt_gzip_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gz = gzip(&encode_idx(&[100], &[1; 100]));
    let truncated = dir.path().join("labels.gz");
    std::fs::write(&truncated, &gz[..gz.len() / 2]).expect("write");
    let m = message(read_idx(&truncated));
    assert!(
        m.contains("labels.gz") && m.contains("truncated or corrupt gzip"),
        "{m}"
    );
    let mut corrupt = gz.clone();
    for b in corrupt.iter_mut().skip(12).take(8) {
        *b ^= 0xA5;
    }
    let path = dir.path().join("corrupt.gz");
    std::fs::write(&path, &corrupt).expect("write");
    let m = message(read_idx(&path));
    assert!(m.contains("corrupt.gz") && m.contains("gzip"), "{m}");
}

#[test]
fn count_mismatch_and_class_out_of_range_are_named() {
    let dir = write_folder(5, false);
    std::fs::write(
        dir.path().join(IDX_FILES[1]),
        encode_idx(&[4], &[0, 1, 2, 3]),
    )
    .expect("write");
    let m = message(load_idx_folder(dir.path(), None));
    assert!(
        m.contains("train-images-idx3-ubyte: count mismatch: 5 images but"),
        "{m}"
    );
    assert!(m.contains("has 4 labels"), "{m}");

    let dir = write_folder(5, false);
    std::fs::write(
        dir.path().join(IDX_FILES[3]),
        encode_idx(&[5], &[0, 1, 12, 3, 4]),
    )
    .expect("write");
    let m = message(load_idx_folder(dir.path(), None));
    assert!(
        m.contains("t10k-labels-idx1-ubyte: class id 12 of label 2 out of range"),
        "{m}"
    );

    let dir = write_folder(5, false);
    std::fs::write(dir.path().join(IDX_FILES[0]), encode_idx(&[5], &[0; 5])).expect("write");
    assert!(message(load_idx_folder(dir.path(), None)).contains("expected an image file"));
}

#[test]
fn missing_file_and_wrong_digest_are_named() {
    let dir = write_folder(5, false);
    std::fs::remove_file(dir.path().join(IDX_FILES[2])).expect("rm");
    let m = message(load_idx_folder(dir.path(), None));
    assert!(m.contains("missing t10k-images-idx3-ubyte"), "{m}");

    let dir = write_folder(5, true);
    let m = message(load_idx_folder(dir.path(), Some(&MNIST)));
    assert!(
        m.contains("train-images-idx3-ubyte.gz: MD5") && m.contains("differs from MNIST's"),
        "{m}"
    );
}

#[test]
fn csv_rows_are_checked() {
    let good = format!(
        "label,{}\n7,{}\n",
        vec!["p"; 784].join(","),
        vec!["0"; 784].join(",")
    );
    let (labels, pixels) = parse_csv(good.as_bytes(), Path::new("w.whl/train.csv")).expect("parse");
    assert_eq!(labels, vec![7]);
    assert_eq!(pixels.len(), 784);
    let short = "label\n7,0,0\n";
    let m = message(parse_csv(short.as_bytes(), Path::new("w.whl/train.csv")));
    assert!(
        m.contains("train.csv: line 2: 3 fields, expected 785"),
        "{m}"
    );
    let bad = "label\n7,300\n";
    let m = message(parse_csv(bad.as_bytes(), Path::new("t.csv")));
    assert!(m.contains("line 2: field 2 is not a value 0..=255"), "{m}");
}
