//! The experiment config: JSON round trip, defaults, and clear errors for bad configs.

use train::ExperimentConfig;

#[test]
fn json_round_trips() {
    let config = ExperimentConfig {
        model: "resnet18_small".into(),
        dataset: data::DatasetSpec::FashionMnist(None),
        epochs: 3,
        regularization: train::regularization::Regularization::l1(1e-5),
        ..Default::default()
    };
    let text = config.to_json().expect("json");
    let back = ExperimentConfig::from_json(&text).expect("round trip");
    assert_eq!(back, config);
}

#[test]
fn empty_object_is_the_default_lenet_mnist_recipe() {
    let config = ExperimentConfig::from_json("{}").expect("defaults");
    assert_eq!(config.model, "lenet5");
    assert_eq!(config.dataset, data::DatasetSpec::Mnist(None));
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
            period: Some(100 * config.epochs as u64)
        }
    );
}

#[test]
fn segmentation_recipe_round_trips_and_checks_its_fields() {
    let config = ExperimentConfig::segmentation_default();
    assert_eq!(config.task, train::Task::Segment);
    let back = ExperimentConfig::from_json(&config.to_json().expect("json")).expect("round trip");
    assert_eq!(back, config);
    let listed = ExperimentConfig::from_json(
        r#"{"task": "segment", "model": "segnet", "dataset": "digits-seg", "class_weights": [0.1, 1.0]}"#,
    )
    .expect("a weight list");
    assert_eq!(
        listed.class_weights,
        Some(train::experiment::ClassWeights::List(vec![0.1, 1.0]))
    );
    let e = error_of(
        r#"{"task": "segment", "model": "unet", "dataset": "digits-seg", "class_weights": "inverse"}"#,
    );
    assert!(e.contains("median-frequency"), "{e}");
    let e =
        error_of(r#"{"task": "segment", "model": "unet", "dataset": "digits-seg", "width": 0}"#);
    assert!(e.contains("width"), "{e}");
    let e = error_of(r#"{"task": "segment", "model": "unet9", "dataset": "digits-seg"}"#);
    assert!(e.contains("unet9") && e.contains("fcn8s"), "{e}");
    let e = error_of(r#"{"task": "paint"}"#);
    assert!(e.contains("paint"), "{e}");
}

#[test]
fn median_frequency_weights_by_hand() {
    use std::sync::Arc;

    use burn::data::dataset::{Dataset, InMemDataset};
    use data::{Pixels, SegItem};

    let item = |mask: Vec<u8>| SegItem {
        pixels: Pixels::U8(vec![0; mask.len()]),
        shape: [1, 1, mask.len()],
        mask,
    };
    // Image 1: 3 px of class 0, 1 px of class 1. Image 2: 2 px of class 0, 2 px of class 2.
    // f0 = 5/8, f1 = 1/4, f2 = 2/4; median 1/2; class 3 never appears.
    let set: Arc<dyn Dataset<SegItem>> = Arc::new(InMemDataset::new(vec![
        item(vec![0, 0, 0, 1]),
        item(vec![0, 2, 2, 0]),
    ]));
    let w = train::segmentation::setup::median_frequency_weights(&*set, 4, 100).expect("weights");
    let expected = [0.5 / 0.625, 0.5 / 0.25, 1.0, 0.0];
    for (got, want) in w.iter().zip(expected) {
        assert!((got - want).abs() < 1e-6, "{w:?}");
    }
}

#[test]
fn top_k_is_at_most_the_number_of_classes() {
    assert_eq!(train::evaluate::top_k_for(2), 2);
    assert_eq!(train::evaluate::top_k_for(5), 5);
    assert_eq!(train::evaluate::top_k_for(1000), 5);
}

#[test]
fn pictures_label_whole_epochs_and_rare_confusions() {
    use train::confusion_plot::cell_label;
    use train::curves::epoch_tick_label;
    assert_eq!(epoch_tick_label(3.0), "3");
    assert_eq!(epoch_tick_label(2.5), "");
    assert_eq!(cell_label(0, 100), None);
    assert_eq!(cell_label(50, 100).as_deref(), Some("50"));
    // 3 of 1,000 rounds to 0 %: the count is shown instead.
    assert_eq!(cell_label(3, 1000).as_deref(), Some("(3)"));
}
