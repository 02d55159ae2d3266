//! L1 / L2 penalties: values, gradients (λ·sign(θ) and λ·θ) and skipping of running statistics.

use burn::module::Module;
use burn::nn::{BatchNorm, BatchNormConfig, Linear, LinearConfig};
use burn::tensor::{Device, Tensor};
use train::regularization::{
    Regularization, RegularizationError, l1_norm, penalty, squared_l2_norm,
};

#[derive(Module, Debug)]
struct Net {
    fc: Linear,
    bn: BatchNorm,
}

fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().try_to_vec::<f32>().unwrap()
}

/// An autodiff device seeded with `seed` and the net on it.
fn seeded(seed: u64) -> (Device, Net) {
    let device = Device::flex().autodiff();
    device.seed(seed);
    let net = net(&device);
    (device, net)
}

fn net(device: &Device) -> Net {
    Net {
        fc: LinearConfig::new(5, 3).init(device),
        bn: BatchNormConfig::new(3).init(device),
    }
}

#[test]
fn l1_gradient_is_lambda_times_sign() {
    let (device, net) = seeded(7);
    let lambda = 0.03;
    let p = penalty(&net, &Regularization::l1(lambda), &device);
    let grads = p.backward();
    let weight = net.fc.weight.val();
    let g = values(weight.grad(&grads).unwrap());
    let w = values(weight.clone());
    assert_eq!(g.len(), 15);
    for (g, w) in g.iter().zip(&w) {
        assert!(*w != 0.0);
        assert!(
            (g - lambda as f32 * w.signum()).abs() < 1e-7,
            "grad {g} for θ={w}"
        );
    }
    let bias = net.fc.bias.as_ref().unwrap().val();
    for (g, b) in values(bias.grad(&grads).unwrap()).iter().zip(values(bias)) {
        let sign = if b == 0.0 { 0.0 } else { b.signum() };
        assert!((g - lambda as f32 * sign).abs() < 1e-7);
    }
    // BatchNorm γ = 1 everywhere: gradient λ.
    let gamma = values(net.bn.gamma.val().grad(&grads).unwrap());
    assert!(
        gamma.iter().all(|g| (g - lambda as f32).abs() < 1e-7),
        "{gamma:?}"
    );
}

#[test]
fn l2_gradient_is_lambda_times_theta_like_weight_decay() {
    let (device, net) = seeded(11);
    let lambda = 0.2;
    let grads = penalty(&net, &Regularization::l2(lambda), &device).backward();
    let weight = net.fc.weight.val();
    let g = values(weight.grad(&grads).unwrap());
    for (g, w) in g.iter().zip(values(weight)) {
        assert!((g - lambda as f32 * w).abs() < 1e-6);
    }
}

#[test]
fn values_match_hand_sums_and_skip_running_statistics() {
    let device = Device::flex();
    device.seed(3);
    let net = net(&device);
    let w = values(net.fc.weight.val());
    let b = values(net.fc.bias.as_ref().unwrap().val());
    // BatchNorm: γ = 1 (3 ones), β = 0; running_var = 1 must NOT count, nor running_mean.
    let l1: f32 = w.iter().chain(&b).map(|x| x.abs()).sum::<f32>() + 3.0;
    let sq: f32 = w.iter().chain(&b).map(|x| x * x).sum::<f32>() + 3.0;
    let got_l1 = l1_norm(&net, &device).into_scalar::<f32>();
    let got_sq = squared_l2_norm(&net, &device).into_scalar::<f32>();
    assert!((got_l1 - l1).abs() < 1e-5, "{got_l1} vs {l1}");
    assert!((got_sq - sq).abs() < 1e-5, "{got_sq} vs {sq}");

    let both = penalty(&net, &Regularization::elastic_net(0.1, 0.4), &device).into_scalar::<f32>();
    assert!((both - (0.1 * l1 + 0.2 * sq)).abs() < 1e-5);

    // A lone BatchNorm: only γ (ones) and β (zeros) count.
    let bn = BatchNormConfig::new(4).init(&device);
    assert_eq!(l1_norm(&bn, &device).into_scalar::<f32>(), 4.0);
}

#[test]
fn zero_coefficients_give_zero() {
    let device = Device::flex();
    let net = net(&device);
    assert_eq!(
        penalty(&net, &Regularization::none(), &device).into_scalar::<f32>(),
        0.0
    );
}

#[test]
fn config_round_trips_and_validates() {
    let r = Regularization::elastic_net(1e-4, 5e-4);
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<Regularization>(&json).unwrap(), r);
    assert_eq!(
        serde_json::from_str::<Regularization>("{}").unwrap(),
        Regularization::none()
    );
    assert!(serde_json::from_str::<Regularization>(r#"{"l3":1}"#).is_err());
    assert_eq!(
        Regularization::l1(-1.0).validate(),
        Err(RegularizationError::InvalidCoefficient {
            name: "l1",
            value: -1.0
        })
    );
    assert!(Regularization::l2(f64::INFINITY).validate().is_err());
    assert!(r.validate().is_ok());
}
