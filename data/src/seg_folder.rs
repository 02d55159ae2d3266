//! Image folders for segmentation: `root/images/<name>.{png,jpg,jpeg,bmp}` and `root/masks/<name>.png`,
//! one class id per mask pixel (8-bit palette or grey PNG, as PASCAL VOC ships them — Everingham et al.,
//! "The PASCAL Visual Object Classes (VOC) Challenge", IJCV 2010), 255 = ignore. A mask missing, of
//! another size than its image, or holding an id past the class count is an error naming the file.

use std::path::{Path, PathBuf};

use burn::data::dataset::{Dataset, DatasetError};

use crate::decode::{decode_image_file, decode_mask_file};
use crate::error::{DataError, Result};
use crate::folder::{keep_good, sorted_images};
use crate::input::dynamic_to_pixels;
use crate::item::{IGNORE_ID, SegItem};

/// A segmentation folder.
#[derive(Debug, Clone)]
pub struct SegFolder {
    root: PathBuf,
    num_classes: usize,
    pairs: Vec<(PathBuf, PathBuf)>,
}

impl SegFolder {
    /// Scans `root/images` and pairs each image with `root/masks/<stem>.png`; an image without a
    /// mask is an error.
    pub fn new(root: &Path, num_classes: usize) -> Result<Self> {
        let (folder, mut missing) = Self::scan(root, num_classes)?;
        match missing.is_empty() {
            true => Ok(folder),
            false => Err(missing.swap_remove(0)),
        }
    }

    /// Scans `root` as [`SegFolder::new`] does, then decodes and checks every pair once, before a
    /// run: with `skip_bad`, the folder without the bad pairs (a mask missing, of another size or
    /// with an id out of range, an image that does not decode) and their errors; without it, an
    /// error listing every bad pair.
    pub fn checked(
        root: &Path,
        num_classes: usize,
        skip_bad: bool,
    ) -> Result<(Self, Vec<DataError>)> {
        let (mut folder, missing) = Self::scan(root, num_classes)?;
        let pairs = std::mem::take(&mut folder.pairs);
        let (good, bad) = keep_good(root, pairs, missing, skip_bad, |pair| {
            folder.load_pair(pair).map(|_| ())
        })?;
        folder.pairs = good;
        Ok((folder, bad))
    }

    /// The pairs of `root` and an error for each image without a mask.
    fn scan(root: &Path, num_classes: usize) -> Result<(Self, Vec<DataError>)> {
        if num_classes == 0 || num_classes > usize::from(IGNORE_ID) {
            return Err(DataError::Config(format!(
                "{num_classes} classes: must be 1..=255"
            )));
        }
        let images_dir = root.join("images");
        let masks_dir = root.join("masks");
        let images = sorted_images(&images_dir)?;
        if images.is_empty() {
            return Err(DataError::invalid(
                &images_dir,
                "empty folder: no PNG/JPEG/BMP images",
            ));
        }
        let mut pairs = Vec::with_capacity(images.len());
        let mut missing = Vec::new();
        for img in images {
            let stem = img
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mask = masks_dir.join(format!("{stem}.png"));
            if mask.is_file() {
                pairs.push((img, mask));
            } else {
                missing.push(DataError::invalid(
                    &img,
                    format!("no mask {}", mask.display()),
                ));
            }
        }
        let folder = Self {
            root: root.to_path_buf(),
            num_classes,
            pairs,
        };
        Ok((folder, missing))
    }

    /// The (image, mask) file pairs.
    pub fn pairs(&self) -> &[(PathBuf, PathBuf)] {
        &self.pairs
    }

    /// Decodes and checks pair `i`.
    pub fn load(&self, i: usize) -> Result<SegItem> {
        let pair = self
            .pairs
            .get(i)
            .ok_or_else(|| DataError::invalid(&self.root, format!("no item {i}")))?;
        self.load_pair(pair)
    }

    /// Decodes and checks one (image, mask) pair.
    fn load_pair(&self, (img_path, mask_path): &(PathBuf, PathBuf)) -> Result<SegItem> {
        let (pixels, shape) = dynamic_to_pixels(&decode_image_file(img_path)?);
        let (mh, mw, mask) = decode_mask_file(mask_path)?;
        if (mh, mw) != (shape[1], shape[2]) {
            return Err(DataError::invalid(
                mask_path,
                format!(
                    "mask size {mw}×{mh} differs from image {} size {}×{}",
                    img_path.display(),
                    shape[2],
                    shape[1]
                ),
            ));
        }
        check_mask_ids(&mask, self.num_classes, mask_path)?;
        Ok(SegItem {
            pixels,
            shape,
            mask,
        })
    }

    /// Decodes every pair once and returns the first error.
    pub fn check_all(&self) -> Result<()> {
        self.pairs
            .iter()
            .try_for_each(|p| self.load_pair(p).map(|_| ()))
    }
}

/// Checks that every id is below `num_classes` or is [`IGNORE_ID`].
pub fn check_mask_ids(mask: &[u8], num_classes: usize, path: &Path) -> Result<()> {
    if let Some((i, &id)) = mask
        .iter()
        .enumerate()
        .find(|&(_, &id)| id != IGNORE_ID && usize::from(id) >= num_classes)
    {
        return Err(DataError::invalid(
            path,
            format!("class id {id} at pixel {i} out of range (0..{num_classes}, or 255 = ignore)"),
        ));
    }
    Ok(())
}

impl Dataset<SegItem> for SegFolder {
    fn get(&self, index: usize) -> Result<SegItem, DatasetError> {
        self.load(index).map_err(DatasetError::new)
    }

    fn len(&self) -> usize {
        self.pairs.len()
    }
}
