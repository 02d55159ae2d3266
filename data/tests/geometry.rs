//! Resampling, cropping and input conversion against hand-computed values.

use data::geometry::{Image, Mask, crop_image, resize_bilinear, resize_nearest};
use data::input::{convert_channels, convert_seg, fit_image};
use data::{Fit, InputSpec, Pixels};

#[test]
fn bilinear_resize_matches_hand_computed_values() {
    let img = Image {
        shape: [1, 2, 2],
        data: vec![0.0, 1.0, 2.0, 3.0],
    };
    let up = resize_bilinear(&img, 4, 4);
    // Half-pixel centres: output column x samples source column (x + 0.5) / 2 − 0.5, clamped.
    assert_eq!(&up.data[..4], &[0.0, 0.25, 0.75, 1.0]);
    assert_eq!(&up.data[4..8], &[0.5, 0.75, 1.25, 1.5]);
    assert_eq!(&up.data[12..], &[2.0, 2.25, 2.75, 3.0]);
    let big = Image {
        shape: [1, 4, 4],
        data: (0..16).map(|v| v as f32).collect(),
    };
    // Halving averages each 2×2 block.
    assert_eq!(resize_bilinear(&big, 2, 2).data, vec![2.5, 4.5, 10.5, 12.5]);
    assert_eq!(resize_bilinear(&big, 4, 4), big);
    let mask = Mask {
        h: 2,
        w: 2,
        data: vec![1, 2, 3, 4],
    };
    assert_eq!(
        resize_nearest(&mask, 4, 4).data,
        vec![1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]
    );
}

#[test]
fn crops_pad_with_the_fill_value() {
    let img = Image {
        shape: [1, 2, 3],
        data: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    };
    let c = crop_image(&img, -1, 1, 3, 3, 9.0);
    assert_eq!(c.data, vec![9.0, 9.0, 9.0, 2.0, 3.0, 9.0, 5.0, 6.0, 9.0]);
    assert_eq!(crop_image(&img, 0, 5, 2, 2, 7.0).data, vec![7.0; 4]);
}

#[test]
fn fits_and_channel_conversion() {
    let img = Image {
        shape: [1, 28, 28],
        data: vec![0.5; 784],
    };
    let padded = fit_image(&img, Fit::PadCrop, 32, 32);
    assert_eq!(padded.shape, [1, 32, 32]);
    assert_eq!(
        (
            padded.at(0, 0, 0),
            padded.at(0, 1, 1),
            padded.at(0, 2, 2),
            padded.at(0, 29, 29)
        ),
        (0.0, 0.0, 0.5, 0.5)
    );
    assert_eq!(padded.at(0, 30, 30), 0.0);
    let wide = Image {
        shape: [3, 20, 40],
        data: vec![0.2; 2400],
    };
    let rc = fit_image(&wide, Fit::ResizeCrop, 10, 10);
    assert_eq!(rc.shape, [3, 10, 10]);
    assert!(rc.data.iter().all(|&v| (v - 0.2).abs() < 1e-6));
    let rgb = Image {
        shape: [3, 1, 1],
        data: vec![1.0, 0.5, 0.0],
    };
    let grey = convert_channels(rgb, 1);
    assert!((grey.data[0] - (0.299 + 0.587 * 0.5)).abs() < 1e-6);
    assert_eq!(
        convert_channels(grey.clone(), 3).data,
        vec![grey.data[0]; 3]
    );
    let (image, mask) = convert_seg(
        &Pixels::U8(vec![255; 4]),
        [1, 2, 2],
        &[1, 2, 3, 4],
        &InputSpec::new(1, 4, 4).with_fit(Fit::PadCrop),
    );
    assert_eq!(image.at(0, 1, 1), 1.0);
    assert_eq!(
        mask.data,
        vec![
            255, 255, 255, 255, 255, 1, 2, 255, 255, 3, 4, 255, 255, 255, 255, 255
        ]
    );
}
