//! Every implemented experiment of `train::lab` runs here at `--quick` size on real MNIST, and
//! each test asserts on the numbers the run computed (the lecture's claim), then on the files.

use std::path::{Path, PathBuf};

#[path = "common/tiny_run.rs"]
mod tiny;

use train::lab::{ExperimentName, LabError, LabOptions, Report};

/// Burn seeds a device's generator per process: the experiments of this binary run one at a time.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

fn out_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cnn-lab-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn options(tag: &str) -> LabOptions {
    tiny::lab_options(&out_dir(tag), None)
}

fn run(name: &str) -> (Report, PathBuf) {
    let _guard = one_at_a_time();
    let opts = options(name);
    let exp: ExperimentName = name.parse().unwrap();
    let report = train::lab::run(exp, &opts).unwrap();
    let dir = opts.out.join(name);
    assert_files(&report, &dir);
    (report, dir)
}

/// results.csv has the table, every picture is a PNG embedded in report.html.
fn assert_files(report: &Report, dir: &Path) {
    let csv = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), report.rows.len() + 1);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(
        html.matches("src=\"data:image/png;base64,").count(),
        report.pictures.len()
    );
    assert!(!html.contains("http://") && !html.contains("https://"));
    for p in &report.pictures {
        let bytes = std::fs::read(dir.join(&p.file)).unwrap();
        assert_eq!(&bytes[1..4], b"PNG", "{}", p.file);
    }
    assert!(!report.conclusions.is_empty());
    assert_variant_folders(dir);
}

/// Every variant's folder is a complete run folder: all its files, a summary that agrees with
/// the last line of its metrics, a report with its curves embedded.
fn assert_variant_folders(dir: &Path) {
    let variants: Vec<PathBuf> = std::fs::read_dir(dir.join("variants"))
        .expect("variants/")
        .map(|e| e.expect("entry").path())
        .collect();
    assert!(!variants.is_empty(), "{}: no variant folder", dir.display());
    for v in &variants {
        for file in train::lab::variants::FILES {
            assert!(v.join(file).is_file(), "{}: missing {file}", v.display());
        }
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(v.join("summary.json")).unwrap())
                .unwrap();
        let metrics = std::fs::read_to_string(v.join("metrics.csv")).unwrap();
        let rows = metrics.lines().count() - 1;
        assert_eq!(
            summary["epochs"].as_u64(),
            Some(rows as u64),
            "{}",
            v.display()
        );
        if let Some(last) = metrics.lines().nth(rows).filter(|_| rows > 0) {
            let test_acc: f64 = last.split(',').nth(5).unwrap().parse().unwrap();
            assert_eq!(summary["test_accuracy"].as_f64(), Some(test_acc));
        }
        let config: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(v.join("config.json")).unwrap()).unwrap();
        assert_eq!(config["seed"].as_u64(), Some(42));
        let page = std::fs::read_to_string(v.join("report.html")).unwrap();
        assert_eq!(page.matches("src=\"data:image/png;base64,").count(), 1);
    }
}

#[test]
fn init_he_keeps_relu_activations_while_small_gaussian_collapses_them() {
    let (r, _) = run("init");
    for layer in 1..=10 {
        let std = r.get(&format!("relu/he/std/{layer}"));
        assert!((0.5..=2.0).contains(&std), "He, layer {layer}: std {std}");
    }
    assert!(r.get("relu/n001/last_std") < 1e-3);
    assert!(r.get("relu/n1/last_std") > 1e3);
    assert!(r.get("tanh/n1/saturated/10") > 0.5);
    assert!(r.get("tanh/xavier_in/last_std") > 0.1);
    assert!(r.get("relu/he/grad/1") > 1e3 * r.get("relu/n001/grad/1"));
    assert!(r.get("relu/he/test_acc") > r.get("relu/n001/test_acc"));
}

#[test]
fn sigmoid_gradients_vanish_where_relu_ones_do_not() {
    let (r, _) = run("activations");
    assert!(r.get("orders_sigmoid_below_relu") >= 2.0);
    assert!(r.get("sigmoid/first_over_last") < 1e-2);
    assert!(r.get("relu/first_over_last") > 0.1);
}

#[test]
fn learning_rates_stuck_converging_and_diverging() {
    let (r, _) = run("learning-rate");
    assert_eq!(r.get("too_large/diverged"), 1.0);
    assert_eq!(r.get("good/diverged"), 0.0);
    assert!(r.get("good/last_loss") < 0.75 * r.get("good/first_loss"));
    assert!(r.get("too_small/last_loss") > 0.9 * r.get("too_small/first_loss"));
    assert!(r.get("good/test_acc") > r.get("too_small/test_acc") + 0.3);
}

#[test]
fn l1_zeroes_more_weights_than_l2() {
    let (r, dir) = run("regularization");
    assert!(r.get("L1/zero_frac") > 3.0 * r.get("L2/zero_frac"));
    assert!(r.get("L1+L2/zero_frac") > 3.0 * r.get("L2/zero_frac"));
    assert!(r.get("L2/mean_abs") < r.get("none/mean_abs"));
    // The L1 variant's saved weights are the trained ones: loaded into a fresh network of the
    // same shape they give the test accuracy its summary states, and they are mostly zero.
    let data = train::lab::data::load("mnist", &data::default_cache_dir(), 1000, 1000, 42).unwrap();
    let spec = train::lab::mlp::MlpSpec::new(data.train.dim, 256, 1, data.classes);
    let device = burn::tensor::Device::flex().autodiff();
    let fresh = spec.init(&device);
    let l1 = dir.join("variants").join("L1");
    let model = train::load::load_weights(fresh, &l1.join("model.bpk")).unwrap();
    let (_, acc) = train::lab::fit::evaluate(&model, &spec, &data.test, usize::MAX);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(l1.join("summary.json")).unwrap()).unwrap();
    let stated = summary["test_accuracy"].as_f64().unwrap();
    assert!(
        (acc - stated).abs() < 1e-9,
        "reloaded {acc} vs stated {stated}"
    );
    assert!(acc > 0.8, "the reloaded L1 network is trained: {acc}");
}

#[test]
fn batch_norm_trains_at_a_learning_rate_where_the_plain_net_fails() {
    let (r, _) = run("batch-norm");
    let plain = r.get("none/lr10x/test_acc");
    let bn = r.get("before/lr10x/test_acc");
    assert!(plain < 0.5, "plain net at 10x lr: {plain}");
    assert!(bn > 0.6, "batch norm at 10x lr: {bn}");
}

#[test]
fn dropout_runs_on_a_net_that_overfits() {
    let (r, _) = run("dropout");
    assert!(r.get("p0/gap") > 0.05, "the plain net overfits");
    // Dropout is active: the training-mode loss of the first epoch is higher with it.
    assert!(r.get("p0.5/first_epoch_train_loss") > r.get("p0/first_epoch_train_loss"));
    for p in ["p0", "p0.25", "p0.5"] {
        assert!(r.get(&format!("{p}/test_acc")) > 0.8, "{p}");
    }
}

#[test]
fn lr_schedules_all_train_under_one_budget() {
    let (r, _) = run("lr-schedules");
    for name in ["constant", "step", "exponential", "time-based", "cosine"] {
        assert!(r.get(&format!("{name}/test_acc")) > 0.5, "{name}");
    }
    assert!(r.get("cosine/final_loss") < r.get("constant/final_loss"));
}

#[test]
fn momentum_damps_the_zigzag_and_every_optimizer_trains() {
    let (r, _) = run("optimizers");
    assert!(r.get("momentum/crossings") < r.get("sgd/crossings"));
    assert!(r.get("nesterov/steep_travel") < r.get("sgd/steep_travel"));
    for name in [
        "sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad",
    ] {
        assert!(r.get(&format!("{name}/test_acc")) > 0.5, "{name}");
        assert!(
            r.get(&format!("{name}/final_f")) < 1.0,
            "{name} on the quadratic"
        );
    }
}

#[test]
fn names_not_implemented_are_refused_and_unknown_ones_listed() {
    let opts = options("refused");
    for name in ExperimentName::ALL {
        if !name.implemented() {
            let err = train::lab::run(name, &opts).unwrap_err();
            assert!(matches!(err, LabError::NotImplemented(_)), "{err}");
            assert!(err.to_string().contains("not implemented"));
        }
    }
    let err = "no-such".parse::<ExperimentName>().unwrap_err();
    assert!(err.to_string().contains("init"), "{err}");
    assert_eq!(
        "batch_norm".parse::<ExperimentName>().unwrap(),
        ExperimentName::BatchNorm
    );
}

#[test]
fn large_batches_take_fewer_steps_and_end_sharper() {
    let (r, _) = run("batch-size");
    assert!(r.get("1/test_acc") > r.get("full/test_acc") + 0.2);
    assert!(r.get("full/sharpness") > r.get("1/sharpness"));
    assert!(r.get("full/train_loss") > r.get("1/train_loss"));
}

#[test]
fn whitening_decorrelates_the_test_inputs() {
    let (r, _) = run("preprocessing");
    assert!(r.get("ZCA-whitened/corr_train") < 0.2 * r.get("none/corr_train"));
    assert!(r.get("PCA-whitened/corr_train") < 0.2 * r.get("none/corr_train"));
    assert!(r.get("ZCA-whitened/corr") < r.get("none/corr"));
    for name in [
        "none",
        "zero-centred",
        "standardised",
        "PCA-whitened",
        "ZCA-whitened",
    ] {
        assert!(r.get(&format!("{name}/test_acc")) > 0.5, "{name}");
    }
}

#[test]
fn every_pooling_trains_the_same_small_cnn() {
    let (r, _) = run("pooling");
    for name in ["max", "average", "L2"] {
        assert!(r.get(&format!("{name}/test_acc")) > 0.4, "{name}");
    }
}

#[test]
fn weight_sharing_cuts_parameters_by_orders_of_magnitude() {
    let (r, _) = run("layers");
    let (fc, lc, conv) = (
        r.get("fully connected/params"),
        r.get("locally connected/params"),
        r.get("convolutional/params"),
    );
    assert!(fc > 10.0 * lc && lc > 10.0 * conv, "{fc} {lc} {conv}");
    assert_eq!(r.get("lecture/fully connected"), 1.6e9);
    assert_eq!(r.get("lecture/locally connected, 10×10 fields"), 4e6);
    assert_eq!(r.get("lecture/convolutional, 100 filters 10×10"), 1e4);
    assert!(r.get("convolutional/test_acc") > 0.7);
}

#[test]
fn augmentation_variants_train_on_a_small_subset() {
    let (r, _) = run("augmentation");
    for name in ["none", "shift", "rotation", "brightness/contrast", "all"] {
        assert!(r.get(&format!("{name}/test_acc")) > 0.5, "{name}");
    }
    // Augmented training images are harder to fit than the clean ones.
    assert!(r.get("all/train_acc") <= r.get("none/train_acc") + 0.02);
}
