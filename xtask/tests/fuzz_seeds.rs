//! The `fuzz/deep` targets (experiment config JSON, run-folder files, checkpoint loader) replayed
//! on their committed seeds in the ordinary test suite: the targets' bodies build with the
//! workspace and hold on every seed, and the seed checkpoint loads while its truncation does not.

#[path = "../../fuzz/deep/src/lib.rs"]
mod deep;

use std::path::{Path, PathBuf};

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
}

#[test]
fn deep_fuzz_targets_hold_on_their_seeds() {
    type Target = (&'static str, fn(&[u8]));
    let targets: [Target; 3] = [
        ("experiment_json", deep::experiment_json),
        ("run_files", deep::run_files),
        ("checkpoint", deep::checkpoint),
    ];
    for (target, run) in targets {
        let files = seeds(target);
        assert!(files.len() >= 3, "{target}: {files:?}");
        for file in files {
            run(&std::fs::read(&file).expect("seed"));
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/checkpoint");
    assert!(deep::load_checkpoint(&dir.join("lenet5-2class.bpk")));
    assert!(!deep::load_checkpoint(&dir.join("truncated.bpk")));
    assert!(!deep::load_checkpoint(&dir.join("scheduler.bpk")));
}
