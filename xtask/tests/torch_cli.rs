//! `cargo xtask import` / `export` and `train --init-from` as a user runs them, on the PyTorch
//! fixtures of `xtask/scripts/torch_fixtures.py` (LeNet-5 is full size there): the imported run
//! exports back to the same tensors, fine-tunes with a re-initialised head, and bad files leave
//! no run folder behind. (`infer --logits` on an imported run: infer/tests/torch_logits.rs.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use data::idx::encode_idx;
use model::interop::StateDict;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/torch")
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `cargo xtask import --model lenet5 --weights FIXTURE --out RUN [extra…]`.
fn import(fixture: &str, run: &Path, extra: &[&str]) -> Output {
    let weights = fixtures().join(fixture);
    let mut args = vec!["import", "--model", "lenet5", "--weights"];
    args.extend([weights.to_str().unwrap(), "--out", run.to_str().unwrap()]);
    args.extend(extra);
    xtask(&args)
}

fn import_lenet(dir: &Path) -> PathBuf {
    let classes = dir.join("classes.txt");
    let names: String = (0..10).map(|d| format!("digit-{d}\n")).collect();
    std::fs::write(&classes, names).unwrap();
    let run = dir.join("imported");
    let out = import(
        "lenet5.pth",
        &run,
        &["--classes", classes.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("imported 10 tensors"), "{}", text(&out));
    run
}

#[test]
fn imported_lenet_exports_the_same_tensors() {
    let dir = tempfile::tempdir().unwrap();
    let run = import_lenet(dir.path());
    for file in [
        "config.json",
        "model.json",
        "preprocessing.json",
        "best.bpk",
        "import.json",
    ] {
        assert!(run.join(file).is_file(), "{file} missing");
    }
    for format in ["pth", "safetensors"] {
        let file = dir.path().join(format!("lenet5-export.{format}"));
        let out = xtask(&[
            "export",
            "--run",
            run.to_str().unwrap(),
            "--format",
            format,
            "--out",
            file.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", text(&out));
        let original = StateDict::read(&fixtures().join("lenet5.pth")).unwrap();
        let exported = StateDict::read(&file).unwrap();
        assert_eq!(original.shapes(), exported.shapes());
        for key in original.tensors.keys() {
            assert_eq!(
                original.floats(key),
                exported.floats(key),
                "{format}: {key}"
            );
        }
    }
}

#[test]
fn an_imported_run_is_evaluated_on_the_dataset_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("digits");
    write_idx(&data, 10);
    let run = dir.path().join("imported");
    let dataset = format!("idx:{}", data.display());
    let out = import("lenet5.pth", &run, &["--dataset", &dataset]);
    assert!(out.status.success(), "{}", text(&out));
    let out = xtask(&["evaluate", "--run", run.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("40 test images — top-1"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_file_of_another_architecture_is_refused_without_a_run_folder() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("never");
    let out = import("resnet18_d32.pth", &run, &[]);
    assert!(!out.status.success());
    let message = text(&out);
    assert!(message.contains("resnet18_d32.pth"), "{message}");
    assert!(message.contains("missing key(s): conv1.bias"), "{message}");
    assert!(!run.exists(), "a run folder was left behind");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// `dir/{train,t10k}-{images-idx3,labels-idx1}-ubyte`: 28×28 grey, `classes` classes.
fn write_idx(dir: &Path, classes: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for (split, n) in [("train", 16 * classes), ("t10k", 4 * classes)] {
        let mut pixels = Vec::with_capacity(n * 784);
        let mut labels = Vec::with_capacity(n);
        for i in 0..n {
            let class = (i % classes) as u8;
            let base = 40 + 20 * u32::from(class);
            pixels.extend((0..784u32).map(|p| (base + (p * 7 + i as u32 * 13) % 50) as u8));
            labels.push(class);
        }
        let images = dir.join(format!("{split}-images-idx3-ubyte"));
        std::fs::write(images, encode_idx(&[n, 28, 28], &pixels)).unwrap();
        let labels_file = dir.join(format!("{split}-labels-idx1-ubyte"));
        std::fs::write(labels_file, encode_idx(&[n], &labels)).unwrap();
    }
}

#[test]
fn fine_tuning_loads_the_backbone_and_reinitialises_the_head() {
    let dir = tempfile::tempdir().unwrap();
    let imported = import_lenet(dir.path());
    let data = dir.path().join("data");
    write_idx(&data, 3);
    let run = dir.path().join("tuned");
    let dataset = format!("idx:{}", data.display());
    // `cargo xtask train` of LeNet-5 for one epoch on the set, from the imported run.
    let tune = |classes: &str, out: &Path, extra: &[&str]| {
        let mut args = vec!["train", "--model", "lenet5", "--dataset", &dataset];
        args.extend(["--epochs", "1", "--num-classes", classes, "--init-from"]);
        args.extend([imported.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        args.extend(extra);
        xtask(&args)
    };
    let out = tune(
        "3",
        &run,
        &[
            "--input-size",
            "32",
            "--batch-size",
            "16",
            "--augment",
            "none",
            "--freeze-backbone",
        ],
    );
    let message = text(&out);
    assert!(out.status.success(), "{message}");
    assert!(
        message.contains("loaded 8 tensors, initialised 2"),
        "{message}"
    );
    assert!(
        message.contains("initialised fc3.weight (the source's is 10x84, this network's 3x84)"),
        "{message}"
    );
    assert!(message.contains("freeze-backbone"), "{message}");
    // Frozen: the backbone is still the imported one after an epoch; the head has 3 classes.
    let file = dir.path().join("tuned.safetensors");
    let out = xtask(&[
        "export",
        "--run",
        run.to_str().unwrap(),
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let tuned = StateDict::read(&file).unwrap();
    let original = StateDict::read(&fixtures().join("lenet5.pth")).unwrap();
    for key in ["conv1.weight", "conv2.bias", "fc1.weight", "fc2.bias"] {
        assert_eq!(
            tuned.floats(key),
            original.floats(key),
            "{key} changed while frozen"
        );
    }
    assert_eq!(tuned.floats("fc3.bias").unwrap().1, vec![3]);
    // The class count must be the dataset's.
    let out = tune("5", &dir.path().join("wrong"), &[]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("--num-classes 5, but the dataset has 3 classes"),
        "{}",
        text(&out)
    );
}
