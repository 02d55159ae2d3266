//! Segmenting image files with a trained segmentation run: each image is converted exactly as the
//! training images were (channels, resize to the input size, normalisation), the network's class
//! scores (logit-adjusted by the run's class weights) are resized back to the file's own size (bilinear) and the arg-max is written as a class-id
//! mask PNG (palette PNG, the PASCAL VOC format) and as a colour overlay on the image, both the size of
//! the input. A bad file gets an error entry; it never stops the others.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use burn::tensor::module::interpolate;
use burn::tensor::ops::{InterpolateMode, InterpolateOptions};
use burn::tensor::{Device, Tensor};
use data::Preprocessing;
use data::mask_png::{class_colour, write_mask_png};
use image::{DynamicImage, RgbImage};
use model::segmentation::SegNetworkConfig;
use serde::Serialize;
use train::RunDir;
use train::segmentation::evaluate::load_segmenter;
use train::segmentation::segmenter::Segmenter;

use crate::run_folder::CheckpointChoice;

/// A trained segmentation run.
pub struct SegmentationRun {
    /// The network in evaluation mode.
    pub segmenter: Segmenter,
    /// How images become inputs, and the class names.
    pub preprocessing: Preprocessing,
}

impl SegmentationRun {
    /// Load `checkpoint` of the run in `run` (already known to be a segmentation run).
    pub fn open(run: &Path, checkpoint: CheckpointChoice, device: &Device) -> anyhow::Result<Self> {
        let run = RunDir::open(run)?;
        let (network, preprocessing, weights) = run.trained::<SegNetworkConfig>(checkpoint)?;
        let segmenter = load_segmenter(&network, &weights, run.class_weights()?, device)?;
        Ok(Self {
            segmenter,
            preprocessing,
        })
    }
}

/// One class's share of an image's pixels.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClassShare {
    /// Class id (the value in the mask PNG).
    pub id: usize,
    /// Class name from the run.
    pub class: String,
    /// Fraction of the image's pixels.
    pub fraction: f64,
}

/// The outcome for one file.
#[derive(Debug, Clone, Serialize)]
pub struct Segmented {
    /// The input file.
    pub path: PathBuf,
    /// The class-id mask PNG written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mask: Option<PathBuf>,
    /// The colour overlay PNG written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overlay: Option<PathBuf>,
    /// `[width, height]` of the image (and of both outputs).
    pub size: [usize; 2],
    /// Classes present, largest share first.
    pub fractions: Vec<ClassShare>,
    /// Why the file could not be segmented.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Class ids of every pixel of `img` at its own size, row-major.
pub fn predict_mask(run: &SegmentationRun, img: &DynamicImage, device: &Device) -> Vec<u8> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let input = run.preprocessing.image_to_tensor(img, device);
    let scores: Tensor<4> = run.segmenter.scores(input);
    let scores = interpolate(
        scores,
        InterpolateOptions::new(InterpolateMode::Bilinear).with_output_size([h, w]),
    );
    scores
        .argmax(1)
        .into_data_as::<i64>()
        .iter::<i64>()
        .map(|c| u8::try_from(c).unwrap_or(data::IGNORE_ID))
        .collect()
}

/// The image with every pixel of a non-background class tinted (50 %) with its class colour; class
/// 0 is left as it is when it is named `background`.
pub fn overlay(img: &DynamicImage, mask: &[u8], keep_class_zero: bool) -> RgbImage {
    let mut rgb = img.to_rgb8();
    for (pixel, &id) in rgb.pixels_mut().zip(mask) {
        if id == 0 && keep_class_zero {
            continue;
        }
        let colour = class_colour(id);
        for (v, c) in pixel.0.iter_mut().zip(colour) {
            *v = ((u16::from(*v) + u16::from(c)) / 2) as u8;
        }
    }
    rgb
}

/// Shares of every class present in `mask`, largest first.
pub fn class_fractions(mask: &[u8], classes: &[String]) -> Vec<ClassShare> {
    let mut counts = [0usize; 256];
    for &id in mask {
        counts[usize::from(id)] += 1;
    }
    let total = mask.len().max(1) as f64;
    let mut shares: Vec<ClassShare> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(id, n)| ClassShare {
            id,
            class: classes.get(id).cloned().unwrap_or_else(|| id.to_string()),
            fraction: *n as f64 / total,
        })
        .collect();
    shares.sort_by(|a, b| b.fraction.total_cmp(&a.fraction));
    shares
}

/// Output names `<stem>_mask.png` / `<stem>_overlay.png`, numbered when two inputs share a stem.
fn output_stem(path: &Path, used: &mut HashSet<String>) -> String {
    let stem = data::export::file_safe(
        &path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "image".into()),
    );
    let mut candidate = stem.clone();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{stem}-{n}");
        n += 1;
    }
    candidate
}

fn segment_one(
    run: &SegmentationRun,
    path: &Path,
    stem: &str,
    out: &Path,
    device: &Device,
) -> anyhow::Result<Segmented> {
    let img = data::decode::decode_image_file(path)?;
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mask = predict_mask(run, &img, device);
    let classes = &run.preprocessing.classes;
    let mask_path = out.join(format!("{stem}_mask.png"));
    write_mask_png(&mask_path, w, h, &mask)?;
    let keep_zero = classes.first().is_some_and(|c| c == "background");
    let overlay_path = out.join(format!("{stem}_overlay.png"));
    let mut bytes = std::io::Cursor::new(Vec::new());
    overlay(&img, &mask, keep_zero)
        .write_to(&mut bytes, image::ImageFormat::Png)
        .with_context(|| format!("{}: cannot encode the overlay", overlay_path.display()))?;
    train::atomic::write_atomic(&overlay_path, bytes.get_ref())?;
    Ok(Segmented {
        path: path.to_path_buf(),
        mask: Some(mask_path),
        overlay: Some(overlay_path),
        size: [w, h],
        fractions: class_fractions(&mask, classes),
        error: None,
    })
}

/// Segment `files`, writing masks and overlays into `out` (created if missing), reporting progress
/// through `progress(done)`.
pub fn segment_files(
    run: &SegmentationRun,
    files: &[PathBuf],
    out: &Path,
    device: &Device,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<Vec<Segmented>> {
    std::fs::create_dir_all(out)
        .with_context(|| format!("{}: cannot create the output folder", out.display()))?;
    let mut used = HashSet::new();
    let mut results = Vec::with_capacity(files.len());
    for path in files {
        let stem = output_stem(path, &mut used);
        results.push(
            segment_one(run, path, &stem, out, device).unwrap_or_else(|e| Segmented {
                path: path.clone(),
                mask: None,
                overlay: None,
                size: [0, 0],
                fractions: Vec::new(),
                error: Some(format!("{e:#}")),
            }),
        );
        progress(results.len());
    }
    Ok(results)
}
