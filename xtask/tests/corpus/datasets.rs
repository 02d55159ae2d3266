//! Bad datasets: IDX (`idx:DIR`, `mnist:DIR`), CIFAR-10 binary batches, classification folders and
//! segmentation folders.

use std::path::Path;

use data::idx::encode_idx;
use image::{GrayImage, Luma, Rgb, RgbImage};

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

fn idx_case(
    root: &Path,
    name: &'static str,
    edit: impl FnOnce(&Path),
    file: &str,
    want: &str,
) -> Case {
    let dir = case_dir(root, name);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("data");
    idx_set(&data, 8);
    edit(&data);
    Case {
        name,
        args: train_args(&dir, &format!("idx:{}", p(&data)), &[]),
        want: vec![at(&data, file, want)],
    }
}

fn cifar_case(
    root: &Path,
    name: &'static str,
    edit: impl FnOnce(&Path),
    file: &str,
    want: &str,
) -> Case {
    let dir = case_dir(root, name);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("data");
    let record: Vec<u8> = std::iter::once(3u8)
        .chain((0..3072).map(|i| i as u8))
        .collect();
    for f in ["data_batch_1.bin", "test_batch.bin"] {
        std::fs::write(data.join(f), record.repeat(4)).expect("batch");
    }
    edit(&data);
    Case {
        name,
        args: train_args(
            &dir,
            &format!("cifar10:{}", p(&data)),
            &["--input-size", "32"],
        ),
        want: vec![at(&data, file, want)],
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

fn folder_case(
    root: &Path,
    name: &'static str,
    edit: impl FnOnce(&Path),
    file: &str,
    want: &str,
) -> Case {
    let dir = case_dir(root, name);
    let data = dir.join("data");
    image_folder(&data);
    edit(&data);
    Case {
        name,
        args: train_args(&dir, &format!("folder:{}", p(&data)), &[]),
        want: vec![at(&data, file, want)],
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
            RgbImage::from_pixel(32, 32, Rgb([i * 20, 20, 30]))
                .save(data.join(split).join("images").join(format!("{i}.png")))
                .expect("img");
            GrayImage::from_fn(32, 32, |x, _| Luma([(x % 3) as u8]))
                .save(data.join(split).join("masks").join(format!("{i}.png")))
                .expect("mask");
        }
    }
}

fn seg_case(
    root: &Path,
    name: &'static str,
    edit: impl FnOnce(&Path),
    file: &str,
    want: &str,
) -> Case {
    let dir = case_dir(root, name);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("data");
    seg_folder(&data);
    edit(&data);
    let mut args = train_args(
        &dir,
        &format!("seg-folder:{}", p(&data)),
        &["--input-size", "32"],
    );
    args.extend(["--task", "segment", "--model", "unet"].map(String::from));
    Case {
        name,
        args,
        want: vec![at(&data, file, want)],
    }
}

/// `<data>/<file>: <want>` (just `<data>: ` for `file == ""`).
fn at(data: &Path, file: &str, want: &str) -> String {
    let path = if file.is_empty() {
        data.to_path_buf()
    } else {
        data.join(file)
    };
    format!("{}: {want}", p(&path))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("write");
}

pub fn cases(root: &Path) -> Vec<Case> {
    let ti = "train-images-idx3-ubyte";
    let tl = "train-labels-idx1-ubyte";
    vec![
        idx_case(
            root,
            "idx-2e31-images",
            |d| write(&d.join(ti), &header(&[1 << 31, 28, 28], 64)),
            ti,
            "the header claims 2147483648 items, more than the 16777216 accepted",
        ),
        idx_case(
            root,
            "idx-huge-side",
            |d| write(&d.join(ti), &header(&[1, 100_000, 100_000], 64)),
            ti,
            "the header claims 100000×100000 images; each side must be 1..=4096",
        ),
        idx_case(
            root,
            "idx-zero-images",
            |d| write(&d.join(ti), &header(&[0, 28, 28], 0)),
            ti,
            "the header claims 0 items",
        ),
        idx_case(
            root,
            "idx-zero-side",
            |d| write(&d.join(ti), &header(&[8, 0, 28], 0)),
            ti,
            "the header claims 0×28 images",
        ),
        idx_case(
            root,
            "idx-count-mismatch",
            |d| write(&d.join(tl), &encode_idx(&[7], &[0; 7])),
            ti,
            "count mismatch: 8 images but",
        ),
        idx_case(
            root,
            "idx-truncated",
            |d| write(&d.join(ti), &header(&[8, 28, 28], 100)),
            ti,
            "truncated: the header claims [8, 28, 28] = 6272 data bytes, the file has 100",
        ),
        idx_case(
            root,
            "idx-trailing",
            |d| write(&d.join(ti), &header(&[1, 28, 28], 800)),
            ti,
            "16 trailing bytes after the 784 data bytes of [1, 28, 28]",
        ),
        idx_case(
            root,
            "idx-labels-as-images",
            |d| write(&d.join(ti), &encode_idx(&[8], &[0; 8])),
            ti,
            "wrong magic number 0x00000801 (an IDX image file starts with 0x00000803)",
        ),
        idx_case(
            root,
            "idx-missing-test-labels",
            |d| std::fs::remove_file(d.join("t10k-labels-idx1-ubyte")).expect("rm"),
            "",
            "no test labels file",
        ),
        idx_case(
            root,
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
        idx_case(
            root,
            "idx-label-beyond-classes-txt",
            |d| write(&d.join("classes.txt"), b"only\n"),
            "classes.txt",
            "1 class(es); a classifier needs at least two",
        ),
        {
            let mut c = idx_case(root, "mnist-dir-not-mnist", |_| {}, ti, "MD5 ");
            c.args[2] = c.args[2].replacen("idx:", "mnist:", 1);
            c.want.push("differs from MNIST's".into());
            c
        },
        cifar_case(
            root,
            "cifar-no-test-batch",
            |d| std::fs::remove_file(d.join("test_batch.bin")).expect("rm"),
            "",
            "no test_batch.bin",
        ),
        cifar_case(
            root,
            "cifar-truncated",
            |d| {
                let b = std::fs::read(d.join("test_batch.bin")).expect("read");
                write(&d.join("test_batch.bin"), &b[..5000]);
            },
            "test_batch.bin",
            "truncated or corrupt",
        ),
        cifar_case(
            root,
            "cifar-label-10",
            |d| {
                let mut b = std::fs::read(d.join("data_batch_1.bin")).expect("read");
                b[3073] = 10;
                write(&d.join("data_batch_1.bin"), &b);
            },
            "data_batch_1.bin",
            "record 1: class id 10 out of range",
        ),
        cifar_case(
            root,
            "cifar-no-training-batch",
            |d| std::fs::remove_file(d.join("data_batch_1.bin")).expect("rm"),
            "",
            "no data_batch_N.bin",
        ),
        folder_case(
            root,
            "folder-no-train",
            |d| std::fs::remove_dir_all(d.join("train")).expect("rm"),
            "train",
            "No such file",
        ),
        folder_case(
            root,
            "folder-empty-class",
            |d| std::fs::create_dir_all(d.join("train/c")).expect("mkdir"),
            "train/c",
            "empty folder",
        ),
        folder_case(
            root,
            "folder-truncated-png",
            |d| {
                let b = std::fs::read(d.join("train/a/0.png")).expect("read");
                write(&d.join("train/a/0.png"), &b[..b.len() / 2]);
            },
            "train/a/0.png",
            "corrupt or truncated Png image: unexpected end of file",
        ),
        folder_case(
            root,
            "folder-text-as-png",
            |d| write(&d.join("train/b/1.png"), b"not an image"),
            "train/b/1.png",
            "not a recognised image: The image format could not be determined",
        ),
        folder_case(
            root,
            "folder-empty-jpeg",
            |d| write(&d.join("test/a/x.jpeg"), b""),
            "test/a/x.jpeg",
            "empty image file",
        ),
        seg_case(
            root,
            "seg-mask-size",
            |d| {
                GrayImage::new(16, 32)
                    .save(d.join("train/masks/1.png"))
                    .expect("mask")
            },
            "train/masks/1.png",
            "mask size 16×32 differs from image",
        ),
        seg_case(
            root,
            "seg-id-out-of-range",
            |d| {
                GrayImage::from_pixel(32, 32, Luma([9]))
                    .save(d.join("train/masks/2.png"))
                    .expect("mask")
            },
            "train/masks/2.png",
            "class id 9 at pixel 0 out of range (0..3",
        ),
        seg_case(
            root,
            "seg-rgb-mask",
            |d| {
                RgbImage::new(32, 32)
                    .save(d.join("test/masks/0.png"))
                    .expect("mask")
            },
            "test/masks/0.png",
            "mask must be an 8-bit palette or grey PNG of class ids, found Rgb Eight",
        ),
        seg_case(
            root,
            "seg-missing-mask",
            |d| std::fs::remove_file(d.join("train/masks/3.png")).expect("rm"),
            "train/images/3.png",
            "no mask",
        ),
        seg_case(
            root,
            "seg-no-classes",
            |d| std::fs::remove_file(d.join("classes.txt")).expect("rm"),
            "classes.txt",
            "No such file",
        ),
        seg_case(
            root,
            "seg-empty-classes",
            |d| write(&d.join("classes.txt"), b"\n\n"),
            "classes.txt",
            "no class names",
        ),
    ]
}
