#![allow(dead_code)] // each test binary that includes this file uses part of it
//! Synthetic segmentation scenes shared by the train and infer tests: a segmentation folder whose
//! classes a tiny network can learn in seconds.

use std::path::Path;

use image::{GrayImage, Luma};

pub const SIDE: u32 = 16;

/// Scene `i`: a bright 5×5 square (class 1) and a mid-grey 3-wide bar (class 2) on black (class 0).
pub fn scene(i: u32) -> (GrayImage, GrayImage) {
    let mut img = GrayImage::new(SIDE, SIDE);
    let mut mask = GrayImage::new(SIDE, SIDE);
    let (sx, sy) = ((i * 5) % 10, (i * 3) % 10);
    let bar = (i * 7 + 2) % 13;
    for y in 0..SIDE {
        for x in 0..SIDE {
            let (value, class) = if (sx..sx + 5).contains(&x) && (sy..sy + 5).contains(&y) {
                (230, 1)
            } else if (bar..bar + 3).contains(&x) {
                (120, 2)
            } else {
                (0, 0)
            };
            img.put_pixel(x, y, Luma([value]));
            mask.put_pixel(x, y, Luma([class]));
        }
    }
    (img, mask)
}

/// `root/classes.txt` and `root/{train,test}/{images,masks}` with 8 and 4 scenes.
pub fn write_folder(root: &Path) {
    std::fs::create_dir_all(root).expect("root");
    std::fs::write(root.join("classes.txt"), "background\nsquare\nbar\n").expect("classes");
    for (split, range) in [("train", 0..8), ("test", 8..12)] {
        for sub in ["images", "masks"] {
            std::fs::create_dir_all(root.join(split).join(sub)).expect("dirs");
        }
        for i in range {
            let (img, mask) = scene(i);
            img.save(root.join(split).join("images").join(format!("s{i}.png")))
                .expect("image");
            mask.save(root.join(split).join("masks").join(format!("s{i}.png")))
                .expect("mask");
        }
    }
}

/// The tiny U-Net recipe that learns these scenes in seconds: width 8, Adam at a constant 0.01,
/// batch 2, a quarter of the training scenes held out. `folder:DIR`, as a user types it: a
/// segmentation run reads it as a segmentation folder.
pub fn tiny_unet(data: &Path, epochs: usize) -> train::ExperimentConfig {
    train::ExperimentConfig {
        task: train::Task::Segment,
        model: "unet_small".into(),
        dataset: data::DatasetSpec::Folder(data.to_path_buf()),
        width: Some(8),
        epochs,
        batch_size: 2,
        valid_fraction: 0.25,
        optimizer: train::optimizer::OptimizerConfig::adam(),
        schedule: train::schedule::ScheduleConfig::constant(0.01),
        augment: train::experiment::AugmentChoice::Preset(train::experiment::AugmentPreset::None),
        ..train::ExperimentConfig::default()
    }
}
