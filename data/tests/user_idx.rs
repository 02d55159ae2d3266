//! `--dataset idx:DIR` on IDX files the test writes: KMNIST- and EMNIST-style names, raw and gzip,
//! any class count; absurd headers refused before anything is allocated (measured with a counting
//! allocator), each refusal naming the file and the problem.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use data::idx::encode_idx;
use data::{DatasetSpec, load_classification};

/// The system allocator, recording the largest single allocation asked for.
struct Counting;
static LARGEST: AtomicUsize = AtomicUsize::new(0);
/// Tests run in threads; the allocation measurement needs the process to itself.
static ONE: Mutex<()> = Mutex::new(());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        LARGEST.fetch_max(new, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

/// Writes `prefix{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]` with `n` 5×4 images per split
/// whose labels cycle through `classes` ids.
fn write_set(dir: &Path, prefix: &str, test_word: &str, n: usize, classes: u8, gz: bool) {
    let images: Vec<u8> = (0..n * 20).map(|i| (i * 7 % 256) as u8).collect();
    let labels: Vec<u8> = (0..n).map(|i| (i % usize::from(classes)) as u8).collect();
    for (split, bytes) in [
        ("train", encode_idx(&[n, 5, 4], &images)),
        (test_word, encode_idx(&[n, 5, 4], &images)),
    ] {
        write(
            dir,
            &format!("{prefix}{split}-images-idx3-ubyte"),
            &bytes,
            gz,
        );
    }
    for split in ["train", test_word] {
        let bytes = encode_idx(&[n], &labels);
        write(
            dir,
            &format!("{prefix}{split}-labels-idx1-ubyte"),
            &bytes,
            gz,
        );
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8], gz: bool) {
    if gz {
        std::fs::write(dir.join(format!("{name}.gz")), gzip(bytes)).expect("write");
    } else {
        std::fs::write(dir.join(name), bytes).expect("write");
    }
}

fn spec(dir: &Path) -> DatasetSpec {
    format!("idx:{}", dir.display()).parse().expect("spec")
}

/// Loads `dir` as `idx:DIR` and returns the error with the largest allocation made meanwhile.
fn refusal(dir: &Path) -> (String, usize) {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    LARGEST.store(0, Ordering::Relaxed);
    let r = load_classification(&spec(dir), Path::new("/nonexistent"));
    let largest = LARGEST.load(Ordering::Relaxed);
    (r.err().expect("must be refused").to_string(), largest)
}

#[test]
fn kmnist_and_emnist_style_folders_load_with_their_own_classes() {
    let kmnist = tempfile::tempdir().expect("tempdir");
    write_set(kmnist.path(), "", "t10k", 30, 10, true);
    let data = load_classification(&spec(kmnist.path()), Path::new("/x")).expect("kmnist");
    assert_eq!(data.name, "idx");
    assert_eq!((data.train.len(), data.test.len()), (30, 30));
    assert_eq!(data.shape, Some([1, 5, 4]));
    assert_eq!(data.classes.len(), 10);
    let item = burn::data::dataset::Dataset::get(&*data.train, 1).expect("item");
    assert_eq!((item.shape, item.label), ([1, 5, 4], 1));

    // EMNIST Balanced: 47 classes, `emnist-balanced-` prefix, `test` instead of `t10k`, raw files.
    let emnist = tempfile::tempdir().expect("tempdir");
    write_set(emnist.path(), "emnist-balanced-", "test", 94, 47, false);
    let data = load_classification(&spec(emnist.path()), Path::new("/x")).expect("emnist");
    assert_eq!(data.classes.len(), 47);
    assert_eq!(data.classes[46], "46");
    std::fs::write(emnist.path().join("classes.txt"), "a\nb\n").expect("classes");
    let (m, _) = refusal(emnist.path());
    assert!(
        m.contains(
            "emnist-balanced-train-labels-idx1-ubyte: class id 2 of label 2 out of range (0..2"
        ),
        "{m}"
    );
    let names: String = (0..47).map(|c| format!("class{c}\n")).collect();
    std::fs::write(emnist.path().join("classes.txt"), names).expect("classes");
    let data = load_classification(&spec(emnist.path()), Path::new("/x")).expect("names");
    assert_eq!(data.classes[3], "class3");
}

/// Replaces the training images of a valid set by `header` followed by `data` (raw or gzip).
fn with_train_images(header_dims: &[u32], data: &[u8], gz: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write_set(dir.path(), "", "t10k", 4, 2, false);
    let mut bytes = vec![0, 0, 8, header_dims.len() as u8];
    for d in header_dims {
        bytes.extend_from_slice(&d.to_be_bytes());
    }
    bytes.extend_from_slice(data);
    std::fs::remove_file(dir.path().join("train-images-idx3-ubyte")).expect("rm");
    write(dir.path(), "train-images-idx3-ubyte", &bytes, gz);
    dir
}

#[test]
fn absurd_headers_are_refused_before_allocating() {
    // (header, data, gzip, expected message, allocation bound in bytes)
    const HUGE: &str = "claims 2147483648 items, more than the 16777216";
    let cases: [(&[u32], usize, bool, &str); 8] = [
        (&[1 << 31, 28, 28], 100, false, HUGE),
        (&[1 << 31, 28, 28], 100, true, HUGE),
        (
            &[1, 100_000, 100_000],
            100,
            true,
            "claims 100000×100000 images; each side must be 1..=4096",
        ),
        (&[0, 5, 4], 0, false, "the header claims 0 items"),
        (&[4, 0, 4], 0, false, "claims 0×4 images"),
        (
            &[1 << 24, 4096, 4096],
            10,
            true,
            "more than the 2147483648 accepted",
        ),
        (
            &[4, 5, 4],
            79,
            false,
            "truncated: the header claims [4, 5, 4] = 80 data bytes, the file has 79",
        ),
        (
            &[4, 5, 4],
            81,
            false,
            "1 trailing bytes after the 80 data bytes",
        ),
    ];
    for (dims, len, gz, want) in cases {
        let dir = with_train_images(dims, &vec![3u8; len], gz);
        let (m, largest) = refusal(dir.path());
        assert!(m.contains("train-images-idx3-ubyte"), "{m}");
        assert!(m.contains(want), "{dims:?}: {m}");
        assert!(
            largest < 1 << 20,
            "{dims:?}: allocated {largest} bytes before refusing"
        );
    }
}

#[test]
fn gzip_streams_are_bounded_by_their_header() {
    // Header says 4 images of 5×4 = 80 bytes; the stream inflates to 64 MiB (a small gzip bomb).
    let dir = with_train_images(&[4, 5, 4], &vec![0u8; 64 << 20], true);
    let (m, largest) = refusal(dir.path());
    assert!(
        m.contains("train-images-idx3-ubyte.gz: trailing bytes after the 80 data bytes"),
        "{m}"
    );
    assert!(largest < 4 << 20, "allocated {largest} bytes");
    let dir = with_train_images(&[4, 5, 4], &[1u8; 40], true);
    let (m, _) = refusal(dir.path());
    assert!(m.contains("the file has 40"), "{m}");
}

#[test]
fn headers_that_disagree_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_set(dir.path(), "", "t10k", 4, 2, false);
    let labels = dir.path().join("t10k-labels-idx1-ubyte");
    std::fs::write(&labels, encode_idx(&[3], &[0, 1, 0])).expect("labels");
    let (m, _) = refusal(dir.path());
    assert!(
        m.contains("t10k-images-idx3-ubyte: count mismatch: 4 images but")
            && m.contains("t10k-labels-idx1-ubyte has 3 labels"),
        "{m}"
    );
    std::fs::write(&labels, encode_idx(&[4, 1, 1], &[0; 4])).expect("labels");
    let (m, _) = refusal(dir.path());
    assert!(
        m.contains("t10k-labels-idx1-ubyte: wrong magic number 0x00000803 (an IDX label file starts with 0x00000801)"),
        "{m}"
    );
    std::fs::write(&labels, [0, 0]).expect("labels");
    let (m, _) = refusal(dir.path());
    assert!(
        m.contains("t10k-labels-idx1-ubyte: truncated header"),
        "{m}"
    );
    std::fs::write(&labels, encode_idx(&[4], &[0; 4])).expect("labels");
    let train_labels = dir.path().join("train-labels-idx1-ubyte");
    let good = std::fs::read(&train_labels).expect("read");
    std::fs::write(&train_labels, encode_idx(&[4], &[0; 4])).expect("labels");
    let (m, _) = refusal(dir.path());
    assert!(
        m.contains("train-labels-idx1-ubyte: 1 class(es); a classifier needs at least two"),
        "{m}"
    );
    std::fs::write(&train_labels, good).expect("labels");
    let images = dir.path().join("t10k-images-idx3-ubyte");
    std::fs::write(&images, encode_idx(&[4, 4, 5], &[0; 80])).expect("images");
    let (m, _) = refusal(dir.path());
    assert!(
        m.contains("t10k-images-idx3-ubyte: 4×5 images, but the training images"),
        "{m}"
    );
    std::fs::copy(&images, dir.path().join("other-t10k-images-idx3-ubyte")).expect("copy");
    let (m, _) = refusal(dir.path());
    assert!(m.contains("several test images files"), "{m}");
    let empty = tempfile::tempdir().expect("tempdir");
    let (m, _) = refusal(empty.path());
    assert!(
        m.contains("no training images file (a name ending in train-images-idx3-ubyte[.gz])"),
        "{m}"
    );
}

/// A PNG chunk with its CRC.
fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
    out
}

#[test]
fn a_mask_png_claiming_gigabytes_is_refused_before_allocating() {
    // Found by the `mask_png` fuzz target (fuzz/artifacts/mask_png/): a PNG of 81 bytes whose
    // header claims 4 × 939,524,099 pixels made the reader ask for a 3.76 GB buffer. Here with
    // valid CRCs (the fuzz build skips them).
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&4u32.to_be_bytes());
    ihdr.extend_from_slice(&939_524_099u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge-mask.png");
    std::fs::write(&path, &png).expect("write");
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    LARGEST.store(0, Ordering::Relaxed);
    let m = data::decode::decode_mask_file(&path)
        .expect_err("refused")
        .to_string();
    let largest = LARGEST.load(Ordering::Relaxed);
    assert!(
        m.contains("huge-mask.png: PNG mask of 4×939524099 pixels"),
        "{m}"
    );
    assert!(m.contains("each side must be at most 16384"), "{m}");
    assert!(largest < 1 << 20, "allocated {largest} bytes");
}
