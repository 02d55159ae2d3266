//! Augmentation: closed-form identities (flip∘flip, rotation by 0 and 90°), output sizes, value ranges,
//! determinism across (seed, epoch, index) and worker orders, and image–mask alignment.

use burn::data::dataset::Dataset;
use data::augment::jitter::{JitterDraw, apply_jitter, hsv_to_rgb, rgb_to_hsv};
use data::augment::ops::{flip_horizontal, flip_vertical, rotate_image, rotate_mask};
use data::augment::{
    AugmentConfig, AugmentedDataset, Step, Transform, augment_item, augment_seg_item,
};
use data::geometry::{Image, Mask};
use data::rng::Rng;
use data::{IGNORE_ID, ImageDataset, ImageItem, Pixels, SegItem};

fn ramp(shape: [usize; 3]) -> Image {
    let n: usize = shape.iter().product();
    Image {
        shape,
        data: (0..n)
            .map(|i| (i as f32 * 0.37).sin() * 0.5 + 0.5)
            .collect(),
    }
}

#[test]
fn flip_twice_is_identity() {
    for shape in [[1, 5, 7], [3, 4, 4], [3, 1, 9]] {
        let orig = ramp(shape);
        let mut img = orig.clone();
        flip_horizontal(&mut img);
        assert_ne!(img, orig);
        flip_horizontal(&mut img);
        assert_eq!(img, orig);
        flip_vertical(&mut img);
        if shape[1] > 1 {
            assert_ne!(img, orig);
        }
        flip_vertical(&mut img);
        assert_eq!(img, orig);
    }
    let mut img = Image {
        shape: [1, 2, 3],
        data: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    };
    flip_horizontal(&mut img);
    assert_eq!(img.data, vec![3.0, 2.0, 1.0, 6.0, 5.0, 4.0]);
    flip_vertical(&mut img);
    assert_eq!(img.data, vec![6.0, 5.0, 4.0, 3.0, 2.0, 1.0]);
}

#[test]
fn rotation_by_zero_is_identity_and_by_90_is_transpose_flip() {
    let img = ramp([3, 6, 6]);
    assert_eq!(rotate_image(&img, 0.0, 0.5), img);
    let r = rotate_image(&img, 90.0, 0.0);
    let n = 6;
    for c in 0..3 {
        for y in 0..n {
            for x in 0..n {
                // Counter-clockwise: out[y][x] = in[x][n-1-y], i.e. the transpose flipped vertically.
                let want = img.at(c, x, n - 1 - y);
                assert!(
                    (r.at(c, y, x) - want).abs() < 1e-4,
                    "({c},{y},{x}) {} vs {want}",
                    r.at(c, y, x)
                );
            }
        }
    }
    let mask = Mask {
        h: 3,
        w: 3,
        data: (0..9).collect(),
    };
    assert_eq!(rotate_mask(&mask, 0.0), mask);
    assert_eq!(
        rotate_mask(&mask, 90.0).data,
        vec![2, 5, 8, 1, 4, 7, 0, 3, 6]
    );
    // A 45° rotation leaves the corners uncovered: they take the fill value / the ignore id.
    let r = rotate_image(&Image::filled([1, 9, 9], 1.0), 45.0, 0.25);
    assert_eq!(r.at(0, 0, 0), 0.25);
    assert_eq!(r.at(0, 4, 4), 1.0);
    let m = rotate_mask(
        &Mask {
            h: 9,
            w: 9,
            data: vec![3; 81],
        },
        45.0,
    );
    assert_eq!((m.at(0, 0), m.at(4, 4)), (IGNORE_ID, 3));
}

fn one_step(t: Transform) -> AugmentConfig {
    AugmentConfig {
        steps: vec![Step::new(1.0, t)],
    }
}

#[test]
fn crop_and_resized_crop_output_sizes() {
    let mut rng = Rng::new(3);
    for _ in 0..50 {
        let crop = one_step(Transform::RandomCrop {
            size: [24, 20],
            padding: 4,
            fill: 0.0,
        });
        let (img, mask) = crop.apply(ramp([3, 32, 32]), Some(uniform_mask(32, 32, 1)), &mut rng);
        assert_eq!(img.shape, [3, 24, 20]);
        assert_eq!(img.data.len(), 3 * 24 * 20);
        let mask = mask.expect("mask");
        assert_eq!((mask.h, mask.w, mask.data.len()), (24, 20, 480));
        assert!(mask.data.iter().all(|&m| m == 1 || m == IGNORE_ID));

        let rrc = one_step(Transform::RandomResizedCrop {
            size: [16, 16],
            scale: [0.08, 1.0],
            ratio: [0.75, 4.0 / 3.0],
        });
        let (img, mask) = rrc.apply(ramp([1, 40, 30]), Some(uniform_mask(40, 30, 2)), &mut rng);
        assert_eq!(img.shape, [1, 16, 16]);
        let mask = mask.expect("mask");
        assert_eq!((mask.h, mask.w), (16, 16));
        assert!(
            mask.data.iter().all(|&m| m == 2),
            "a resized crop lies inside the image"
        );
    }
    // Padding only (crop size = image size) keeps the size and shows the fill on shifted borders.
    let pad = one_step(Transform::RandomCrop {
        size: [8, 8],
        padding: 8,
        fill: 0.75,
    });
    let (img, _) = pad.apply(Image::filled([1, 8, 8], 0.0), None, &mut Rng::new(11));
    assert_eq!(img.shape, [1, 8, 8]);
}

#[test]
fn jitter_stays_in_range_and_hsv_round_trips() {
    let mut rng = Rng::new(5);
    for _ in 0..200 {
        let mut img = ramp([3, 8, 8]);
        let d = JitterDraw::draw(0.8, 0.8, 0.8, 0.5, &mut rng);
        assert!((0.2..=1.8).contains(&d.brightness) && (-0.5..=0.5).contains(&d.hue));
        apply_jitter(&mut img, &d);
        assert!(img.data.iter().all(|v| (0.0..=1.0).contains(v)));
    }
    let mut grey = ramp([1, 8, 8]);
    apply_jitter(
        &mut grey,
        &JitterDraw {
            brightness: 3.0,
            contrast: 3.0,
            saturation: 0.0,
            hue: 0.3,
        },
    );
    assert!(grey.data.iter().all(|v| (0.0..=1.0).contains(v)));
    for (r, g, b) in [
        (0.9, 0.2, 0.1),
        (0.1, 0.7, 0.3),
        (0.3, 0.2, 0.8),
        (0.5, 0.5, 0.5),
    ] {
        let (h, s, v) = rgb_to_hsv(r, g, b);
        let (r2, g2, b2) = hsv_to_rgb(h, s, v);
        assert!((r - r2).abs() < 1e-5 && (g - g2).abs() < 1e-5 && (b - b2).abs() < 1e-5);
    }
    // A hue shift of a whole turn is the identity; brightness 1, contrast 1 change nothing.
    let orig = ramp([3, 4, 4]);
    let mut img = orig.clone();
    apply_jitter(
        &mut img,
        &JitterDraw {
            brightness: 1.0,
            contrast: 1.0,
            saturation: 1.0,
            hue: 0.0,
        },
    );
    assert_eq!(img, orig);
}

fn full_pipeline() -> AugmentConfig {
    AugmentConfig {
        steps: vec![
            Step::new(0.5, Transform::HorizontalFlip),
            Step::new(0.5, Transform::VerticalFlip),
            Step::new(
                1.0,
                Transform::RandomCrop {
                    size: [20, 20],
                    padding: 3,
                    fill: 0.0,
                },
            ),
            Step::new(
                0.7,
                Transform::Rotation {
                    degrees: 30.0,
                    fill: 0.0,
                },
            ),
            Step::new(
                0.5,
                Transform::RandomResizedCrop {
                    size: [20, 20],
                    scale: [0.5, 1.0],
                    ratio: [0.8, 1.25],
                },
            ),
            Step::new(
                0.8,
                Transform::ColorJitter {
                    brightness: 0.3,
                    contrast: 0.3,
                    saturation: 0.3,
                    hue: 0.1,
                },
            ),
        ],
    }
}

#[test]
fn augmentation_is_deterministic_per_seed_epoch_index() {
    let item = ImageItem {
        pixels: Pixels::F32(ramp([3, 20, 20]).data),
        shape: [3, 20, 20],
        label: 4,
    };
    let cfg = full_pipeline();
    let a = augment_item(&item, &cfg, 7, 2, 13);
    assert_eq!(a, augment_item(&item, &cfg, 7, 2, 13));
    assert_eq!(a.label, 4);
    let others = [
        augment_item(&item, &cfg, 8, 2, 13),
        augment_item(&item, &cfg, 7, 3, 13),
        augment_item(&item, &cfg, 7, 2, 14),
    ];
    assert!(
        others.iter().all(|o| *o != a),
        "seed, epoch and index each change the draw"
    );

    // Through the dataset wrapper: reading in any order, from several threads, gives the same items, and
    // the second read of a sample (epoch 1) differs from the first (epoch 0).
    let base = ImageDataset::new(
        [1, 20, 20],
        (0..16 * 400).map(|i| (i % 251) as u8).collect(),
        (0..16).collect(),
    )
    .expect("ds");
    let forward = AugmentedDataset::new(base.clone(), cfg.clone(), 1);
    let epoch0: Vec<_> = (0..16).map(|i| forward.get(i).expect("get")).collect();
    let epoch1: Vec<_> = (0..16).map(|i| forward.get(i).expect("get")).collect();
    assert!(epoch0.iter().zip(&epoch1).any(|(a, b)| a != b));
    let threaded = AugmentedDataset::new(base, cfg, 1);
    let mut got: Vec<(usize, ImageItem)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let ds = &threaded;
                s.spawn(move || {
                    (0..16)
                        .rev()
                        .filter(|i| i % 4 == t)
                        .map(|i| (i, ds.get(i).expect("get")))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("join"))
            .collect()
    });
    got.sort_by_key(|(i, _)| *i);
    let got: Vec<ImageItem> = got.into_iter().map(|(_, it)| it).collect();
    assert_eq!(got, epoch0);
}

#[test]
fn image_and_mask_stay_aligned_under_every_transform() {
    // An image of flat blocks and a mask drawn from the image itself (block value → class id): after
    // augmentation, the mask must still equal the mask drawn from the augmented image wherever the image
    // is not mixed by interpolation at a block edge.
    let (h, w) = (24, 24);
    let value = |id: u8| 0.1 + 0.2 * f32::from(id);
    let ids: Vec<u8> = (0..h * w)
        .map(|i| ((i / w) / 8 * 3 + (i % w) / 8) as u8 % 4)
        .collect();
    let pixels: Vec<f32> = ids.iter().map(|&id| value(id)).collect();
    let mut rgb = pixels.clone();
    rgb.extend(&pixels);
    rgb.extend(&pixels);
    let item = SegItem {
        pixels: Pixels::F32(rgb),
        shape: [3, h, w],
        mask: ids,
    };
    let mut steps = full_pipeline().steps;
    steps.retain(|s| !matches!(s.transform, Transform::ColorJitter { .. }));
    for step in steps {
        let cfg = AugmentConfig {
            steps: vec![Step::new(1.0, step.transform.clone())],
        };
        for index in 0..20 {
            let out = augment_seg_item(&item, &cfg, 99, 0, index);
            let [_, oh, ow] = out.shape;
            assert_eq!(out.mask.len(), oh * ow);
            // Interior pixels: the whole 5×5 mask neighbourhood lies in the output and has one class, so
            // interpolation cannot mix two blocks (or a block and the fill) there; edge pixels may
            // legitimately hold a blend.
            let interior = |y: usize, x: usize, m: u8| {
                y >= 2
                    && x >= 2
                    && y + 2 < oh
                    && x + 2 < ow
                    && (y - 2..y + 3).all(|yy| (x - 2..x + 3).all(|xx| out.mask[yy * ow + xx] == m))
            };
            let (mut agree, mut total) = (0, 0);
            for (i, &m) in out.mask.iter().enumerate() {
                if m == IGNORE_ID || !interior(i / ow, i % ow, m) {
                    continue;
                }
                total += 1;
                if (out.pixels.value(i) - value(m)).abs() < 0.02 {
                    agree += 1;
                }
            }
            assert!(total > 0);
            assert!(
                agree == total,
                "{:?}: {agree}/{total} aligned",
                step.transform
            );
        }
    }
}

#[test]
fn config_round_trips_through_json() {
    let cfg = full_pipeline();
    let json = serde_json::to_string(&cfg).expect("json");
    assert_eq!(AugmentConfig::from_json(&json).expect("parse"), cfg);
    let text = r#"{"steps":[{"type":"horizontal-flip","p":0.5},{"type":"random-crop","size":[32,32],"padding":4}]}"#;
    let parsed = AugmentConfig::from_json(text).expect("parse");
    assert_eq!(parsed.steps[1].p, 1.0);
    assert!(AugmentConfig::from_json(r#"{"steps":[{"type":"warp"}]}"#).is_err());
    for shape in [[1, 28, 28], [3, 32, 32], [3, 224, 224]] {
        let cfg = AugmentConfig::default_for(shape);
        let (img, _) = cfg.apply(ramp(shape), None, &mut Rng::new(1));
        assert_eq!(img.shape, shape, "the default pipeline keeps the size");
    }
}

/// An `h × w` mask of class `id` everywhere.
fn uniform_mask(h: usize, w: usize, id: u8) -> Mask {
    Mask {
        h,
        w,
        data: vec![id; h * w],
    }
}
