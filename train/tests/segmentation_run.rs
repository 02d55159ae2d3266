//! A segmentation run end to end through `run_experiment` (Burn's learner, our metrics): a tiny
//! U-Net learns a segmentation folder of synthetic scenes to mIoU ≈ 1 on held-out scenes; every
//! output is written, `metrics.csv` carries the mIoU, the run resumes to more epochs, and a picture
//! that cannot be drawn does not lose the run.

use std::path::Path;

#[path = "common/runs.rs"]
mod runs;
#[path = "common/seg_scenes.rs"]
mod seg_scenes;

use seg_scenes::write_folder;

use train::metrics_csv::{MetricsTable, SEGMENTATION_HEADER};
use train::{ExperimentConfig, Task, run_experiment};

fn config(data: &Path, epochs: usize) -> ExperimentConfig {
    seg_scenes::tiny_unet(data, epochs)
}

#[test]
fn tiny_unet_learns_the_scenes_and_the_run_resumes() {
    let root = runs::fresh_dir("fit");
    let data = root.join("data");
    write_folder(&data);
    let run = root.join("run");
    let summary = run_experiment(config(&data, 60), &runs::new_run(&run)).expect("run");
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
    runs::assert_run_files(&run);
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
    let more = train::Overrides {
        epochs: Some(62),
        ..Default::default()
    };
    let resumed = run_experiment(config(&data, 60), &runs::resume(&run, more)).expect("resume");
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
    let refusal = |edit: &dyn Fn(&mut ExperimentConfig)| {
        let mut bad = config(Path::new("/nonexistent"), 1);
        edit(&mut bad);
        bad.validate().expect_err("a bad config").to_string()
    };
    let e = refusal(&|c| c.model = "resnet18".into());
    assert!(e.contains("resnet18"), "classifier as segmenter: {e}");
    let e = refusal(&|c| c.dataset = data::DatasetSpec::Mnist(None));
    assert!(e.contains("no masks"), "{e}");
    let e = refusal(&|c| {
        c.task = Task::Classify;
        c.dataset = data::DatasetSpec::DigitsSeg { seed: 0 };
        c.model = "lenet5".into();
    });
    assert!(
        e.contains("--task segment"),
        "seg data for a classifier: {e}"
    );
    let dir = runs::fresh_dir("missing");
    let e = run_experiment(
        config(&dir.join("nothing"), 1),
        &runs::new_run(&dir.join("run")),
    )
    .expect_err("missing folder")
    .to_string();
    assert!(e.contains("nothing"), "{e}");
}
