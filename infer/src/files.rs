//! The inputs: image files given directly, and folders searched recursively for PNG/JPEG/BMP files.

use std::path::{Path, PathBuf};

/// Extensions searched for inside folders (files given explicitly are tried whatever their name).
pub const IMAGE_EXTENSIONS: [&str; 4] = ["png", "jpg", "jpeg", "bmp"];

fn is_image_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push((dir.to_path_buf(), format!("cannot read folder: {e}")));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out, errors);
        } else if is_image_name(&path) {
            out.push(path);
        }
    }
}

/// Expand `inputs` into image files (sorted within each folder), with an error for each input that
/// does not exist or cannot be listed.
pub fn collect(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut files, &mut errors);
        } else if input.exists() {
            files.push(input.clone());
        } else {
            errors.push((input.clone(), "no such file or folder".into()));
        }
    }
    (files, errors)
}
