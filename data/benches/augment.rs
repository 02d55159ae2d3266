//! Augmented samples per second on one core: the default pipeline for each input size followed by the
//! conversion and normalisation the batcher applies, one sample per iteration (criterion runs on one
//! thread, so the reported element throughput is per core).
//!
//! `cargo bench -p data --bench augment`

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use data::augment::{AugmentConfig, augment_item};
use data::input::dynamic_to_pixels;
use data::rng::Rng;
use data::{ChannelStats, Fit, ImageItem, InputSpec, Normalize, Pixels, Preprocessing};

fn random_item(shape: [usize; 3], seed: u64) -> ImageItem {
    let mut rng = Rng::new(seed);
    let n: usize = shape.iter().product();
    ImageItem {
        pixels: Pixels::U8((0..n).map(|_| rng.below(256) as u8).collect()),
        shape,
        label: 0,
    }
}

fn jpeg_item() -> ImageItem {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/imagenet/imagenet_00_243.jpg");
    match data::decode::decode_image_file(&path) {
        Ok(img) => {
            let (pixels, shape) = dynamic_to_pixels(&img);
            ImageItem {
                pixels,
                shape,
                label: 243,
            }
        }
        Err(_) => random_item([3, 512, 512], 1),
    }
}

fn preprocessing(input: InputSpec) -> Preprocessing {
    let stats = ChannelStats {
        mean: vec![0.5; input.channels],
        std: vec![0.25; input.channels],
        count: 1,
    };
    Preprocessing {
        input,
        normalize: Normalize::Standardize(stats),
        classes: Vec::new(),
    }
}

fn bench_case(c: &mut Criterion, name: &str, item: ImageItem, input: InputSpec) {
    let config = AugmentConfig::default_for(input.shape());
    let pre = preprocessing(input);
    let mut group = c.benchmark_group("augment+normalise");
    group.throughput(Throughput::Elements(1));
    group.sample_size(20);
    group.measurement_time(std::time::Duration::from_secs(4));
    let mut index = 0u64;
    group.bench_function(name, |b| {
        b.iter(|| {
            index += 1;
            let aug = augment_item(black_box(&item), &config, 0, 0, index);
            black_box(pre.apply(&aug.pixels, aug.shape))
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_case(
        c,
        "grey 28x28",
        random_item([1, 28, 28], 1),
        InputSpec::new(1, 28, 28),
    );
    bench_case(
        c,
        "rgb 32x32",
        random_item([3, 32, 32], 2),
        InputSpec::new(3, 32, 32),
    );
    bench_case(
        c,
        "rgb 512x512 jpeg -> 224x224",
        jpeg_item(),
        InputSpec::new(3, 224, 224).with_fit(Fit::Resize),
    );
}

criterion_group!(augment, benches);
criterion_main!(augment);
