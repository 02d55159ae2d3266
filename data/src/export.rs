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

/// An item [`export_samples`] can write: a classification image (`<index>_<class>.png`) or a
/// segmentation item (`images/<index>.png`, `masks/<index>.png` and one `classes.txt`).
pub trait Exportable {
    /// What an item is called in an error message.
    const NOUN: &'static str;
    /// Prepares `out` before the first item.
    fn prepare(out: &Path, classes: &[String]) -> Result<()>;
    /// Writes this item, number `index`, into `out`.
    fn export(&self, index: usize, out: &Path, classes: &[String]) -> Result<()>;
}

/// Write the first `n` items of `dataset` into `out` as [`Exportable`] says; returns how many.
pub fn export_samples<T: Exportable>(
    dataset: &dyn Dataset<T>,
    classes: &[String],
    n: usize,
    out: &Path,
) -> Result<usize> {
    T::prepare(out, classes)?;
    let n = n.min(dataset.len());
    for i in 0..n {
        let item = dataset
            .get(i)
            .map_err(|e| DataError::Config(format!("reading {} {i}: {e}", T::NOUN)))?;
        item.export(i, out, classes)?;
    }
    Ok(n)
}

/// [`export_samples`] of a segmentation set, under the name its callers know.
pub use self::export_samples as export_seg_samples;

impl Exportable for ImageItem {
    const NOUN: &'static str = "image";

    fn prepare(out: &Path, _classes: &[String]) -> Result<()> {
        std::fs::create_dir_all(out).map_err(DataError::io(out))
    }

    fn export(&self, index: usize, out: &Path, classes: &[String]) -> Result<()> {
        let class = classes
            .get(self.label)
            .map_or_else(|| self.label.to_string(), |c| file_safe(c));
        write_png(self, &out.join(format!("{index:05}_{class}.png")))
    }
}

/// A segmentation folder: `out/images/<index>.png`, `out/masks/<index>.png` (palette PNG of
/// class ids) and `out/classes.txt`.
impl Exportable for SegItem {
    const NOUN: &'static str = "item";

    fn prepare(out: &Path, classes: &[String]) -> Result<()> {
        for dir in [out.join("images"), out.join("masks")] {
            std::fs::create_dir_all(&dir).map_err(DataError::io(&dir))?;
        }
        write_atomic(
            &out.join("classes.txt"),
            (classes.join("\n") + "\n").as_bytes(),
        )
    }

    fn export(&self, index: usize, out: &Path, _classes: &[String]) -> Result<()> {
        let image = ImageItem {
            pixels: self.pixels.clone(),
            shape: self.shape,
            label: 0,
        };
        let file = format!("{index:05}.png");
        write_png(&image, &out.join("images").join(&file))?;
        let [_, h, w] = self.shape;
        write_mask_png(&out.join("masks").join(&file), w, h, &self.mask)
    }
}

/// Write the image of `item` to `path` as a PNG, atomically.
fn write_png(item: &ImageItem, path: &Path) -> Result<()> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    item_image(item)?
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| DataError::invalid(path, e.to_string()))?;
    write_atomic(path, bytes.get_ref())
}

#[cfg(test)]
mod tests {
    use burn::data::dataset::InMemDataset;

    use super::*;
    use crate::item::Pixels;

    #[test]
    fn both_kinds_of_sample_land_where_their_format_says() {
        let dir = tempfile::tempdir().unwrap();
        let classes = vec!["T-shirt/top".to_string(), "bag".to_string()];
        let images = InMemDataset::new(vec![ImageItem {
            pixels: Pixels::U8(vec![0, 255, 128, 64]),
            shape: [1, 2, 2],
            label: 0,
        }]);
        let flat = dir.path().join("flat");
        assert_eq!(export_samples(&images, &classes, 5, &flat).unwrap(), 1);
        assert!(flat.join("00000_T-shirt-top.png").is_file());

        let item = SegItem {
            pixels: Pixels::U8(vec![0, 255, 128, 64]),
            shape: [1, 2, 2],
            mask: vec![0, 1, 1, 0],
        };
        let seg = InMemDataset::new(vec![item.clone(), item]);
        let folder = dir.path().join("seg");
        assert_eq!(export_seg_samples(&seg, &classes, 1, &folder).unwrap(), 1);
        assert!(folder.join("images/00000.png").is_file());
        assert!(folder.join("masks/00000.png").is_file());
        assert!(!folder.join("images/00001.png").exists());
        let listed = std::fs::read_to_string(folder.join("classes.txt")).unwrap();
        assert_eq!(listed, "T-shirt/top\nbag\n");
    }
}
