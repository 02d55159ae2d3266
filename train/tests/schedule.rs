//! Every schedule against its closed form, against Burn's own step and exponential schedulers,
//! resumption from a saved record, JSON round-trips and invalid configurations.

#[path = "common/json.rs"]
mod json;

use burn::optim::lr_scheduler::exponential::ExponentialLrSchedulerConfig;
use burn::optim::lr_scheduler::module_lr_scheduler::ModuleLrScheduler;
use burn::optim::lr_scheduler::step::StepLrSchedulerConfig;
use burn::optim::lr_scheduler::{LrScheduler, LrSchedulerRecord};
use json::json_error;
use train::schedule::{Decay, ScheduleConfig, ScheduleError, Scheduler, TimeUnit, lr_at};

const STEPS: u64 = 2_000;

fn assert_close(actual: f64, expected: f64, what: &str) {
    let tol = 1e-12 * expected.abs().max(1e-300) + 1e-300;
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: got {actual}, expected {expected}"
    );
}

/// Steps a fresh scheduler `n` times.
fn run(config: ScheduleConfig, iterations_per_epoch: u64, n: u64) -> Vec<f64> {
    let mut s = Scheduler::new(config, iterations_per_epoch).unwrap();
    (0..n).map(|_| s.step()).collect()
}

fn check_closed_form(config: ScheduleConfig, closed: impl Fn(f64) -> f64) {
    let lrs = run(config, 1, STEPS);
    for (t, lr) in lrs.iter().enumerate() {
        let expected = closed(t as f64);
        assert_close(*lr, expected, &format!("{config} at t={t}"));
        assert_close(lr_at(&config, t as u64), expected, "lr_at");
    }
}

#[test]
fn constant_matches_closed_form() {
    check_closed_form(ScheduleConfig::constant(0.05), |_| 0.05);
}

#[test]
fn step_matches_closed_form() {
    check_closed_form(ScheduleConfig::step(0.1, 0.5, 7), |t| {
        0.1 * 0.5f64.powi((t / 7.0).floor() as i32)
    });
}

#[test]
fn exponential_matches_closed_form() {
    check_closed_form(ScheduleConfig::exponential(0.1, 0.003), |t| {
        0.1 * (-0.003 * t).exp()
    });
}

#[test]
fn time_based_matches_closed_form() {
    check_closed_form(ScheduleConfig::time_based(0.1, 0.01), |t| {
        0.1 / (1.0 + 0.01 * t)
    });
}

#[test]
fn cosine_matches_closed_form_and_holds_minimum() {
    let period = 1_500u64;
    check_closed_form(ScheduleConfig::cosine(0.1, 0.001, period), |t| {
        if t >= period as f64 {
            0.001
        } else {
            0.001 + 0.099 * 0.5 * (1.0 + (std::f64::consts::PI * t / period as f64).cos())
        }
    });
    let c = ScheduleConfig::cosine(0.1, 0.0, 100);
    assert_close(lr_at(&c, 50), 0.05, "cosine half-way");
    assert_eq!(lr_at(&c, 100), 0.0);
}

#[test]
fn warmup_ramps_linearly_then_composes_with_every_decay() {
    let n = 10u64;
    for config in [
        ScheduleConfig::constant(0.1),
        ScheduleConfig::step(0.1, 0.5, 7),
        ScheduleConfig::exponential(0.1, 0.01),
        ScheduleConfig::time_based(0.1, 0.02),
        ScheduleConfig::cosine(0.1, 0.0, 50),
    ] {
        let warm = config.with_warmup(n);
        let lrs = run(warm, 1, 200);
        for (t, lr) in lrs.iter().enumerate() {
            let t = t as u64;
            let expected = if t < n {
                0.1 * (t + 1) as f64 / n as f64
            } else {
                lr_at(&config, t - n)
            };
            assert_close(*lr, expected, &format!("{warm} at t={t}"));
        }
        assert_close(lrs[0], 0.01, "first warm-up step is lr0/N");
        assert_close(lrs[n as usize - 1], 0.1, "warm-up ends at lr0");
        assert_close(lrs[n as usize], 0.1, "decay starts at lr0");
    }
}

#[test]
fn epoch_unit_changes_only_at_epoch_boundaries() {
    let per_epoch = 13u64;
    let config = ScheduleConfig::exponential(0.1, 0.2).with_unit(TimeUnit::Epoch);
    let lrs = run(config, per_epoch, 20 * per_epoch);
    for (i, lr) in lrs.iter().enumerate() {
        let epoch = i as u64 / per_epoch;
        assert_close(*lr, 0.1 * (-0.2 * epoch as f64).exp(), "epoch exponential");
    }
    // Warm-up in epochs too.
    let config = ScheduleConfig::constant(0.1)
        .with_warmup(2)
        .with_unit(TimeUnit::Epoch);
    let lrs = run(config, per_epoch, 3 * per_epoch);
    assert!(lrs[..13].iter().all(|lr| *lr == 0.05));
    assert!(lrs[13..].iter().all(|lr| *lr == 0.1));
}

#[test]
fn matches_burns_step_scheduler() {
    for (lr0, gamma, step) in [(0.1, 0.1, 30usize), (0.5, 0.9, 1), (1e-3, 0.5, 17)] {
        let ours = run(ScheduleConfig::step(lr0, gamma, step as u64), 1, STEPS);
        let mut burn = StepLrSchedulerConfig::new(lr0, step)
            .with_gamma(gamma)
            .init()
            .unwrap();
        for (t, lr) in ours.iter().enumerate() {
            assert_close(*lr, burn.step().base(), &format!("Burn step at {t}"));
        }
    }
    // An epoch-based step decay is Burn's iteration step decay with step_size·iterations_per_epoch.
    let config = ScheduleConfig::step(0.1, 0.1, 3).with_unit(TimeUnit::Epoch);
    let ours = run(config, 50, STEPS);
    let mut burn = StepLrSchedulerConfig::new(0.1, 150)
        .with_gamma(0.1)
        .init()
        .unwrap();
    for lr in ours {
        assert_close(lr, burn.step().base(), "epoch step vs Burn");
    }
}

#[test]
fn matches_burns_exponential_scheduler_with_k_equal_minus_ln_gamma() {
    for (lr0, gamma) in [(0.1, 0.999), (1.0, 0.99), (0.01, 0.5)] {
        let ours = run(ScheduleConfig::exponential(lr0, -f64::ln(gamma)), 1, STEPS);
        let mut burn = ExponentialLrSchedulerConfig::new(lr0, gamma)
            .init()
            .unwrap();
        for (t, lr) in ours.iter().enumerate() {
            let b = burn.step().base();
            // Burn multiplies step by step, so allow for accumulated rounding.
            assert!(
                (lr - b).abs() <= 1e-9 * b.abs() + 1e-300,
                "exponential t={t}: ours {lr}, Burn {b}"
            );
        }
    }
}

#[test]
fn resumed_scheduler_continues_the_identical_sequence() {
    let configs = [
        ScheduleConfig::step(0.1, 0.5, 7).with_warmup(5),
        ScheduleConfig::exponential(0.1, 0.01).with_unit(TimeUnit::Epoch),
        ScheduleConfig::time_based(0.1, 0.02),
        ScheduleConfig::cosine(0.1, 0.001, 300).with_warmup(20),
    ];
    for config in configs {
        let full = run(config, 11, 600);
        let mut first = Scheduler::new(config, 11).unwrap();
        let head: Vec<f64> = (0..237).map(|_| first.step()).collect();
        // Through Burn's burnpack bytes, as a checkpoint would store it.
        let bytes = first.to_record().into_bytes().unwrap();
        let record = LrSchedulerRecord::from_bytes(bytes).unwrap();
        let mut resumed = Scheduler::new(config, 11).unwrap();
        resumed.load_record(record);
        assert_eq!(resumed.iteration(), 237);
        let tail: Vec<f64> = (237..600).map(|_| resumed.step()).collect();
        assert_eq!([head, tail].concat(), full, "{config}");
    }
}

#[test]
fn works_as_burns_module_scheduler_with_record() {
    let config = ScheduleConfig::time_based(0.1, 0.5);
    let mut module: ModuleLrScheduler = Scheduler::new(config, 1).unwrap().into();
    for t in 0..10 {
        assert_close(module.step().base(), lr_at(&config, t), "module step");
    }
    let record = module.to_record();
    let mut resumed =
        ModuleLrScheduler::from(Scheduler::new(config, 1).unwrap()).load_record(record);
    assert_close(resumed.step().base(), lr_at(&config, 10), "resumed module");
}

#[test]
fn json_round_trips() {
    for config in [
        ScheduleConfig::constant(0.01),
        ScheduleConfig::step(0.1, 0.1, 30)
            .with_unit(TimeUnit::Epoch)
            .with_warmup(5),
        ScheduleConfig::exponential(0.1, 1e-3),
        ScheduleConfig::time_based(0.1, 0.5),
        ScheduleConfig::cosine(0.1, 1e-5, 90).with_warmup(3),
    ] {
        let json = serde_json::to_string(&config).unwrap();
        let back: ScheduleConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, config, "{json}");
    }
    let parsed: ScheduleConfig = serde_json::from_str(
        r#"{"lr0":0.1,"decay":{"kind":"step","gamma":0.1,"step_size":30},"unit":"epoch"}"#,
    )
    .unwrap();
    assert_eq!(
        parsed,
        ScheduleConfig::step(0.1, 0.1, 30).with_unit(TimeUnit::Epoch)
    );
    let parsed: ScheduleConfig =
        serde_json::from_str(r#"{"lr0":0.1,"decay":{"kind":"cosine","period":10}}"#).unwrap();
    assert_eq!(
        parsed.decay,
        Decay::Cosine {
            min_lr: 0.0,
            period: Some(10)
        }
    );
}

#[test]
fn unknown_keys_and_kinds_are_rejected() {
    let err = json_error::<ScheduleConfig>(r#"{"lr0":0.1,"decay":{"kind":"constant"},"lr":1}"#);
    assert!(err.contains("unknown field `lr`"), "{err}");
    let err = json_error::<ScheduleConfig>(
        r#"{"lr0":0.1,"decay":{"kind":"step","gamma":0.1,"step_size":3,"gama":1}}"#,
    );
    assert!(err.contains("unknown field `gama`"), "{err}");
    let err = json_error::<ScheduleConfig>(r#"{"lr0":0.1,"decay":{"kind":"linear"}}"#);
    assert!(err.contains("unknown variant `linear`"), "{err}");
}

#[test]
fn invalid_configs_give_clear_errors() {
    let cases = [
        (
            ScheduleConfig::constant(-0.1),
            ScheduleError::InvalidLr(-0.1),
        ),
        (ScheduleConfig::constant(0.0), ScheduleError::InvalidLr(0.0)),
        (
            ScheduleConfig::exponential(0.1, -1.0),
            ScheduleError::InvalidK(-1.0),
        ),
        (
            ScheduleConfig::time_based(0.1, -0.5),
            ScheduleError::InvalidK(-0.5),
        ),
        (
            ScheduleConfig::step(0.1, 0.0, 3),
            ScheduleError::InvalidGamma(0.0),
        ),
        (
            ScheduleConfig::step(0.1, -0.5, 3),
            ScheduleError::InvalidGamma(-0.5),
        ),
        (
            ScheduleConfig::step(0.1, 0.5, 0),
            ScheduleError::ZeroStepSize,
        ),
        (
            ScheduleConfig::cosine(0.1, 0.0, 0),
            ScheduleError::ZeroPeriod,
        ),
        (
            ScheduleConfig::cosine(0.1, 0.2, 10),
            ScheduleError::InvalidMinLr {
                min_lr: 0.2,
                lr0: 0.1,
            },
        ),
    ];
    for (config, expected) in cases {
        assert_eq!(config.validate(), Err(expected.clone()));
        assert_eq!(Scheduler::new(config, 1).unwrap_err(), expected);
    }
    assert_eq!(
        ScheduleError::InvalidLr(-0.1).to_string(),
        "learning rate lr0 must be a positive finite number, got -0.1"
    );
    assert!(ScheduleConfig::constant(f64::NAN).validate().is_err());
    let epoch = ScheduleConfig::constant(0.1).with_unit(TimeUnit::Epoch);
    assert_eq!(
        Scheduler::new(epoch, 0).unwrap_err(),
        ScheduleError::ZeroIterationsPerEpoch
    );
}
