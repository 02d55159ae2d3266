//! Normalisation statistics, PCA/ZCA whitening, the batcher and the saved preprocessing.

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataset::Dataset;
use burn::tensor::Device;
use data::eigen::symmetric_eigen;
use data::rng::Rng;
use data::stats::StatsAccumulator;
use data::{
    ChannelStats, ClassificationBatcher, Fit, ImageDataset, InputSpec, Normalize, Pixels,
    Preprocessing, SegItem, SegmentationBatcher, Whitening, WhiteningKind,
};

fn covariance(samples: &[Vec<f32>]) -> Vec<Vec<f64>> {
    let d = samples[0].len();
    let n = samples.len() as f64;
    let mean: Vec<f64> = (0..d)
        .map(|j| samples.iter().map(|s| f64::from(s[j])).sum::<f64>() / n)
        .collect();
    (0..d)
        .map(|i| {
            (0..d)
                .map(|j| {
                    samples
                        .iter()
                        .map(|s| (f64::from(s[i]) - mean[i]) * (f64::from(s[j]) - mean[j]))
                        .sum::<f64>()
                        / (n - 1.0)
                })
                .collect()
        })
        .collect()
}

/// Correlated Gaussian samples x = A z + b.
fn correlated(n: usize, seed: u64) -> Vec<Vec<f32>> {
    let a = [
        [1.0, 0.0, 0.0, 0.0, 0.0],
        [0.8, 0.5, 0.0, 0.0, 0.0],
        [0.3, -0.4, 0.9, 0.0, 0.0],
        [0.0, 0.2, 0.1, 0.3, 0.0],
        [0.5, 0.5, 0.5, 0.5, 0.1],
    ];
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let z: Vec<f32> = (0..5).map(|_| rng.normal()).collect();
            (0..5)
                .map(|i| (0..5).map(|k| a[i][k] * z[k]).sum::<f32>() + i as f32)
                .collect()
        })
        .collect()
}

#[test]
fn jacobi_eigen_decomposes_a_known_matrix() {
    // [[2,1],[1,2]] has eigenvalues 3 and 1 with eigenvectors (1,1)/√2 and (1,−1)/√2.
    let (vals, vecs) = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
    assert!((vals[0] - 3.0).abs() < 1e-12 && (vals[1] - 1.0).abs() < 1e-12);
    assert!((vecs[0].abs() - 0.5f64.sqrt()).abs() < 1e-12 && (vecs[0] - vecs[2]).abs() < 1e-12);
}

#[test]
fn whitening_gives_identity_covariance_on_held_out_data() {
    let train = correlated(20_000, 1);
    let held_out = correlated(5_000, 2);
    for kind in [WhiteningKind::Pca, WhiteningKind::Zca] {
        let w = Whitening::fit(&train, kind, 1e-6).expect("fit");
        let white: Vec<Vec<f32>> = held_out.iter().map(|x| w.apply(x)).collect();
        let cov = covariance(&white);
        for (i, row) in cov.iter().enumerate() {
            for (j, &c) in row.iter().enumerate() {
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((c - want).abs() < 0.06, "{kind:?} cov[{i}][{j}] = {c}");
            }
        }
        let mean: f32 = white.iter().map(|x| x[2]).sum::<f32>() / white.len() as f32;
        assert!(mean.abs() < 0.05, "whitened held-out data are centred");
    }
    // ZCA's matrix is symmetric; with a large epsilon whitening shrinks the variance below 1.
    let zca = Whitening::fit(&train, WhiteningKind::Zca, 1e-6).expect("fit");
    for i in 0..5 {
        for j in 0..5 {
            assert!((zca.matrix[i * 5 + j] - zca.matrix[j * 5 + i]).abs() < 1e-4);
        }
    }
    let damped = Whitening::fit(&train, WhiteningKind::Pca, 10.0).expect("fit");
    let cov = covariance(&held_out.iter().map(|x| damped.apply(x)).collect::<Vec<_>>());
    assert!(cov[0][0] < 0.5);
    assert!(Whitening::fit(&train[..1], WhiteningKind::Pca, 0.1).is_err());
}

#[test]
fn streaming_statistics_equal_the_two_pass_values() {
    let mut rng = Rng::new(9);
    let images: Vec<Vec<f32>> = (0..50)
        .map(|_| (0..2 * 16).map(|_| rng.unit()).collect())
        .collect();
    let mut acc = StatsAccumulator::new(2);
    for im in &images {
        acc.add(im, 16);
    }
    let stats = acc.finish().expect("stats");
    for c in 0..2 {
        let vals: Vec<f64> = images
            .iter()
            .flat_map(|im| im[c * 16..(c + 1) * 16].iter().map(|&v| f64::from(v)))
            .collect();
        let m = vals.iter().sum::<f64>() / vals.len() as f64;
        let s = (vals.iter().map(|v| (v - m).powi(2)).sum::<f64>() / vals.len() as f64).sqrt();
        assert!(
            (f64::from(stats.mean[c]) - m).abs() < 1e-6
                && (f64::from(stats.std[c]) - s).abs() < 1e-6
        );
    }
    assert!(StatsAccumulator::new(1).finish().is_err());
}

fn tiny_dataset() -> ImageDataset {
    // Four 1×2×2 images: values 0, 51, 102, 153 (0, .2, .4, .6), labels 0..4.
    let pixels: Vec<u8> = (0..4u8).flat_map(|k| [k * 51; 4]).collect();
    ImageDataset::new([1, 2, 2], pixels, vec![0, 1, 2, 3]).expect("ds")
}

#[test]
fn batcher_converts_pads_and_normalises() {
    let device = Device::default();
    let ds = tiny_dataset();
    let input = InputSpec::new(3, 4, 4).with_fit(Fit::PadCrop);
    let pre = Preprocessing::standardize(&ds, input, vec!["a".into(); 4]).expect("pre");
    let Normalize::Standardize(stats) = &pre.normalize else {
        panic!("standardize")
    };
    // Mean over the padded 4×4 inputs: (0 + .2 + .4 + .6) · 4 pixels / 64 = 0.075 in every channel.
    assert_eq!(stats.mean.len(), 3);
    assert!((stats.mean[1] - 0.075).abs() < 1e-6);
    let items: Vec<_> = (0..4).map(|i| ds.get(i).expect("item")).collect();
    let batch = ClassificationBatcher::new(pre.clone()).batch(items, &device);
    assert_eq!(batch.images.dims(), [4, 3, 4, 4]);
    assert_eq!(batch.targets.dims(), [4]);
    let t: Vec<i64> = batch.targets.try_to_vec_as().expect("targets");
    assert_eq!(t, vec![0, 1, 2, 3]);
    let v: Vec<f32> = batch.images.try_to_vec_as().expect("images");
    let (m, s) = (stats.mean[0], stats.std[0]);
    // Image 3, channel 2, centre pixel (row 1, col 1) holds 0.6; corner (padding) holds 0.
    let at = |b: usize, c: usize, y: usize, x: usize| v[((b * 3 + c) * 4 + y) * 4 + x];
    assert!((at(3, 2, 1, 1) - (0.6 - m) / s).abs() < 1e-5);
    assert!((at(3, 2, 0, 0) - (0.0 - m) / s).abs() < 1e-5);
    let all_mean = v.iter().sum::<f32>() / v.len() as f32;
    assert!(
        all_mean.abs() < 1e-5,
        "standardised training inputs have mean 0"
    );
}

#[test]
fn preprocessing_saves_loads_and_converts_decoded_images_like_training_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ds = tiny_dataset();
    let pre =
        Preprocessing::standardize(&ds, InputSpec::new(1, 2, 2), vec!["x".into(); 4]).expect("pre");
    let path = dir.path().join("run").join("preprocessing.json");
    pre.save(&path).expect("save");
    let back = Preprocessing::load(&path).expect("load");
    assert_eq!(back, pre);
    let item = ds.get(2).expect("item");
    let from_item = pre.apply(&item.pixels, item.shape);
    let img = image::DynamicImage::ImageLuma8(
        image::GrayImage::from_raw(2, 2, vec![102; 4]).expect("img"),
    );
    assert_eq!(back.image_to_input(&img), from_item);
    let t = back.image_to_tensor(&img, &Device::default());
    assert_eq!(t.dims(), [1, 1, 2, 2]);
    // An RGB image of any size goes to the same grey 2×2 input.
    let rgb = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        7,
        5,
        image::Rgb([102, 102, 102]),
    ));
    let v = back.image_to_input(&rgb);
    assert!(v.iter().zip(&from_item).all(|(a, b)| (a - b).abs() < 1e-5));

    std::fs::write(&path, b"{\"input\": 3}").expect("write");
    let m = Preprocessing::load(&path)
        .expect_err("bad file")
        .to_string();
    assert!(
        m.contains("preprocessing.json: not a preprocessing file"),
        "{m}"
    );
    let bad = ChannelStats {
        mean: vec![0.0; 2],
        std: vec![1.0; 2],
        count: 1,
    };
    assert!(
        Preprocessing::new(InputSpec::new(1, 2, 2), Normalize::Standardize(bad), vec![]).is_err()
    );
}

#[test]
fn whitening_preprocessing_and_segmentation_batches() {
    let mut rng = Rng::new(4);
    let pixels: Vec<u8> = (0..200 * 4).map(|_| (rng.below(256)) as u8).collect();
    let ds = ImageDataset::new([1, 2, 2], pixels, vec![0; 200]).expect("ds");
    let pre = Preprocessing::whiten(
        &ds,
        InputSpec::new(1, 2, 2),
        WhiteningKind::Zca,
        1e-3,
        1000,
        vec![],
    )
    .expect("pre");
    let dir = tempfile::tempdir().expect("tempdir");
    pre.save(&dir.path().join("p.json")).expect("save");
    assert_eq!(
        Preprocessing::load(&dir.path().join("p.json")).expect("load"),
        pre
    );

    let seg = SegItem {
        pixels: Pixels::U8(vec![10, 20, 30, 40]),
        shape: [1, 2, 2],
        mask: vec![0, 1, 255, 1],
    };
    let spec = InputSpec::new(3, 4, 4).with_fit(Fit::PadCrop);
    let pre = Preprocessing::new(spec, Normalize::None, vec![]).expect("pre");
    let b = SegmentationBatcher::new(pre).batch(vec![seg.clone(), seg], &Device::default());
    assert_eq!(b.images.dims(), [2, 3, 4, 4]);
    assert_eq!(b.masks.dims(), [2, 4, 4]);
    let m: Vec<i64> = b
        .masks
        .into_data()
        .convert::<i64>()
        .try_to_vec::<i64>()
        .expect("masks");
    assert_eq!(
        &m[..16],
        &[
            255, 255, 255, 255, 255, 0, 1, 255, 255, 255, 1, 255, 255, 255, 255, 255
        ]
    );
}
