//! `cargo xtask augment-preview --dataset mnist --n 16 --out grid.png`: a picture grid showing what the
//! augmentation pipeline does. Each cell shows a training sample and, beside it, its augmented version;
//! for segmentation data (`digits-seg`, `seg-folder:DIR`) the augmented image and its augmented mask
//! (one colour per class, white = ignore), so a user can check that they stay aligned.

use std::path::PathBuf;

use anyhow::{Context, bail};
use burn::data::dataset::Dataset;
use data::augment::{AugmentConfig, augment_item, augment_seg_item};
use data::geometry::Image;
use data::input::to_image;
use data::{
    ClassificationData, DatasetSpec, IGNORE_ID, SegmentationData, load_classification,
    load_segmentation,
};
use image::{Rgb, RgbImage};

/// Arguments of `cargo xtask augment-preview`.
#[derive(clap::Args)]
pub struct AugmentPreviewArgs {
    /// Dataset spec (mnist, fashion-mnist, cifar10:DIR, folder:DIR, digits-seg[:SEED], seg-folder:DIR).
    #[arg(long, default_value = "mnist")]
    dataset: String,
    /// Number of samples.
    #[arg(long, default_value_t = 16)]
    n: usize,
    /// Output PNG.
    #[arg(long, default_value = "grid.png")]
    out: PathBuf,
    /// Augmentation pipeline as JSON (default: the pipeline suggested for the dataset's image size).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Seed of the random draws.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Epoch of the random draws.
    #[arg(long, default_value_t = 0)]
    epoch: u64,
    /// Cache folder (default: $CNN_DATA_DIR or <workspace>/.cache/data).
    #[arg(long)]
    cache: Option<PathBuf>,
}

/// One cell: two pictures side by side.
type Pair = (RgbImage, RgbImage);

fn image_rgb(img: &Image) -> RgbImage {
    let [c, h, w] = img.shape;
    let plane = h * w;
    let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    RgbImage::from_fn(w as u32, h as u32, |x, y| {
        let i = y as usize * w + x as usize;
        let ch = |k: usize| {
            byte(
                img.data
                    .get(k.min(c.saturating_sub(1)) * plane + i)
                    .copied()
                    .unwrap_or(0.0),
            )
        };
        Rgb([ch(0), ch(1), ch(2)])
    })
}

fn mask_rgb(mask: &[u8], h: usize, w: usize) -> RgbImage {
    RgbImage::from_fn(w as u32, h as u32, |x, y| {
        let id = mask
            .get(y as usize * w + x as usize)
            .copied()
            .unwrap_or(IGNORE_ID);
        match id {
            0 => Rgb([0, 0, 0]),
            IGNORE_ID => Rgb([255, 255, 255]),
            k => {
                let hue = (f32::from(k) * 0.618_034).fract();
                let (r, g, b) = data::augment::jitter::hsv_to_rgb(hue, 0.8, 0.95);
                Rgb([(r * 255.0) as u8, (g * 255.0) as u8, (b * 255.0) as u8])
            }
        }
    })
}

/// Original | augmented image pairs of a classification set.
fn classification_pairs(
    args: &AugmentPreviewArgs,
    data: ClassificationData,
) -> anyhow::Result<Vec<Pair>> {
    (0..args.n.min(data.train.len()))
        .map(|i| {
            let item = data.train.get(i).with_context(|| format!("sample {i}"))?;
            let config = pipeline(args, item.shape)?;
            let aug = augment_item(&item, &config, args.seed, args.epoch, i as u64);
            let before = image_rgb(&to_image(&item.pixels, item.shape));
            Ok((before, image_rgb(&to_image(&aug.pixels, aug.shape))))
        })
        .collect()
}

/// Augmented image | mask pairs of a segmentation set.
fn segmentation_pairs(
    args: &AugmentPreviewArgs,
    data: SegmentationData,
) -> anyhow::Result<Vec<Pair>> {
    println!("{}: {} classes", data.name, data.classes.len());
    let mut pairs = Vec::new();
    for i in 0..args.n.min(data.train.len()) {
        let item = data.train.get(i).with_context(|| format!("sample {i}"))?;
        let aug = augment_seg_item(
            &item,
            &pipeline(args, item.shape)?,
            args.seed,
            args.epoch,
            i as u64,
        );
        let [_, h, w] = aug.shape;
        pairs.push((
            image_rgb(&to_image(&aug.pixels, aug.shape)),
            mask_rgb(&aug.mask, h, w),
        ));
    }
    Ok(pairs)
}

fn pipeline(args: &AugmentPreviewArgs, shape: [usize; 3]) -> anyhow::Result<AugmentConfig> {
    match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok(AugmentConfig::from_json(&text).with_context(|| path.display().to_string())?)
        }
        None => Ok(AugmentConfig::default_for(shape)),
    }
}

/// Lays the pairs out on a grid, each picture scaled up by an integer factor (nearest neighbour).
fn grid(pairs: &[Pair]) -> RgbImage {
    let side = pairs
        .iter()
        .flat_map(|(a, b)| [a.width().max(a.height()), b.width().max(b.height())])
        .max()
        .unwrap_or(1);
    let scale = (96 / side).max(1);
    let cell = side * scale;
    let gap = 4;
    let cols = (pairs.len() as f64).sqrt().ceil().max(1.0) as u32;
    let rows = (pairs.len() as u32).div_ceil(cols);
    let width = cols * (2 * cell + 3 * gap) + gap;
    let height = rows * (cell + gap) + gap;
    let mut canvas = RgbImage::from_pixel(width, height, Rgb([64, 64, 64]));
    for (k, (a, b)) in pairs.iter().enumerate() {
        let (col, row) = (k as u32 % cols, k as u32 / cols);
        let x0 = gap + col * (2 * cell + 3 * gap);
        let y0 = gap + row * (cell + gap);
        for (j, pic) in [a, b].into_iter().enumerate() {
            let xs = x0 + j as u32 * (cell + gap);
            for y in 0..pic.height() * scale {
                for x in 0..pic.width() * scale {
                    canvas.put_pixel(xs + x, y0 + y, *pic.get_pixel(x / scale, y / scale));
                }
            }
        }
    }
    canvas
}

pub fn run(args: AugmentPreviewArgs) -> anyhow::Result<()> {
    if args.n == 0 {
        bail!("--n must be at least 1");
    }
    let spec: DatasetSpec = args.dataset.parse()?;
    let cache = args.cache.clone().unwrap_or_else(data::default_cache_dir);
    let pairs = if spec.is_segmentation() {
        segmentation_pairs(&args, load_segmentation(&spec, &cache)?)?
    } else {
        classification_pairs(&args, load_classification(&spec, &cache)?)?
    };
    let picture = grid(&pairs);
    let mut png = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut png, image::ImageFormat::Png)
        .with_context(|| format!("encoding {}", args.out.display()))?;
    data::write_atomic(&args.out, png.get_ref())?;
    let what = if spec.is_segmentation() {
        "augmented image | mask"
    } else {
        "original | augmented"
    };
    println!(
        "{}: {} samples of {spec} ({what}), {}×{}",
        args.out.display(),
        pairs.len(),
        picture.width(),
        picture.height()
    );
    Ok(())
}
