//! Exporting dataset images as PNG files named `<index>_<class>.png` — real files to try `infer`
//! on, and fixtures for its tests — and segmentation items as an image/mask folder.

use std::path::Path;

use burn::data::dataset::Dataset;
use image::{DynamicImage, GrayImage, RgbImage};

use crate::cache::write_atomic;
use crate::error::{DataError, Result};
use crate::item::{ImageItem, SegItem};
use crate::mask_png::write_mask_png;

/// A class name made safe for a file name (`T-shirt/top` → `T-shirt-top`).
pub fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The item as an image at its stored size (grey or RGB).
pub fn item_image(item: &ImageItem) -> Result<DynamicImage> {
    let [c, h, w] = item.shape;
    let px = item.pixels.to_u8();
    let bad = |what: &str| DataError::Config(format!("cannot export a {c}×{h}×{w} image: {what}"));
    let (w32, h32) = (
        u32::try_from(w).map_err(|_| bad("too wide"))?,
        u32::try_from(h).map_err(|_| bad("too tall"))?,
    );
    match c {
        1 => GrayImage::from_raw(w32, h32, px)
            .map(DynamicImage::ImageLuma8)
            .ok_or_else(|| bad("pixel count")),
        3 => {
            // CHW → HWC.
            let plane = h * w;
            let hwc: Vec<u8> = (0..plane)
                .flat_map(|i| [px[i], px[plane + i], px[2 * plane + i]])
                .collect();
            RgbImage::from_raw(w32, h32, hwc)
                .map(DynamicImage::ImageRgb8)
                .ok_or_else(|| bad("pixel count"))
        }
        _ => Err(bad("only 1 or 3 channels")),
    }
}

/// Write the first `n` images of `dataset` to `out` as `<index>_<class>.png`; returns how many.
pub fn export_samples(
    dataset: &dyn Dataset<ImageItem>,
    classes: &[String],
    n: usize,
    out: &Path,
) -> Result<usize> {
    std::fs::create_dir_all(out).map_err(DataError::io(out))?;
    let n = n.min(dataset.len());
    for i in 0..n {
        let item = dataset
            .get(i)
            .map_err(|e| DataError::Config(format!("reading image {i}: {e}")))?;
        let class = classes
            .get(item.label)
            .map_or_else(|| item.label.to_string(), |c| file_safe(c));
        write_png(&item, &out.join(format!("{i:05}_{class}.png")))?;
    }
    Ok(n)
}

/// Write the image of `item` to `path` as a PNG, atomically.
fn write_png(item: &ImageItem, path: &Path) -> Result<()> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    item_image(item)?
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| DataError::invalid(path, e.to_string()))?;
    write_atomic(path, bytes.get_ref())
}

/// Write the first `n` items of a segmentation set as a segmentation folder: `out/images/<index>.png`,
/// `out/masks/<index>.png` (palette PNG of class ids) and `out/classes.txt`; returns how many.
pub fn export_seg_samples(
    dataset: &dyn Dataset<SegItem>,
    classes: &[String],
    n: usize,
    out: &Path,
) -> Result<usize> {
    let (images, masks) = (out.join("images"), out.join("masks"));
    for dir in [&images, &masks] {
        std::fs::create_dir_all(dir).map_err(DataError::io(dir))?;
    }
    write_atomic(
        &out.join("classes.txt"),
        (classes.join("\n") + "\n").as_bytes(),
    )?;
    let n = n.min(dataset.len());
    for i in 0..n {
        let item = dataset
            .get(i)
            .map_err(|e| DataError::Config(format!("reading item {i}: {e}")))?;
        let image = ImageItem {
            pixels: item.pixels.clone(),
            shape: item.shape,
            label: 0,
        };
        write_png(&image, &images.join(format!("{i:05}.png")))?;
        let [_, h, w] = item.shape;
        write_mask_png(&masks.join(format!("{i:05}.png")), w, h, &item.mask)?;
    }
    Ok(n)
}
