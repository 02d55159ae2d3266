//! Flags meet the experiment in one place, `ExperimentConfig::apply(Overrides)`; a resumed run
//! applies the sound flags and refuses the others. Each test pins a bug once seen through
//! `cargo xtask train`.

use std::path::Path;

use clap::Parser;
use model::backend::BackendKind;
use train::experiment::{OptimizerKind, ScheduleKind};
use train::optimizer::Method;
use train::schedule::{Decay, TimeUnit};
use train::{ExperimentConfig, Overrides, Task};

fn recipe(name: &str) -> ExperimentConfig {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../configs")
        .join(name);
    ExperimentConfig::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn flags(o: Overrides) -> Result<ExperimentConfig, train::TrainError> {
    ExperimentConfig::from_overrides(None, &o)
}

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    overrides: Overrides,
}

#[test]
fn the_default_job_is_configs_lenet5_mnist_json() {
    assert_eq!(recipe("lenet5_mnist.json"), ExperimentConfig::default());
    assert_eq!(
        flags(Overrides::default()).expect("defaults"),
        ExperimentConfig::default()
    );
}

#[test]
fn optimizer_adamw_works_with_the_default_settings() {
    // Before: the default coupled decay 5e-4 was carried into AdamW and then rejected.
    let c = flags(Overrides {
        optimizer: Some(OptimizerKind::Adamw),
        ..Default::default()
    })
    .expect("--optimizer adamw with the defaults");
    assert_eq!(c.optimizer.weight_decay, 0.0);
    assert!(
        matches!(c.optimizer.method, Method::AdamW { weight_decay, .. } if weight_decay == 1e-2),
        "{:?}",
        c.optimizer
    );
    // --weight-decay sets AdamW's own (decoupled) decay.
    let c = flags(Overrides {
        optimizer: Some(OptimizerKind::Adamw),
        weight_decay: Some(0.05),
        ..Default::default()
    })
    .expect("adamw with a decay");
    assert!(
        matches!(c.optimizer.method, Method::AdamW { weight_decay, .. } if weight_decay == 0.05)
    );
    assert_eq!(c.optimizer.weight_decay, 0.0);
    // Within the SGD family the coupled decay carries over.
    let c = flags(Overrides {
        optimizer: Some(OptimizerKind::Momentum),
        ..Default::default()
    })
    .expect("momentum");
    assert_eq!(c.optimizer.weight_decay, 5e-4);
}

#[test]
fn schedule_flag_keeps_the_files_warmup_and_unit() {
    // Before: --schedule dropped resnet20_fashion.json's 100 warm-up iterations.
    let mut c = recipe("resnet20_fashion.json");
    assert_eq!(c.schedule.warmup, 100);
    c.apply(&Overrides {
        schedule: Some(ScheduleKind::Step),
        gamma: Some(0.5),
        step_size: Some(30),
        ..Default::default()
    })
    .expect("step");
    assert_eq!(c.schedule.warmup, 100);
    assert_eq!(c.schedule.lr0, 0.1);
    assert_eq!(
        c.schedule.decay,
        Decay::Step {
            gamma: 0.5,
            step_size: 30
        }
    );
}

#[test]
fn decay_parameters_apply_without_schedule_flag() {
    // Before: --k, --gamma and --step-size were ignored unless --schedule was also given.
    let mut c = recipe("adamw_time_based_mnist.json");
    c.apply(&Overrides {
        k: Some(0.25),
        lr: Some(0.001),
        ..Default::default()
    })
    .expect("--k on a time-based schedule");
    assert_eq!(c.schedule.decay, Decay::TimeBased { k: 0.25 });
    assert_eq!(c.schedule.lr0, 0.001);
    assert_eq!(c.schedule.unit, TimeUnit::Epoch);
    // A parameter the schedule in force does not have is an error, not silence.
    let e = flags(Overrides {
        gamma: Some(0.5),
        ..Default::default()
    })
    .expect_err("--gamma on cosine");
    assert!(e.to_string().contains("--schedule step"), "{e}");
}

#[test]
fn valid_fraction_zero_is_rejected_by_validation() {
    // Before: it passed validation and then failed in the split.
    let e = ExperimentConfig::from_json(r#"{"valid_fraction": 0}"#).expect_err("no validation");
    assert!(e.to_string().contains("valid_fraction"), "{e}");
    assert!(ExperimentConfig::from_json(r#"{"valid_fraction": 0.05}"#).is_ok());
}

#[test]
fn resume_applies_sound_flags_and_refuses_the_others() {
    let saved = ExperimentConfig::default();
    let more = ExperimentConfig::resumed(
        &saved,
        &Overrides {
            epochs: Some(20),
            backend: Some(BackendKind::Ndarray),
            num_workers: Some(2),
            early_stop: Some(3),
            ..Default::default()
        },
    )
    .expect("sound flags");
    assert_eq!(more.epochs, 20);
    assert_eq!(more.backend, BackendKind::Ndarray);
    assert_eq!(more.num_workers, 2);
    assert_eq!(more.early_stop, Some(3));
    assert_eq!(more.schedule, saved.schedule);

    // Before: --lr, --batch-size and the rest were dropped without a word.
    type Case = (&'static str, fn(&mut Overrides));
    let cases: [Case; 5] = [
        ("--lr", |o| o.lr = Some(0.1)),
        ("--batch-size", |o| o.batch_size = Some(64)),
        ("--optimizer", |o| o.optimizer = Some(OptimizerKind::Adam)),
        ("--seed", |o| o.seed = Some(7)),
        ("--model", |o| o.model = Some("resnet20".into())),
    ];
    for (flag, set) in cases {
        let mut o = Overrides::default();
        set(&mut o);
        let msg = ExperimentConfig::resumed(&saved, &o)
            .expect_err(flag)
            .to_string();
        assert!(
            msg.contains(flag) && msg.contains("resumed run"),
            "{flag}: {msg}"
        );
    }
    // A flag that repeats the saved value changes nothing and is accepted.
    let same = ExperimentConfig::resumed(
        &saved,
        &Overrides {
            lr: Some(saved.schedule.lr0),
            model: Some(saved.model.clone()),
            ..Default::default()
        },
    )
    .expect("same values");
    assert_eq!(same, saved);
}

#[test]
fn every_enum_like_flag_is_typed_and_parsed_once() {
    let cli = Cli::try_parse_from([
        "train",
        "--task",
        "segment",
        "--dataset",
        "folder:/data/scenes",
        "--model",
        "segnet",
        "--optimizer",
        "rmsprop",
        "--schedule",
        "time-based",
        "--schedule-unit",
        "epoch",
        "--augment",
        "none",
        "--class-weights",
        "median-frequency",
        "--backend",
        "ndarray",
        "--early-stop",
        "4",
    ])
    .expect("flags parse");
    let c = flags(cli.overrides).expect("config");
    assert_eq!(c.task, Task::Segment);
    // The dataset string is parsed once; a segmentation run reads folder:DIR as seg-folder:DIR.
    assert_eq!(
        c.dataset,
        data::DatasetSpec::SegFolder("/data/scenes".into())
    );
    assert_eq!(c.schedule.unit, TimeUnit::Epoch);
    assert!(matches!(c.schedule.decay, Decay::TimeBased { .. }));
    assert_eq!(c.backend, BackendKind::Ndarray);
    assert_eq!(c.early_stop, Some(4));
    for bad in [
        ["train", "--optimizer", "adamax"],
        ["train", "--schedule", "linear"],
        ["train", "--dataset", "imagenet"],
        ["train", "--backend", "cuda"],
    ] {
        assert!(Cli::try_parse_from(bad).is_err(), "{bad:?}");
    }
    // The task follows a segmentation model when --task is absent.
    let c = flags(Overrides {
        model: Some("unet".into()),
        ..Default::default()
    })
    .expect("unet");
    assert_eq!(c.task, Task::Segment);
    assert_eq!(c, ExperimentConfig::segmentation_default());
}

#[test]
fn old_run_configs_still_load() {
    // config.json as runs wrote it before the typed config: the cosine period 0 sentinel, a
    // segmentation run on `folder:DIR`, named augmentation.
    let old = r#"{
      "task": "segment", "model": "unet", "dataset": "folder:/data/scenes",
      "augment": "default", "class_weights": [0.5, 2.0, 2.0],
      "optimizer": { "method": { "kind": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8 },
                     "weight_decay": 0.0, "gradient_clipping": null },
      "schedule": { "lr0": 0.002, "decay": { "kind": "cosine", "min_lr": 0.0, "period": 0 },
                    "warmup": 0, "unit": "iteration" },
      "batch_size": 16, "epochs": 12, "seed": 42, "valid_fraction": 0.1, "train_limit": null,
      "test_limit": null, "width": null, "input_size": null, "channels": null,
      "preprocess": "standardize", "aux_weight": null, "backend": "flex", "num_workers": 1,
      "data_dir": null
    }"#;
    let c = ExperimentConfig::from_json(old).expect("old config");
    assert_eq!(
        c.schedule.decay,
        Decay::Cosine {
            min_lr: 0.0,
            period: None
        }
    );
    assert_eq!(
        c.dataset,
        data::DatasetSpec::SegFolder("/data/scenes".into())
    );
    let resolved = c.resolved_schedule(10);
    assert_eq!(
        resolved.decay,
        Decay::Cosine {
            min_lr: 0.0,
            period: Some(120)
        }
    );
    // And it writes back in the new form, which reads the same.
    let back = ExperimentConfig::from_json(&c.to_json().expect("json")).expect("new form");
    assert_eq!(back, c);
}

#[test]
fn one_registry_names_both_tasks_with_their_defaults() {
    let seg = model::registry::find("unet_small").expect("a segmentation net");
    assert!(seg.is_segmentation());
    assert_eq!(seg.default_input(), [1, 32, 32]);
    assert_eq!(seg.default_classes(), 11);
    let cls = model::registry::find("resnet18").expect("a classifier");
    assert!(!cls.is_segmentation());
    assert_eq!(
        (cls.default_input(), cls.default_classes()),
        ([3, 224, 224], 1000)
    );
    let e = model::registry::find("unet9")
        .expect_err("unknown")
        .to_string();
    assert!(e.contains("fcn8s") && e.contains("resnet18"), "{e}");
}
