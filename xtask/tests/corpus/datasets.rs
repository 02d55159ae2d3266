//! Bad datasets: IDX (`idx:DIR`, `mnist:DIR`), CIFAR-10 binary batches, classification folders and
//! segmentation folders.

use std::path::{Path, PathBuf};

use data::idx::encode_idx;
use image::{DynamicImage, GrayImage, Luma, Rgb, RgbImage};

use crate::{Case, case_dir, p, train_args};

/// A valid IDX set of `n` 28×28 images in two classes.
fn idx_set(dir: &Path, n: usize) {
    let pixels: Vec<u8> = (0..n * 784).map(|i| (i % 251) as u8).collect();
    let labels: Vec<u8> = (0..n).map(|i| (i % 2) as u8).collect();
    for split in ["train", "t10k"] {
        let images = dir.join(format!("{split}-images-idx3-ubyte"));
        std::fs::write(images, encode_idx(&[n, 28, 28], &pixels)).expect("images");
        let labs = dir.join(format!("{split}-labels-idx1-ubyte"));
        std::fs::write(labs, encode_idx(&[n], &labels)).expect("labels");
    }
}

fn header(dims: &[u32], data: usize) -> Vec<u8> {
    let mut b = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        b.extend_from_slice(&d.to_be_bytes());
    }
    b.extend(std::iter::repeat_n(1u8, data));
    b
}

/// One kind of dataset: its prefix in `--dataset PREFIX:DIR`, how a good copy is written and the
/// flags `train` needs for it.
pub struct Kind {
    prefix: &'static str,
    fill: fn(&Path),
    extra: &'static [&'static str],
}

impl Kind {
    /// The arguments of a one-epoch run on the dataset in `data`, into `dir/run`.
    pub fn train_args(&self, dir: &Path, data: &Path) -> Vec<String> {
        train_args(dir, &format!("{}:{}", self.prefix, p(data)), self.extra)
    }
}

pub const IDX: Kind = Kind {
    prefix: "idx",
    fill: |d| idx_set(d, 8),
    extra: &[],
};
pub const CIFAR: Kind = Kind {
    prefix: "cifar10",
    fill: cifar_set,
    extra: &["--input-size", "32"],
};
pub const FOLDER: Kind = Kind {
    prefix: "folder",
    fill: image_folder,
    extra: &[],
};
pub const SEG: Kind = Kind {
    prefix: "seg-folder",
    fill: seg_folder,
    extra: &["--input-size", "32", "--task", "segment", "--model", "unet"],
};

/// The case `name`: a good `kind` dataset in `root/name/data`, changed by `edit`, must be refused
/// with `<data>/<file>: <want>`.
pub fn case(
    root: &Path,
    kind: &Kind,
    name: &'static str,
    edit: impl FnOnce(&Path),
    file: &str,
    want: &str,
) -> Case {
    let (dir, data) = dataset(root, kind, name, edit);
    Case {
        name,
        args: kind.train_args(&dir, &data),
        want: vec![at(&data, file, want)],
    }
}

/// `root/name` holding a good `kind` dataset in `data/`, changed by `edit`: (the case folder, the
/// data folder).
pub fn dataset(
    root: &Path,
    kind: &Kind,
    name: &str,
    edit: impl FnOnce(&Path),
) -> (PathBuf, PathBuf) {
    let dir = case_dir(root, name);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("data");
    (kind.fill)(&data);
    edit(&data);
    (dir, data)
}

/// Four CIFAR-10 records of class 3 in `data_batch_1.bin` and `test_batch.bin`.
fn cifar_set(data: &Path) {
    let record: Vec<u8> = std::iter::once(3u8)
        .chain((0..3072).map(|i| i as u8))
        .collect();
    for f in ["data_batch_1.bin", "test_batch.bin"] {
        std::fs::write(data.join(f), record.repeat(4)).expect("batch");
    }
}

/// A two-class folder `data/{train,test}/{a,b}/*.png` of 28×28 grey images.
fn image_folder(data: &Path) {
    for split in ["train", "test"] {
        for class in ["a", "b"] {
            let d = data.join(split).join(class);
            std::fs::create_dir_all(&d).expect("mkdir");
            for i in 0..4u8 {
                GrayImage::from_pixel(28, 28, Luma([i * 40 + 10]))
                    .save(d.join(format!("{i}.png")))
                    .expect("png");
            }
        }
    }
}

/// A segmentation folder: `classes.txt` (3 classes) and `{train,test}/{images,masks}`, 32×32.
fn seg_folder(data: &Path) {
    std::fs::write(data.join("classes.txt"), "bg\nfg\nedge\n").ok();
    for split in ["train", "test"] {
        for sub in ["images", "masks"] {
            std::fs::create_dir_all(data.join(split).join(sub)).expect("mkdir");
        }
        for i in 0..12u8 {
            RgbImage::from_fn(32, 32, |x, y| Rgb([i * 20, x as u8 * 8, y as u8 * 8]))
                .save(data.join(split).join("images").join(format!("{i}.png")))
                .expect("img");
            GrayImage::from_fn(32, 32, |x, _| Luma([(x % 3) as u8]))
                .save(data.join(split).join("masks").join(format!("{i}.png")))
                .expect("mask");
        }
    }
}

/// Saves `image` (format from the extension) as `path`.
pub fn save(image: impl Into<DynamicImage>, path: &Path) {
    image.into().save(path).expect("save");
}

/// The first half of the file `path`.
pub fn truncate(path: &Path) {
    let b = std::fs::read(path).expect("read");
    write(path, &b[..b.len() / 2]);
}

/// `<data>/<file>: <want>` (just `<data>: ` for `file == ""`).
pub fn at(data: &Path, file: &str, want: &str) -> String {
    let path = if file.is_empty() {
        data.to_path_buf()
    } else {
        data.join(file)
    };
    format!("{}: {want}", p(&path))
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("write");
}

pub fn cases(root: &Path) -> Vec<Case> {
    let ti = "train-images-idx3-ubyte";
    let tl = "train-labels-idx1-ubyte";
    vec![
        case(
            root,
            &IDX,
            "idx-2e31-images",
            |d| write(&d.join(ti), &header(&[1 << 31, 28, 28], 64)),
            ti,
            "the header claims 2147483648 items, more than the 16777216 accepted",
        ),
        case(
            root,
            &IDX,
            "idx-huge-side",
            |d| write(&d.join(ti), &header(&[1, 100_000, 100_000], 64)),
            ti,
            "the header claims 100000×100000 images; each side must be 1..=4096",
        ),
        case(
            root,
            &IDX,
            "idx-zero-images",
            |d| write(&d.join(ti), &header(&[0, 28, 28], 0)),
            ti,
            "the header claims 0 items",
        ),
        case(
            root,
            &IDX,
            "idx-zero-side",
            |d| write(&d.join(ti), &header(&[8, 0, 28], 0)),
            ti,
            "the header claims 0×28 images",
        ),
        case(
            root,
            &IDX,
            "idx-count-mismatch",
            |d| write(&d.join(tl), &encode_idx(&[7], &[0; 7])),
            ti,
            "count mismatch: 8 images but",
        ),
        case(
            root,
            &IDX,
            "idx-truncated",
            |d| write(&d.join(ti), &header(&[8, 28, 28], 100)),
            ti,
            "truncated: the header claims [8, 28, 28] = 6272 data bytes, the file has 100",
        ),
        case(
            root,
            &IDX,
            "idx-trailing",
            |d| write(&d.join(ti), &header(&[1, 28, 28], 800)),
            ti,
            "16 trailing bytes after the 784 data bytes of [1, 28, 28]",
        ),
        case(
            root,
            &IDX,
            "idx-labels-as-images",
            |d| write(&d.join(ti), &encode_idx(&[8], &[0; 8])),
            ti,
            "wrong magic number 0x00000801 (an IDX image file starts with 0x00000803)",
        ),
        case(
            root,
            &IDX,
            "idx-missing-test-labels",
            |d| std::fs::remove_file(d.join("t10k-labels-idx1-ubyte")).expect("rm"),
            "",
            "no test labels file",
        ),
        case(
            root,
            &IDX,
            "idx-one-class",
            |d| {
                write(&d.join(tl), &encode_idx(&[8], &[0; 8]));
                write(
                    &d.join("t10k-labels-idx1-ubyte"),
                    &encode_idx(&[8], &[0; 8]),
                );
            },
            tl,
            "1 class(es); a classifier needs at least two",
        ),
        case(
            root,
            &IDX,
            "idx-label-beyond-classes-txt",
            |d| write(&d.join("classes.txt"), b"only\n"),
            "classes.txt",
            "1 class(es); a classifier needs at least two",
        ),
        {
            let mut c = case(root, &IDX, "mnist-dir-not-mnist", |_| {}, ti, "MD5 ");
            c.args[2] = c.args[2].replacen("idx:", "mnist:", 1);
            c.want.push("differs from MNIST's".into());
            c
        },
        case(
            root,
            &CIFAR,
            "cifar-no-test-batch",
            |d| std::fs::remove_file(d.join("test_batch.bin")).expect("rm"),
            "",
            "no test_batch.bin",
        ),
        case(
            root,
            &CIFAR,
            "cifar-truncated",
            |d| {
                let b = std::fs::read(d.join("test_batch.bin")).expect("read");
                write(&d.join("test_batch.bin"), &b[..5000]);
            },
            "test_batch.bin",
            "truncated or corrupt",
        ),
        case(
            root,
            &CIFAR,
            "cifar-label-10",
            |d| {
                let mut b = std::fs::read(d.join("data_batch_1.bin")).expect("read");
                b[3073] = 10;
                write(&d.join("data_batch_1.bin"), &b);
            },
            "data_batch_1.bin",
            "record 1: class id 10 out of range",
        ),
        case(
            root,
            &CIFAR,
            "cifar-no-training-batch",
            |d| std::fs::remove_file(d.join("data_batch_1.bin")).expect("rm"),
            "",
            "no data_batch_N.bin",
        ),
        case(
            root,
            &FOLDER,
            "folder-no-train",
            |d| std::fs::remove_dir_all(d.join("train")).expect("rm"),
            "train",
            "No such file",
        ),
        case(
            root,
            &FOLDER,
            "folder-empty-class",
            |d| std::fs::create_dir_all(d.join("train/c")).expect("mkdir"),
            "train/c",
            "empty folder",
        ),
        case(
            root,
            &FOLDER,
            "folder-truncated-png",
            |d| truncate(&d.join("train/a/0.png")),
            "train/a/0.png",
            "corrupt or truncated Png image: unexpected end of file",
        ),
        case(
            root,
            &FOLDER,
            "folder-text-as-png",
            |d| write(&d.join("train/b/1.png"), b"not an image"),
            "train/b/1.png",
            "not a recognised image: The image format could not be determined",
        ),
        case(
            root,
            &FOLDER,
            "folder-empty-jpeg",
            |d| write(&d.join("test/a/x.jpeg"), b""),
            "test/a/x.jpeg",
            "empty image file",
        ),
        case(
            root,
            &SEG,
            "seg-mask-size",
            |d| save(GrayImage::new(16, 32), &d.join("train/masks/1.png")),
            "train/masks/1.png",
            "mask size 16×32 differs from image",
        ),
        case(
            root,
            &SEG,
            "seg-id-out-of-range",
            |d| {
                save(
                    GrayImage::from_pixel(32, 32, Luma([9])),
                    &d.join("train/masks/2.png"),
                )
            },
            "train/masks/2.png",
            "class id 9 at pixel 0 out of range (0..3",
        ),
        case(
            root,
            &SEG,
            "seg-rgb-mask",
            |d| save(RgbImage::new(32, 32), &d.join("test/masks/0.png")),
            "test/masks/0.png",
            "mask must be an 8-bit palette or grey PNG of class ids, found Rgb Eight",
        ),
        case(
            root,
            &SEG,
            "seg-missing-mask",
            |d| std::fs::remove_file(d.join("train/masks/3.png")).expect("rm"),
            "train/images/3.png",
            "no mask",
        ),
        case(
            root,
            &SEG,
            "seg-no-classes",
            |d| std::fs::remove_file(d.join("classes.txt")).expect("rm"),
            "classes.txt",
            "No such file",
        ),
        case(
            root,
            &SEG,
            "seg-empty-classes",
            |d| write(&d.join("classes.txt"), b"\n\n"),
            "classes.txt",
            "no class names",
        ),
    ]
}
