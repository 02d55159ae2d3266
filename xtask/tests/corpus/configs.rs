//! Bad experiment configs and flags: malformed JSON, unknown keys, wrong types, zero, negative and
//! NaN values, unknown names.

use std::path::Path;

use crate::{Case, case_dir, p, train_args};

/// A valid two-class IDX set shared by the config cases (the config is what is wrong).
fn good_data(root: &Path) -> String {
    let data = root.join("good-data");
    if !data.is_dir() {
        std::fs::create_dir_all(&data).expect("data");
        let n = 8;
        let pixels: Vec<u8> = (0..n * 784).map(|i| (i % 251) as u8).collect();
        let labels: Vec<u8> = (0..n).map(|i| (i % 2) as u8).collect();
        for split in ["train", "t10k"] {
            let enc = data::idx::encode_idx(&[n, 28, 28], &pixels);
            std::fs::write(data.join(format!("{split}-images-idx3-ubyte")), enc).expect("img");
            let enc = data::idx::encode_idx(&[n], &labels);
            std::fs::write(data.join(format!("{split}-labels-idx1-ubyte")), enc).expect("lab");
        }
    }
    format!("idx:{}", p(&data))
}

/// A case running `--config <dir>/experiment.json` holding `json`.
fn file_case(root: &Path, name: &'static str, json: &str, want: &[&str]) -> Case {
    let dir = case_dir(root, name);
    let file = dir.join("experiment.json");
    std::fs::write(&file, json.replace("DATA", &good_data(root))).expect("config");
    let mut args = train_args(&dir, &good_data(root), &[]);
    args.extend(["--config".to_string(), p(&file)]);
    let mut want: Vec<String> = want.iter().map(|w| w.to_string()).collect();
    want.push(p(&file));
    Case { name, args, want }
}

/// A case with valid data and `flags` added.
fn flag_case(root: &Path, name: &'static str, flags: &[&str], want: &[&str]) -> Case {
    let dir = case_dir(root, name);
    Case {
        name,
        args: train_args(&dir, &good_data(root), flags),
        want: want.iter().map(|w| w.to_string()).collect(),
    }
}

pub fn cases(root: &Path) -> Vec<Case> {
    vec![
        file_case(
            root,
            "config-malformed",
            r#"{ "model": "lenet5", "epochs": 2"#,
            &["EOF while parsing an object at line 1 column 32"],
        ),
        file_case(
            root,
            "config-unknown-key",
            r#"{ "modle": "lenet5" }"#,
            &["unknown field `modle`, expected one of `task`, `model`"],
        ),
        file_case(
            root,
            "config-wrong-type",
            r#"{ "epochs": "ten" }"#,
            &["invalid type: string \"ten\", expected usize at line 1 column 17"],
        ),
        file_case(
            root,
            "config-negative-seed",
            r#"{ "seed": -1 }"#,
            &["invalid value: integer `-1`, expected u64"],
        ),
        file_case(
            root,
            "config-zero-epochs",
            r#"{ "epochs": 0 }"#,
            &["epochs must be at least 1"],
        ),
        file_case(
            root,
            "config-zero-batch",
            r#"{ "batch_size": 0 }"#,
            &["batch_size must be at least 1"],
        ),
        file_case(
            root,
            "config-valid-fraction",
            r#"{ "valid_fraction": 1.5 }"#,
            &["valid_fraction must be in (0, 1)", "got 1.5"],
        ),
        file_case(
            root,
            "config-not-an-object",
            "[1, 2, 3]",
            &["line 1 column 2"],
        ),
        file_case(
            root,
            "config-empty-file",
            "",
            &["EOF while parsing a value at line 1 column 0"],
        ),
        flag_case(
            root,
            "flag-lr-nan",
            &["--lr", "NaN"],
            &["learning rate lr0 must be a positive finite number, got NaN"],
        ),
        flag_case(
            root,
            "flag-lr-negative",
            &["--lr=-0.1"],
            &["learning rate lr0 must be a positive finite number, got -0.1"],
        ),
        flag_case(
            root,
            "flag-lr-zero",
            &["--lr", "0"],
            &["learning rate lr0 must be a positive finite number, got 0"],
        ),
        flag_case(
            root,
            "flag-weight-decay-nan",
            &["--weight-decay", "NaN"],
            &["weight_decay must be >= 0, got NaN"],
        ),
        flag_case(
            root,
            "flag-unknown-model",
            &["--model", "nosuchnet"],
            &["unknown model `nosuchnet`; valid models: lenet5"],
        ),
        flag_case(
            root,
            "flag-unknown-dataset",
            &["--dataset", "imagenet:/x"],
            &["unknown dataset spec `imagenet:/x`"],
        ),
        flag_case(
            root,
            "flag-config-missing",
            &["--config", "/nonexistent/exp.json"],
            &["/nonexistent/exp.json: No such file or directory"],
        ),
        flag_case(
            root,
            "flag-resume-with-config",
            &["--resume", "--config", "x.json"],
            &["--config cannot be combined with --resume"],
        ),
        flag_case(
            root,
            "flag-input-size-zero",
            &["--input-size", "0"],
            &["input spec 1×0×0: channels must be 1 or 3 and sizes non-zero"],
        ),
    ]
}
