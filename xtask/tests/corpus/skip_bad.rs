//! `--skip-bad`: an image folder and a segmentation folder, each with three broken files among good
//! ones (in both splits). Without the flag the run is refused with every bad file listed, not only
//! the first; with it, the bad files are named before the run starts and it trains on the rest.

use std::path::Path;

use image::{GrayImage, Luma};

use crate::datasets::{FOLDER, Kind, SEG, at, dataset, save, truncate, write};
use crate::{Case, p, xtask};

/// The broken files of a case (relative to its data folder) and what each must be reported as.
type Broken = [(&'static str, &'static str); 3];

const FOLDER_BROKEN: Broken = [
    ("train/a/1.png", "corrupt or truncated Png image"),
    ("train/b/2.png", "not a recognised image"),
    ("test/a/3.png", "empty image file"),
];

fn break_folder(d: &Path) {
    truncate(&d.join("train/a/1.png"));
    write(&d.join("train/b/2.png"), b"not an image");
    write(&d.join("test/a/3.png"), b"");
}

const SEG_BROKEN: Broken = [
    ("train/images/4.png", "no mask"),
    ("train/masks/5.png", "mask size 16×32 differs from image"),
    ("test/masks/6.png", "class id 9 at pixel 0 out of range"),
];

fn break_seg(d: &Path) {
    std::fs::remove_file(d.join("train/masks/4.png")).expect("rm");
    save(GrayImage::new(16, 32), &d.join("train/masks/5.png"));
    save(
        GrayImage::from_pixel(32, 32, Luma([9])),
        &d.join("test/masks/6.png"),
    );
}

/// (kind, case name, how to break it, what breaks, the count line of the training split).
type Folder = (
    &'static Kind,
    &'static str,
    fn(&Path),
    &'static Broken,
    &'static str,
);

const FOLDERS: [Folder; 2] = [
    (
        &FOLDER,
        "three-bad-images",
        break_folder,
        &FOLDER_BROKEN,
        "2 of 8 files are bad",
    ),
    (
        &SEG,
        "three-bad-pairs",
        break_seg,
        &SEG_BROKEN,
        "2 of 12 files are bad",
    ),
];

/// The `--dataset` argument and every line the report must hold, for a folder of `FOLDERS`.
fn broken_case(root: &Path, (kind, name, edit, broken, _): &Folder) -> (Vec<String>, Vec<String>) {
    let (dir, data) = dataset(root, kind, name, edit);
    let args = kind.train_args(&dir, &data);
    let want = broken
        .iter()
        .map(|(file, what)| at(&data, file, what))
        .collect();
    (args, want)
}

/// Without `--skip-bad`: refused, every broken file listed with its problem.
pub fn cases(root: &Path) -> Vec<Case> {
    FOLDERS
        .iter()
        .map(|folder| {
            let (args, mut want) = broken_case(root, folder);
            want.push(folder.4.to_string());
            want.push("pass --skip-bad to train on the rest".into());
            Case {
                name: folder.1,
                args,
                want,
            }
        })
        .collect()
}

#[test]
fn skip_bad_names_every_bad_file_and_trains_on_the_rest() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for folder in &FOLDERS {
        let (mut args, want) = broken_case(tmp.path(), folder);
        args.push("--skip-bad".into());
        let dir = tmp.path().join(folder.1);
        let out = xtask(&args, &dir);
        assert_eq!(out.code, Some(0), "{}: {}", folder.1, out.stderr);
        for w in &want {
            assert!(
                out.stderr.contains(w.as_str()),
                "{}: missing `{w}`\n{}",
                folder.1,
                out.stderr
            );
        }
        let data = dir.join("data");
        for (split, n) in [("train", 2), ("test", 1)] {
            let line = format!(
                "--skip-bad: skipping {n} bad file(s) of {}",
                p(&data.join(split))
            );
            assert!(
                out.stderr.contains(&line),
                "missing `{line}`\n{}",
                out.stderr
            );
        }
        assert!(
            dir.join("run/summary.json").is_file(),
            "{}: no summary",
            folder.1
        );
    }
}
