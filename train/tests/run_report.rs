//! Every training run writes `report.html` beside `summary.json`: self-contained (its curves,
//! confusion matrix and most-wrong test images embedded), listing exactly the misclassified
//! images it drew; a segmentation run shows test images with their true and predicted masks; a
//! report that cannot be written is a warning in `summary.json`, never a lost run.

#[path = "common/runs.rs"]
mod runs;
#[path = "common/seg_scenes.rs"]
mod seg_scenes;
#[path = "common/tiny_run.rs"]
mod tiny;

use train::RunDir;
use train::run_report::MISTAKES_SHOWN;

#[test]
fn a_run_writes_a_self_contained_report_of_its_mistakes() {
    let _guard = runs::one_at_a_time();
    let root = runs::fresh_dir("ok");
    let dir = RunDir::new(root.join("run"));
    let summary = tiny::tiny_run(dir.path());
    let scores = summary.classification().expect("classification");
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    let html = std::fs::read_to_string(dir.report_file()).unwrap();
    // Curves, confusion matrix and the mistakes grid, all embedded; nothing fetched.
    assert_eq!(html.matches("<img ").count(), 3);
    assert_eq!(html.matches("src=\"data:image/png;base64,").count(), 3);
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(!html.contains("<script"));
    assert!(
        html.contains("lenet5") && html.contains("config.json") && html.contains("summary.json")
    );
    // The table lists min(32, misclassified) images: exactly the test errors the summary counts.
    let wrong = (summary.test_images as f64 * (1.0 - scores.test_accuracy)).round() as usize;
    let listed = html.matches("<tr><td>").count() - 8; // 8 rows of the headline table
    assert_eq!(listed, wrong.min(MISTAKES_SHOWN), "{wrong} test errors");
    assert!(wrong > 0, "one epoch on 600 images leaves errors to show");
    let img = image::open(dir.mistakes_file()).unwrap();
    let rows = wrong.min(MISTAKES_SHOWN).div_ceil(8) as u32;
    assert_eq!(img.width(), 8 * (28 * 3 + 4) + 4);
    assert_eq!(img.height(), rows * (28 * 3 + 4 + 14) + 4);
    // No temporary file of the atomic write is left.
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".tmp-")
        })
        .count();
    assert_eq!(leftovers, 0);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_report_that_cannot_be_written_does_not_lose_the_run() {
    let _guard = runs::one_at_a_time();
    let root = runs::fresh_dir("blocked");
    let dir = RunDir::new(root.join("run"));
    // A folder where the page should go makes the atomic rename fail.
    std::fs::create_dir_all(dir.report_file()).unwrap();
    let summary = tiny::tiny_run(dir.path());
    assert!(
        summary.warnings.iter().any(|w| w.contains("report.html")),
        "{:?}",
        summary.warnings
    );
    let saved = std::fs::read_to_string(dir.summary_file()).unwrap();
    assert!(
        saved.contains("report.html"),
        "the warning is kept in summary.json"
    );
    assert!(dir.file("best.bpk").is_file() && dir.file("last.bpk").is_file());
    assert!(dir.report_file().is_dir());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_segmentation_run_reports_images_with_true_and_predicted_masks() {
    let _guard = runs::one_at_a_time();
    let root = runs::fresh_dir("seg");
    seg_scenes::write_folder(&root.join("data"));
    let dir = RunDir::new(root.join("run"));
    let opts = train::RunOptions {
        out: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let summary =
        train::run_experiment(seg_scenes::tiny_unet(&root.join("data"), 2), &opts).unwrap();
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    let html = std::fs::read_to_string(dir.report_file()).unwrap();
    assert_eq!(html.matches("src=\"data:image/png;base64,").count(), 3);
    assert!(html.contains("true masks"));
    // Four test scenes, three tiles each, six to a row; 16 px tiles enlarged 4× with labels.
    let img = image::open(dir.examples_file()).unwrap();
    let cell = seg_scenes::SIDE * 4 + 4;
    assert_eq!(
        [img.width(), img.height()],
        [6 * cell + 4, 2 * (cell + 14) + 4]
    );
    let _ = std::fs::remove_dir_all(&root);
}
