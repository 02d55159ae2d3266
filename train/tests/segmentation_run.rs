//! A segmentation run end to end through `run_segmentation` (Burn's learner, our metrics): a tiny
//! U-Net learns a segmentation folder of synthetic scenes to mIoU ≈ 1 on held-out scenes; every
//! output is written, `metrics.csv` carries the mIoU, the run resumes to more epochs, and a picture
//! that cannot be drawn does not lose the run.

use std::path::{Path, PathBuf};

#[path = "common/seg_scenes.rs"]
mod seg_scenes;

use seg_scenes::write_folder;

use train::experiment::AugmentChoice;
use train::metrics_csv::{MetricsTable, SEGMENTATION_HEADER};
use train::optimizer::OptimizerConfig;
use train::schedule::ScheduleConfig;
use train::{ExperimentConfig, RunOptions, Task, run_segmentation};

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cnn-seg-run-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn config(data: &Path, epochs: usize) -> ExperimentConfig {
    ExperimentConfig {
        task: Task::Segment,
        model: "unet_small".into(),
        // `folder:DIR`, as a user types it: a segmentation run reads it as a segmentation folder.
        dataset: data::DatasetSpec::Folder(data.to_path_buf()),
        width: Some(8),
        epochs,
        batch_size: 2,
        valid_fraction: 0.25,
        optimizer: OptimizerConfig::adam(),
        schedule: ScheduleConfig::constant(0.01),
        augment: AugmentChoice::Preset(train::experiment::AugmentPreset::None),
        ..ExperimentConfig::default()
    }
}

#[test]
fn tiny_unet_learns_the_scenes_and_the_run_resumes() {
    let root = fresh_dir("fit");
    let data = root.join("data");
    write_folder(&data);
    let run = root.join("run");
    let opts = |resume, epochs| RunOptions {
        out: Some(run.clone()),
        resume,
        overrides: train::Overrides {
            epochs,
            ..Default::default()
        },
    };
    let summary = run_segmentation(config(&data, 60), &opts(false, None)).expect("run");
    let scores = summary.segmentation().expect("segmentation scores");
    assert!(
        scores.test_miou > 0.95,
        "test mIoU {} after 60 epochs",
        scores.test_miou
    );
    assert!(scores.test_pixel_accuracy > 0.98);
    assert_eq!(summary.test_images, 4);
    assert_eq!(scores.base_width, 8);
    assert_eq!(scores.test_iou.len(), 3);
    for file in [
        "config.json",
        "model.json",
        "preprocessing.json",
        "metrics.csv",
        "curves.png",
        "confusion.png",
        "summary.json",
        "best.bpk",
        "last.bpk",
    ] {
        assert!(run.join(file).is_file(), "missing {file}");
    }
    let csv = std::fs::read_to_string(run.join("metrics.csv")).expect("csv");
    assert_eq!(csv.lines().next(), Some(SEGMENTATION_HEADER));
    let table = MetricsTable::load(&run.join("metrics.csv")).expect("table");
    assert_eq!(table.split("valid").count(), 60);
    let last = table.split("valid").last().expect("row");
    assert!(
        last.miou > 0.9 && last.miou <= 1.0,
        "valid mIoU {}",
        last.miou
    );
    let first = table.split("train").next().expect("row");
    assert!(first.miou < last.miou, "mIoU did not improve");

    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);

    // A picture that cannot be drawn (here: a folder in the way) is a warning, not a lost run.
    for picture in ["curves.png", "confusion.png"] {
        std::fs::remove_file(run.join(picture)).expect("remove picture");
        std::fs::create_dir(run.join(picture)).expect("folder in the way");
    }
    let resumed = run_segmentation(config(&data, 60), &opts(true, Some(62))).expect("resume");
    assert_eq!(resumed.epochs, 62);
    let table = MetricsTable::load(&run.join("metrics.csv")).expect("table");
    assert_eq!(table.split("train").count(), 62);
    assert_eq!(resumed.warnings.len(), 2, "{:?}", resumed.warnings);
    assert!(resumed.warnings[0].contains("curves.png"));
    assert!(resumed.warnings[1].contains("confusion.png"));
    let saved = std::fs::read_to_string(run.join("summary.json")).expect("summary");
    assert!(saved.contains("\"warnings\""), "{saved}");
}

#[test]
fn segmentation_config_errors_name_the_problem() {
    let mut bad = config(Path::new("/nonexistent"), 1);
    bad.model = "resnet18".into();
    let e = bad
        .validate()
        .expect_err("classifier as segmenter")
        .to_string();
    assert!(e.contains("resnet18"), "{e}");
    let mut bad = config(Path::new("/nonexistent"), 1);
    bad.dataset = data::DatasetSpec::Mnist(None);
    let e = bad.validate().expect_err("no masks").to_string();
    assert!(e.contains("no masks"), "{e}");
    let mut bad = config(Path::new("/nonexistent"), 1);
    bad.task = Task::Classify;
    bad.dataset = data::DatasetSpec::DigitsSeg { seed: 0 };
    bad.model = "lenet5".into();
    let e = bad
        .validate()
        .expect_err("seg data for a classifier")
        .to_string();
    assert!(e.contains("--task segment"), "{e}");
    let dir = fresh_dir("missing");
    let e = run_segmentation(
        config(&dir.join("nothing"), 1),
        &RunOptions {
            out: Some(dir.join("run")),
            resume: false,
            ..Default::default()
        },
    )
    .expect_err("missing folder")
    .to_string();
    assert!(e.contains("nothing"), "{e}");
}
