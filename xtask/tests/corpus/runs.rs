//! Bad run folders: a real one-epoch run, copied and damaged (truncated checkpoint, another
//! architecture, corrupt JSON, missing files), then resumed or evaluated.

use std::path::Path;

use crate::{Case, case_dir, p, xtask};

/// Trains the run every case copies: LeNet-5, one epoch, on the shared IDX set.
fn trained(root: &Path) -> std::path::PathBuf {
    let dir = root.join("trained");
    if !dir.join("run/summary.json").is_file() {
        std::fs::create_dir_all(&dir).expect("mkdir");
        let data = root.join("good-data");
        let args = crate::train_args(&dir, &format!("idx:{}", p(&data)), &[]);
        let out = xtask(&args, &dir);
        assert_eq!(out.code, Some(0), "the run to damage: {}", out.stderr);
    }
    dir.join("run")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from)
        .expect("read_dir")
        .filter_map(|e| e.ok())
    {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A copy of the trained run in `<case>/run`, damaged by `edit`, then `command` on it.
fn run_case(
    root: &Path,
    name: &'static str,
    edit: impl FnOnce(&Path),
    command: &[&str],
    want: &[&str],
) -> Case {
    let dir = case_dir(root, name);
    let run = dir.join("run");
    copy_dir(&trained(root), &run);
    edit(&run);
    let mut args: Vec<String> = command.iter().map(|s| s.to_string()).collect();
    args.push(p(&run));
    Case {
        name,
        args,
        want: want.iter().map(|w| w.replace("{RUN}", &p(&run))).collect(),
    }
}

fn truncate(path: &Path) {
    let bytes = std::fs::read(path).expect("read");
    std::fs::write(path, &bytes[..bytes.len() / 3]).expect("write");
}

pub fn cases(root: &Path) -> Vec<Case> {
    let resume: &[&str] = &["train", "--resume", "--epochs", "2", "--out"];
    let evaluate: &[&str] = &["evaluate", "--run"];
    vec![
        run_case(
            root,
            "run-resume-truncated-checkpoint",
            |r| truncate(&r.join("checkpoint/model-1.bpk")),
            resume,
            &[
                "checkpoint {RUN}/checkpoint/model-1.bpk: cannot be read",
                "File truncated",
            ],
        ),
        run_case(
            root,
            "run-resume-truncated-optimizer",
            |r| truncate(&r.join("checkpoint/optim-1.bpk")),
            resume,
            &[
                "checkpoint {RUN}/checkpoint/optim-1.bpk: cannot be read",
                "File truncated",
            ],
        ),
        run_case(
            root,
            "run-resume-corrupt-config",
            |r| std::fs::write(r.join("config.json"), "{ \"model\": ").expect("w"),
            resume,
            &["{RUN}/config.json: invalid configuration: EOF while parsing"],
        ),
        run_case(
            root,
            "run-resume-no-config",
            |r| std::fs::remove_file(r.join("config.json")).expect("rm"),
            resume,
            &["{RUN}: nothing to resume: it has no config.json"],
        ),
        run_case(
            root,
            "run-resume-finished",
            |_| {},
            &["train", "--resume", "--out"],
            &["{RUN}: already trained 1 of 1 epochs"],
        ),
        run_case(
            root,
            "run-new-into-existing",
            |_| {},
            &["train", "--epochs", "1", "--out"],
            &["{RUN}: it already holds a run"],
        ),
        run_case(
            root,
            "run-eval-truncated-best",
            |r| truncate(&r.join("best.bpk")),
            evaluate,
            &[
                "checkpoint {RUN}/best.bpk: cannot be loaded into this architecture",
                "File truncated",
            ],
        ),
        run_case(
            root,
            "run-eval-other-architecture",
            |r| {
                let json = std::fs::read_to_string(r.join("model.json")).expect("model.json");
                let other = json.replacen("\"num_classes\": 2", "\"num_classes\": 3", 1);
                assert_ne!(json, other, "model.json has a width to change: {json}");
                std::fs::write(r.join("model.json"), other).expect("w");
            },
            evaluate,
            &[
                "checkpoint {RUN}/best.bpk: cannot be loaded into this architecture",
                "fc3.weight: shape mismatch",
            ],
        ),
        run_case(
            root,
            "run-eval-corrupt-model-json",
            |r| std::fs::write(r.join("model.json"), "{").expect("w"),
            evaluate,
            &["{RUN}/model.json: not a valid run file"],
        ),
        run_case(
            root,
            "run-eval-corrupt-preprocessing",
            |r| std::fs::write(r.join("preprocessing.json"), "[]").expect("w"),
            evaluate,
            &["{RUN}/preprocessing.json: not a preprocessing file"],
        ),
        run_case(
            root,
            "run-eval-missing-epoch",
            |_| {},
            &["evaluate", "--checkpoint", "7", "--run"],
            &["{RUN}/checkpoint/model-7.bpk: no such checkpoint in run"],
        ),
        run_case(
            root,
            "run-eval-not-a-run",
            |r| std::fs::remove_dir_all(r).expect("rm"),
            evaluate,
            &["run folder {RUN}: not a run folder (no such directory)"],
        ),
    ]
}
