//! Each optimiser overfits a tiny problem through Burn's optimiser API; configs round-trip
//! through JSON and invalid ones are rejected with clear errors.

#[path = "common/json.rs"]
mod json;

use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig, Relu};
use burn::optim::GradientsParams;
use burn::tensor::{Device, Int, Tensor, TensorData};
use json::json_error;
use train::optimizer::{GradientClip, Method, OptimizerConfig, OptimizerError};

#[derive(Module, Debug)]
struct Mlp {
    fc1: Linear,
    fc2: Linear,
    relu: Relu,
}

impl Mlp {
    fn new(device: &Device) -> Self {
        Self {
            fc1: LinearConfig::new(4, 32).init(device),
            fc2: LinearConfig::new(32, 2).init(device),
            relu: Relu::new(),
        }
    }
    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.fc2.forward(self.relu.forward(self.fc1.forward(x)))
    }
}

/// 8 fixed pseudo-random points in [-1, 1]^4 (a small LCG) and 2 balanced classes.
fn data(device: &Device) -> (Tensor<2>, Tensor<1, Int>) {
    let mut state = 12345u64;
    let points: Vec<f32> = (0..32)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as f32 / (1u64 << 31) as f32) * 2.0 - 1.0
        })
        .collect();
    let x = Tensor::from_data(TensorData::new(points, [8, 4]), device);
    let y = Tensor::from_data(
        TensorData::new(vec![0i64, 1, 1, 0, 1, 0, 0, 1], [8]),
        device,
    );
    (x, y)
}

fn accuracy(model: &Mlp, x: Tensor<2>, y: Tensor<1, Int>) -> f32 {
    let pred = model.forward(x).argmax(1).squeeze_dim::<1>(1);
    pred.equal(y).int().sum().into_scalar::<i64>() as f32 / 8.0
}

/// Trains for `steps` and returns (first loss, last loss, accuracy).
fn train(config: OptimizerConfig, lr: f64, steps: usize) -> (f32, f32, f32) {
    let device = Device::flex().autodiff();
    device.seed(42);
    let mut model = Mlp::new(&device);
    let (x, y) = data(&device);
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let mut optim = config.init().unwrap();
    let mut first = None;
    let mut last = 0.0;
    for _ in 0..steps {
        let loss = loss_fn.forward(model.forward(x.clone()), y.clone());
        last = loss.clone().into_scalar::<f32>();
        first.get_or_insert(last);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optim.step(lr, model, grads);
    }
    (first.unwrap_or(last), last, accuracy(&model, x, y))
}

#[test]
fn every_optimizer_overfits_eight_points() {
    let cases = [
        (OptimizerConfig::sgd(), 0.5),
        (OptimizerConfig::momentum(0.9), 0.05),
        (OptimizerConfig::nesterov(0.9), 0.05),
        (OptimizerConfig::adam(), 0.01),
        (OptimizerConfig::adamw(), 0.01),
        (OptimizerConfig::rmsprop(), 0.005),
        (OptimizerConfig::adagrad(), 0.1),
        // Regularised and clipped variants still fit.
        (OptimizerConfig::momentum(0.9).with_weight_decay(1e-4), 0.05),
        (
            OptimizerConfig::adam().with_gradient_clipping(Some(GradientClip::Norm(1.0))),
            0.01,
        ),
        (
            OptimizerConfig::sgd().with_gradient_clipping(Some(GradientClip::Value(0.5))),
            0.5,
        ),
    ];
    for (config, lr) in cases {
        let (first, last, acc) = train(config, lr, 400);
        assert_eq!(
            acc, 1.0,
            "{config:?}: accuracy {acc}, loss {first} -> {last}"
        );
        assert!(last < 0.1 * first, "{config:?}: loss {first} -> {last}");
    }
}

#[test]
fn from_name_gives_pytorch_defaults() {
    assert_eq!(Method::NAMES.len(), 7);
    for name in Method::NAMES {
        let config = OptimizerConfig::from_name(name).unwrap();
        assert_eq!(config.method.name(), name);
        config.init().unwrap();
    }
    assert_eq!(
        OptimizerConfig::adam().method,
        Method::Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8
        }
    );
    assert_eq!(
        OptimizerConfig::rmsprop().method,
        Method::RmsProp {
            alpha: 0.99,
            eps: 1e-8,
            momentum: 0.0,
            centered: false
        }
    );
    assert_eq!(
        OptimizerConfig::adagrad().method,
        Method::AdaGrad {
            lr_decay: 0.0,
            eps: 1e-10
        }
    );
    assert_eq!(
        OptimizerConfig::from_name("momentum").unwrap().method,
        Method::Momentum {
            momentum: 0.9,
            dampening: 0.0
        }
    );
    let err = OptimizerConfig::from_name("adadelta").unwrap_err();
    assert_eq!(err, OptimizerError::UnknownName("adadelta".into()));
    assert!(
        err.to_string()
            .contains("sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad")
    );
}

#[test]
fn json_round_trips() {
    let configs = [
        OptimizerConfig::sgd(),
        OptimizerConfig::momentum(0.8).with_weight_decay(5e-4),
        OptimizerConfig::nesterov(0.9).with_gradient_clipping(Some(GradientClip::Norm(2.0))),
        OptimizerConfig::adam().with_gradient_clipping(Some(GradientClip::Value(1.0))),
        OptimizerConfig::adamw(),
        OptimizerConfig::rmsprop(),
        OptimizerConfig::adagrad(),
    ];
    for config in configs {
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(
            serde_json::from_str::<OptimizerConfig>(&json).unwrap(),
            config,
            "{json}"
        );
    }
    let parsed: OptimizerConfig = serde_json::from_str(
        r#"{"method":{"kind":"momentum","momentum":0.9},"weight_decay":5e-4,"gradient_clipping":{"norm":1.0}}"#,
    )
    .unwrap();
    assert_eq!(
        parsed,
        OptimizerConfig::momentum(0.9)
            .with_weight_decay(5e-4)
            .with_gradient_clipping(Some(GradientClip::Norm(1.0)))
    );
}

#[test]
fn invalid_configs_give_clear_errors() {
    let err = json_error::<OptimizerConfig>(r#"{"method":{"kind":"adam","beta":0.9}}"#);
    assert!(err.contains("unknown field `beta`"), "{err}");
    let err = json_error::<OptimizerConfig>(r#"{"method":{"kind":"sgd"},"decay":0.1}"#);
    assert!(err.contains("unknown field `decay`"), "{err}");

    let err = OptimizerConfig::momentum(1.5).init().err().unwrap();
    assert_eq!(
        err.to_string(),
        "optimizer momentum: momentum must be in [0, 1), got 1.5"
    );
    let err = OptimizerConfig::sgd()
        .with_weight_decay(-1e-4)
        .validate()
        .unwrap_err();
    assert!(
        err.to_string().contains("weight_decay must be >= 0"),
        "{err}"
    );
    let err = OptimizerConfig::adamw()
        .with_weight_decay(1e-4)
        .validate()
        .unwrap_err();
    assert_eq!(err, OptimizerError::CoupledDecayWithAdamW(1e-4));
    let bad_eps = OptimizerConfig::from(Method::Adam {
        beta1: 0.9,
        beta2: 0.999,
        eps: 0.0,
    });
    assert!(
        bad_eps
            .validate()
            .unwrap_err()
            .to_string()
            .contains("eps must be > 0")
    );
    let bad_clip = OptimizerConfig::sgd().with_gradient_clipping(Some(GradientClip::Norm(0.0)));
    assert!(bad_clip.validate().is_err());
}
