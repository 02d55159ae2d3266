//! CIFAR-10 binary batches built from real CIFAR-10 images (fixtures), image folders, segmentation
//! folders, and the dataset specs; with every bad-input case named.

use std::path::{Path, PathBuf};

use burn::data::dataset::Dataset;
use data::cifar::{encode_cifar_batch, load_cifar10};
use data::decode::decode_image_file;
use data::folder::ImageFolder;
use data::seg_folder::SegFolder;
use data::{DatasetSpec, Pixels, load_classification, load_segmentation};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

/// The 20 CIFAR-10 fixture PNGs as (CHW bytes, label), in file-name order.
fn cifar_pngs() -> Vec<(Vec<u8>, u8)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("cifar10"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
            let label: u8 = stem
                .rsplit('_')
                .next()
                .expect("label")
                .parse()
                .expect("label");
            let rgb = image::open(p).expect("png").to_rgb8();
            let mut chw = vec![0u8; 3072];
            for (i, px) in rgb.pixels().enumerate() {
                for c in 0..3 {
                    chw[c * 1024 + i] = px.0[c];
                }
            }
            (chw, label)
        })
        .collect()
}

fn write_cifar(dir: &Path, images: &[(Vec<u8>, u8)]) {
    let (train, test) = images.split_at(12);
    for (name, part) in [
        ("data_batch_1.bin", &train[..6]),
        ("data_batch_2.bin", &train[6..]),
        ("test_batch.bin", test),
    ] {
        let pixels: Vec<u8> = part.iter().flat_map(|(p, _)| p.clone()).collect();
        let labels: Vec<u8> = part.iter().map(|(_, l)| *l).collect();
        std::fs::write(dir.join(name), encode_cifar_batch(&pixels, &labels)).expect("write");
    }
}

#[test]
fn cifar10_binary_round_trip_on_real_images() {
    let pngs = cifar_pngs();
    assert_eq!(pngs.len(), 20);
    let dir = tempfile::tempdir().expect("tempdir");
    write_cifar(dir.path(), &pngs);
    // The record layout: 1 label byte, then the red plane (first pixel at offset 1), green at 1 + 1024.
    let raw = std::fs::read(dir.path().join("test_batch.bin")).expect("read");
    assert_eq!(raw.len(), 8 * 3073);
    assert_eq!(
        (raw[0], raw[1], raw[1025]),
        (pngs[12].1, pngs[12].0[0], pngs[12].0[1024])
    );

    let (train, test, classes) = load_cifar10(dir.path()).expect("load");
    assert_eq!((train.len(), test.len()), (12, 8));
    assert_eq!(classes[3], "cat");
    let item = test.get(0).expect("item");
    assert_eq!(item.shape, [3, 32, 32]);
    assert_eq!(item.label, usize::from(pngs[12].1));
    assert_eq!(item.pixels, Pixels::U8(pngs[12].0.clone()));
    let spec: DatasetSpec = format!("cifar10:{}", dir.path().display())
        .parse()
        .expect("spec");
    let data = load_classification(&spec, Path::new("/nonexistent")).expect("load");
    assert_eq!((data.train.len(), data.shape), (12, Some([3, 32, 32])));
}

#[test]
fn cifar10_bad_inputs_are_named() {
    let pngs = cifar_pngs();
    let dir = tempfile::tempdir().expect("tempdir");
    write_cifar(dir.path(), &pngs);
    let test = dir.path().join("test_batch.bin");
    let mut bytes = std::fs::read(&test).expect("read");
    bytes[3073] = 10;
    std::fs::write(&test, &bytes).expect("write");
    let m = load_cifar10(dir.path()).expect_err("bad label").to_string();
    assert!(
        m.contains("test_batch.bin: record 1: class id 10 out of range"),
        "{m}"
    );
    std::fs::write(&test, &bytes[..5000]).expect("write");
    let m = load_cifar10(dir.path()).expect_err("truncated").to_string();
    assert!(m.contains("test_batch.bin: truncated or corrupt"), "{m}");
    std::fs::remove_file(&test).expect("rm");
    assert!(
        load_cifar10(dir.path())
            .expect_err("missing")
            .to_string()
            .contains("no test_batch.bin")
    );
    let empty = tempfile::tempdir().expect("tempdir");
    assert!(
        load_cifar10(empty.path())
            .expect_err("empty")
            .to_string()
            .contains("no data_batch_N.bin")
    );
}

/// A classification folder `train/{cat,ship}` of fixture images plus a grey one and the JPEG.
fn make_folder(root: &Path) {
    let pngs = cifar_pngs();
    for (k, (chw, label)) in pngs.iter().take(6).enumerate() {
        let class = if *label == 3 { "cat" } else { "ship" };
        let dir = root.join("train").join(class);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let mut rgb = image::RgbImage::new(32, 32);
        for (i, px) in rgb.pixels_mut().enumerate() {
            *px = image::Rgb([chw[i], chw[1024 + i], chw[2048 + i]]);
        }
        rgb.save(dir.join(format!("{k}.png"))).expect("save");
    }
    for class in ["cat", "ship"] {
        std::fs::create_dir_all(root.join("train").join(class)).expect("mkdir");
        std::fs::create_dir_all(root.join("test").join(class)).expect("mkdir");
        std::fs::copy(
            fixtures().join("imagenet/imagenet_00_243.jpg"),
            root.join("test").join(class).join("a.jpg"),
        )
        .expect("copy");
    }
    image::GrayImage::from_pixel(10, 8, image::Luma([200]))
        .save(root.join("train/cat/grey.png"))
        .expect("grey png");
    image::RgbImage::from_pixel(5, 6, image::Rgb([1, 2, 3]))
        .save(root.join("train/ship/rgb.bmp"))
        .expect("bmp");
}

#[test]
fn image_folders_decode_png_jpeg_bmp_grey_and_rgb() {
    let dir = tempfile::tempdir().expect("tempdir");
    make_folder(dir.path());
    let train = ImageFolder::new(&dir.path().join("train")).expect("folder");
    assert_eq!(train.classes(), ["cat", "ship"]);
    train.check_all().expect("all decode");
    let grey = (0..train.len())
        .map(|i| train.get(i).expect("item"))
        .find(|it| it.shape[0] == 1)
        .expect("grey item");
    assert_eq!(grey.shape, [1, 8, 10]);
    let bmp = (0..train.len())
        .map(|i| train.get(i).expect("item"))
        .find(|it| it.shape == [3, 6, 5])
        .expect("bmp item");
    assert_eq!(
        bmp.pixels,
        Pixels::U8([vec![1; 30], vec![2; 30], vec![3; 30]].concat())
    );
    let spec: DatasetSpec = format!("folder:{}", dir.path().display())
        .parse()
        .expect("spec");
    let data = load_classification(&spec, Path::new("/nonexistent")).expect("load");
    let jpeg = data.test.get(1).expect("jpeg");
    assert_eq!((jpeg.shape, jpeg.label), ([3, 512, 512], 1));
    let img = decode_image_file(&fixtures().join("imagenet/imagenet_00_243.jpg")).expect("jpeg");
    assert_eq!((img.width(), img.height()), (512, 512));
}

#[test]
fn corrupt_images_and_empty_folders_are_named_not_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    make_folder(dir.path());
    let cat = dir.path().join("train/cat");
    let png = std::fs::read(cat.join("0.png"))
        .unwrap_or_else(|_| std::fs::read(dir.path().join("train/ship/1.png")).expect("png"));
    std::fs::write(cat.join("zz-truncated.png"), &png[..png.len() / 2]).expect("write");
    let jpg = std::fs::read(fixtures().join("imagenet/imagenet_00_243.jpg")).expect("jpg");
    std::fs::write(cat.join("zz-truncated.jpg"), &jpg[..400]).expect("write");
    std::fs::write(cat.join("zz-garbage.png"), b"this is not an image at all").expect("write");
    std::fs::write(cat.join("zz-empty.jpeg"), b"").expect("write");
    let folder = ImageFolder::new(&dir.path().join("train")).expect("folder");
    let mut errors = Vec::new();
    for i in 0..folder.len() {
        if let Err(e) = folder.get(i) {
            errors.push(e.to_string());
        }
    }
    assert_eq!(errors.len(), 4, "{errors:?}");
    for (name, msg) in [
        "zz-empty.jpeg",
        "zz-garbage.png",
        "zz-truncated.jpg",
        "zz-truncated.png",
    ]
    .iter()
    .zip(&errors)
    {
        assert!(msg.contains(name), "{msg}");
    }
    assert!(
        errors[2].contains("truncated JPEG") && errors[3].contains("truncated Png"),
        "{errors:?}"
    );
    assert!(folder.check_all().is_err());

    let empty = tempfile::tempdir().expect("tempdir");
    let m = ImageFolder::new(empty.path())
        .expect_err("empty")
        .to_string();
    assert!(m.contains("empty folder"), "{m}");
    std::fs::create_dir_all(empty.path().join("dog")).expect("mkdir");
    let m = ImageFolder::new(empty.path())
        .expect_err("empty class")
        .to_string();
    assert!(m.contains("dog: empty folder"), "{m}");
}

fn write_mask(path: &Path, w: u32, h: u32, ids: &[u8]) {
    image::GrayImage::from_raw(w, h, ids.to_vec())
        .expect("mask")
        .save(path)
        .expect("save");
}

#[test]
fn segmentation_folders_check_masks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("train");
    std::fs::create_dir_all(root.join("images")).expect("mkdir");
    std::fs::create_dir_all(root.join("masks")).expect("mkdir");
    image::RgbImage::from_pixel(4, 3, image::Rgb([9, 8, 7]))
        .save(root.join("images/a.png"))
        .expect("img");
    write_mask(
        &root.join("masks/a.png"),
        4,
        3,
        &[0, 1, 2, 255, 0, 1, 2, 255, 0, 0, 0, 0],
    );
    let seg = SegFolder::new(&root, 3).expect("seg");
    let item = seg.get(0).expect("item");
    assert_eq!((item.shape, item.mask[3]), ([3, 3, 4], 255));

    write_mask(
        &root.join("masks/a.png"),
        4,
        3,
        &[0, 1, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    let m = seg.get(0).expect_err("id").to_string();
    assert!(
        m.contains("masks/a.png: class id 7 at pixel 2 out of range (0..3"),
        "{m}"
    );
    write_mask(&root.join("masks/a.png"), 3, 3, &[0; 9]);
    let m = seg.get(0).expect_err("size").to_string();
    assert!(
        m.contains("masks/a.png: mask size 3×3 differs from image"),
        "{m}"
    );
    image::RgbImage::new(4, 3)
        .save(root.join("masks/a.png"))
        .expect("rgb");
    let m = seg.get(0).expect_err("rgb").to_string();
    assert!(m.contains("8-bit palette or grey"), "{m}");
    std::fs::remove_file(root.join("masks/a.png")).expect("rm");
    assert!(
        SegFolder::new(&root, 3)
            .expect_err("missing")
            .to_string()
            .contains("no mask")
    );
    let empty = tempfile::tempdir().expect("tempdir");
    assert!(SegFolder::new(empty.path(), 3).is_err());

    let spec: DatasetSpec = format!("seg-folder:{}", dir.path().display())
        .parse()
        .expect("spec");
    assert!(spec.is_segmentation());
    let m = load_segmentation(&spec, Path::new("/nonexistent"))
        .err()
        .expect("no classes.txt")
        .to_string();
    assert!(m.contains("classes.txt"), "{m}");
}

#[test]
fn specs_parse_and_print() {
    for s in [
        "mnist",
        "fashion-mnist",
        "cifar10:/data/c",
        "folder:x",
        "digits-seg:7",
        "seg-folder:/s",
        "mnist:/m",
    ] {
        let spec: DatasetSpec = s.parse().expect(s);
        assert_eq!(spec.to_string(), s);
        let json = serde_json::to_string(&spec).expect("json");
        assert_eq!(
            serde_json::from_str::<DatasetSpec>(&json).expect("back"),
            spec
        );
    }
    assert_eq!(
        "digits-seg".parse::<DatasetSpec>().expect("spec"),
        DatasetSpec::DigitsSeg { seed: 0 }
    );
    let refusal = |spec: &str| spec.parse::<DatasetSpec>().expect_err(spec).to_string();
    assert!(refusal("cifar10").contains("needs a path"));
    assert!(refusal("imagenet").contains("unknown dataset spec"));
    assert!("digits-seg:x".parse::<DatasetSpec>().is_err());
}
