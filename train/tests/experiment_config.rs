//! The experiment config: JSON round trip, defaults, and clear errors for bad configs.

use train::ExperimentConfig;

#[test]
fn json_round_trips() {
    let config = ExperimentConfig {
        model: "resnet18_small".into(),
        dataset: "fashion-mnist".into(),
        epochs: 3,
        regularization: train::regularization::Regularization::l1(1e-5),
        ..Default::default()
    };
    let text = config.to_json();
    let back = ExperimentConfig::from_json(&text).expect("round trip");
    assert_eq!(back, config);
}

#[test]
fn empty_object_is_the_default_lenet_mnist_recipe() {
    let config = ExperimentConfig::from_json("{}").expect("defaults");
    assert_eq!(config.model, "lenet5");
    assert_eq!(config.dataset, "mnist");
    assert_eq!(config, ExperimentConfig::default());
}

fn error_of(json: &str) -> String {
    ExperimentConfig::from_json(json)
        .expect_err(json)
        .to_string()
}

#[test]
fn unknown_model_is_rejected_with_the_valid_names() {
    let msg = error_of(r#"{"model": "lenet6"}"#);
    assert!(
        msg.contains("unknown model `lenet6`") && msg.contains("resnet18"),
        "{msg}"
    );
}

#[test]
fn negative_learning_rate_is_rejected() {
    let msg = error_of(r#"{"schedule": {"lr0": -0.1, "decay": {"kind": "constant"}}}"#);
    assert!(msg.contains("-0.1"), "{msg}");
}

#[test]
fn unknown_key_is_rejected() {
    let msg = error_of(r#"{"learning_rate": 0.1}"#);
    assert!(msg.contains("unknown field `learning_rate`"), "{msg}");
}

#[test]
fn other_bad_values_are_rejected() {
    assert!(error_of(r#"{"batch_size": 0}"#).contains("batch_size"));
    assert!(error_of(r#"{"epochs": 0}"#).contains("epochs"));
    assert!(error_of(r#"{"valid_fraction": 1.5}"#).contains("valid_fraction"));
    assert!(error_of(r#"{"dataset": "imagenet"}"#).contains("imagenet"));
    assert!(error_of(r#"{"augment": "heavy"}"#).contains("heavy"));
    assert!(error_of(r#"{"backend": "cuda"}"#).contains("cuda"));
}

#[test]
fn shipped_configs_parse() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../configs");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("configs/ exists") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            ExperimentConfig::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            n += 1;
        }
    }
    assert!(n >= 2, "expected the shipped recipes in {}", dir.display());
}

#[test]
fn cosine_without_period_anneals_over_the_whole_run() {
    let config = ExperimentConfig::default();
    let resolved = config.resolved_schedule(100);
    assert_eq!(
        resolved.decay,
        train::schedule::Decay::Cosine {
            min_lr: 0.0,
            period: 100 * config.epochs as u64
        }
    );
}
