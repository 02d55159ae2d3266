//! Reading a run folder back: checkpoint choices, JSON files and the task, each error naming the
//! file.

use std::path::PathBuf;

use train::run_dir::{CheckpointChoice, read_json};
use train::{RunDir, Task, TrainError};

fn run_task(dir: &std::path::Path) -> Result<Task, TrainError> {
    RunDir::open(dir)?.task()
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("run-files-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn checkpoint_choices_parse_and_name_their_files() {
    let run = PathBuf::from("runs/x");
    assert_eq!(
        "best".parse::<CheckpointChoice>().ok(),
        Some(CheckpointChoice::Best)
    );
    assert_eq!(
        "last".parse::<CheckpointChoice>().ok(),
        Some(CheckpointChoice::Last)
    );
    let seven: CheckpointChoice = "7".parse().expect("an epoch");
    assert_eq!(seven.path(&run), run.join("checkpoint").join("model-7.bpk"));
    assert_eq!(CheckpointChoice::Best.path(&run), run.join("best.bpk"));
    let e = "newest"
        .parse::<CheckpointChoice>()
        .expect_err("not a choice");
    assert!(e.to_string().contains("`newest`"), "{e}");

    let dir = fresh_dir("choice");
    let e = seven.existing_path(&dir).expect_err("missing");
    assert!(e.to_string().contains("model-7.bpk"), "{e}");
    std::fs::write(dir.join("last.bpk"), b"x").expect("write");
    assert_eq!(
        CheckpointChoice::Last.existing_path(&dir).expect("present"),
        dir.join("last.bpk")
    );
}

#[test]
fn run_files_errors_name_the_file() {
    let dir = fresh_dir("json");
    let e = run_task(&dir.join("absent")).expect_err("no folder");
    assert!(e.to_string().contains("not a run folder"), "{e}");
    let e = run_task(&dir).expect_err("no config.json");
    assert!(e.to_string().contains("config.json"), "{e}");

    std::fs::write(dir.join("config.json"), "{ not json").expect("write");
    let e = read_json::<serde_json::Value>(&dir.join("config.json")).expect_err("bad JSON");
    assert!(
        e.to_string().contains("config.json: not a valid run file"),
        "{e}"
    );

    std::fs::write(dir.join("config.json"), r#"{"task": "detect"}"#).expect("write");
    let e = run_task(&dir).expect_err("unknown task");
    assert!(e.to_string().contains("unknown task `detect`"), "{e}");

    std::fs::write(dir.join("config.json"), r#"{"task": "segment"}"#).expect("write");
    assert_eq!(run_task(&dir).expect("task"), Task::Segment);
    std::fs::write(dir.join("config.json"), r#"{"model": "lenet5"}"#).expect("write");
    assert_eq!(run_task(&dir).expect("older run"), Task::Classify);
}

#[test]
fn run_dir_names_every_file_and_reads_class_weights() {
    let dir = fresh_dir("names");
    let run = RunDir::open(&dir).expect("a folder");
    assert_eq!(run.config_file(), dir.join("config.json"));
    assert_eq!(run.model_file(), dir.join("model.json"));
    assert_eq!(run.metrics_file(), dir.join("metrics.csv"));
    assert_eq!(
        run.checkpoint_file("optim", 3),
        dir.join("checkpoint").join("optim-3.bpk")
    );
    // Named weights never resolved: every reader says so the same way (evaluate once turned
    // them into no weights, infer errored).
    std::fs::write(
        dir.join("config.json"),
        r#"{"task": "segment", "model": "unet", "dataset": "digits-seg", "class_weights": "median-frequency"}"#,
    )
    .expect("write");
    let e = run.class_weights().expect_err("unresolved");
    assert!(e.to_string().contains("never resolved"), "{e}");
    std::fs::write(
        dir.join("config.json"),
        r#"{"task": "segment", "model": "unet", "dataset": "digits-seg", "class_weights": [0.5, 2.0]}"#,
    )
    .expect("write");
    assert_eq!(run.class_weights().expect("a list"), Some(vec![0.5, 2.0]));
}
