//! Image folders for classification: `root/<class>/<image>.{png,jpg,jpeg,bmp}`, classes sorted by name.
//! Images are decoded lazily in `get` (grey stays one channel, everything else becomes RGB); the batcher
//! converts channels and size. A file that does not decode is an error naming it, never a panic.

use std::path::{Path, PathBuf};

use burn::data::dataset::{Dataset, DatasetError};

use crate::decode::{decode_image_file, is_image_file};
use crate::error::{DataError, Result};
use crate::input::dynamic_to_pixels;
use crate::item::{ImageItem, Pixels};

/// A classification folder.
#[derive(Debug, Clone)]
pub struct ImageFolder {
    root: PathBuf,
    classes: Vec<String>,
    files: Vec<(PathBuf, usize)>,
}

/// The sorted sub-folders of `dir`.
pub fn sorted_subdirs(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(DataError::io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// The sorted image files directly in `dir`.
pub fn sorted_images(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(DataError::io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_image_file(p))
        .collect();
    files.sort();
    Ok(files)
}

impl ImageFolder {
    /// Scans `root`; its classes are its sub-folders. An empty root or class folder is an error.
    pub fn new(root: &Path) -> Result<Self> {
        let dirs = sorted_subdirs(root)?;
        if dirs.is_empty() {
            return Err(DataError::invalid(
                root,
                "empty folder: no class sub-folders",
            ));
        }
        let classes: Vec<String> = dirs
            .iter()
            .map(|d| {
                d.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        Self::with_classes(root, classes)
    }

    /// Scans `root` with a given class list (e.g. the training split's): every sub-folder must be one of
    /// `classes`, and labels follow the list's order.
    pub fn with_classes(root: &Path, classes: Vec<String>) -> Result<Self> {
        let mut files = Vec::new();
        for dir in sorted_subdirs(root)? {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let label = classes.iter().position(|c| *c == name).ok_or_else(|| {
                DataError::invalid(&dir, format!("class {name:?} is not one of {classes:?}"))
            })?;
            let images = sorted_images(&dir)?;
            if images.is_empty() {
                return Err(DataError::invalid(
                    &dir,
                    "empty folder: no PNG/JPEG/BMP images",
                ));
            }
            files.extend(images.into_iter().map(|p| (p, label)));
        }
        if files.is_empty() {
            return Err(DataError::invalid(root, "empty folder: no images"));
        }
        Ok(Self {
            root: root.to_path_buf(),
            classes,
            files,
        })
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Class names in label order.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// The files and their labels.
    pub fn files(&self) -> &[(PathBuf, usize)] {
        &self.files
    }

    /// Decodes item `i`.
    pub fn load(&self, i: usize) -> Result<ImageItem> {
        let ((_, label), pixels, shape) = decode_entry(&self.root, &self.files, i, |(p, _)| p)?;
        Ok(ImageItem {
            pixels,
            shape,
            label: *label,
        })
    }

    /// Decodes every file once and returns the first error (to fail early instead of mid-epoch).
    pub fn check_all(&self) -> Result<()> {
        (0..self.files.len()).try_for_each(|i| self.load(i).map(|_| ()))
    }

    /// Decodes every file once, before a run: with `skip_bad`, the folder without the files that
    /// fail and their errors; without it, an error listing every bad file ([`keep_good`]).
    pub fn checked(mut self, skip_bad: bool) -> Result<(Self, Vec<DataError>)> {
        let files = std::mem::take(&mut self.files);
        let (good, bad) = keep_good(&self.root, files, Vec::new(), skip_bad, |(path, _)| {
            decode_image_file(path).map(|_| ())
        })?;
        self.files = good;
        Ok((self, bad))
    }
}

/// Checks every entry once. `bad` holds the errors found before (e.g. a missing mask). With no
/// error, all entries; with errors and `skip_bad`, the entries that passed and every error (an
/// error when none passed); without `skip_bad`, an error on `root` listing every bad file with
/// its problem (not only the first: a folder of 50,000 photos is mended in one go).
pub(crate) fn keep_good<T>(
    root: &Path,
    entries: Vec<T>,
    mut bad: Vec<DataError>,
    skip_bad: bool,
    check: impl Fn(&T) -> Result<()>,
) -> Result<(Vec<T>, Vec<DataError>)> {
    let total = entries.len() + bad.len();
    let mut good = Vec::with_capacity(entries.len());
    for entry in entries {
        match check(&entry) {
            Ok(()) => good.push(entry),
            Err(e) => bad.push(e),
        }
    }
    if bad.is_empty() || (skip_bad && !good.is_empty()) {
        return Ok((good, bad));
    }
    let advice = if skip_bad {
        "every file is bad"
    } else {
        "fix or remove them, or pass --skip-bad to train on the rest"
    };
    Err(DataError::invalid(
        root,
        format!(
            "{} of {total} files are bad ({advice}):\n  {}",
            bad.len(),
            list(&bad)
        ),
    ))
}

/// The errors, one a line.
pub fn list(errors: &[DataError]) -> String {
    let lines: Vec<String> = errors.iter().map(DataError::to_string).collect();
    lines.join("\n  ")
}

impl Dataset<ImageItem> for ImageFolder {
    fn get(&self, index: usize) -> Result<ImageItem, DatasetError> {
        self.load(index).map_err(DatasetError::new)
    }

    fn len(&self) -> usize {
        self.files.len()
    }
}

/// Entry `i` of a folder's `entries` (an error naming `root` past the end) with the decoded pixels
/// and `[C, H, W]` shape of the image file `image(entry)`.
pub(crate) fn decode_entry<'a, T>(
    root: &Path,
    entries: &'a [T],
    i: usize,
    image: impl Fn(&T) -> &Path,
) -> Result<(&'a T, Pixels, [usize; 3])> {
    let entry = entries
        .get(i)
        .ok_or_else(|| DataError::invalid(root, format!("no item {i}")))?;
    let (pixels, shape) = dynamic_to_pixels(&decode_image_file(image(entry))?);
    Ok((entry, pixels, shape))
}
