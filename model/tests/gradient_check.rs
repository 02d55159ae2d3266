//! Autodiff gradients of the layers the segmentation nets are built from, against central finite
//! differences on the same backend: transposed convolution (the decoders' up-sampling), padded
//! convolution, max pooling and batch norm. A wrong backward pass here would let a net train while
//! quietly ignoring part of itself.

use burn::module::Param;
use burn::nn::conv::{Conv2dConfig, ConvTranspose2dConfig};
use burn::nn::{BatchNormConfig, PaddingConfig2d};
use burn::tensor::{Device, Distribution, Tensor};
use model::builders::max_pool;

/// Largest |autodiff − finite difference| over `probes` input positions of `f(x)·r` summed.
fn check_input_grad(f: impl Fn(Tensor<4>) -> Tensor<4>, shape: [usize; 4], probes: &[usize]) {
    let device = Device::flex().autodiff();
    device.seed(7);
    let x = Tensor::<4>::random(shape, Distribution::Normal(0.0, 1.0), &device).require_grad();
    let out_shape = f(x.clone().detach()).dims();
    let r = Tensor::<4>::random(out_shape, Distribution::Normal(0.0, 1.0), &device);
    let objective = |x: Tensor<4>| (f(x) * r.clone()).sum();
    let grads = objective(x.clone()).backward();
    let g: Vec<f32> = x
        .grad(&grads)
        .expect("gradient")
        .into_data()
        .try_to_vec::<f32>()
        .expect("f32");
    let base: Vec<f32> = x
        .clone()
        .detach()
        .into_data()
        .try_to_vec::<f32>()
        .expect("f32");
    let eps = 1e-2f32;
    for &i in probes {
        let shifted = |delta: f32| {
            let mut v = base.clone();
            v[i] += delta;
            let t = Tensor::<4>::from_data(burn::tensor::TensorData::new(v, shape), &device);
            objective(t).into_scalar::<f32>()
        };
        let numeric = (shifted(eps) - shifted(-eps)) / (2.0 * eps);
        assert!(
            (numeric - g[i]).abs() <= 2e-2 * (1.0 + numeric.abs()),
            "input {i}: autodiff {} vs finite difference {numeric}",
            g[i]
        );
    }
}

const PROBES: [usize; 6] = [0, 5, 17, 40, 63, 101];

#[test]
fn transposed_convolution_input_gradient() {
    let device = Device::flex().autodiff();
    let layer = ConvTranspose2dConfig::new([3, 4], [2, 2])
        .with_stride([2, 2])
        .init(&device);
    check_input_grad(|x| layer.forward(x), [2, 3, 5, 5], &PROBES);
}

#[test]
fn transposed_convolution_weight_gradient_moves_the_output() {
    // The weight gradient of Σ y·r must equal the correlation of x with r at each tap.
    let device = Device::flex().autodiff();
    device.seed(3);
    let mut layer = ConvTranspose2dConfig::new([1, 1], [2, 2])
        .with_stride([2, 2])
        .with_bias(false)
        .init(&device);
    layer.weight = Param::from_tensor(
        Tensor::<4>::random([1, 1, 2, 2], Distribution::Normal(0.0, 1.0), &device).require_grad(),
    );
    let x = Tensor::<4>::random([1, 1, 3, 3], Distribution::Normal(0.0, 1.0), &device);
    let r = Tensor::<4>::random([1, 1, 6, 6], Distribution::Normal(0.0, 1.0), &device);
    let grads = (layer.forward(x.clone()) * r.clone()).sum().backward();
    let g: Vec<f32> = layer
        .weight
        .val()
        .grad(&grads)
        .expect("gradient")
        .into_data()
        .try_to_vec::<f32>()
        .expect("f32");
    let xs: Vec<f32> = x.into_data().try_to_vec::<f32>().expect("f32");
    let rs: Vec<f32> = r.into_data().try_to_vec::<f32>().expect("f32");
    for ki in 0..2 {
        for kj in 0..2 {
            let mut expected = 0.0f32;
            for i in 0..3 {
                for j in 0..3 {
                    expected += xs[i * 3 + j] * rs[(2 * i + ki) * 6 + (2 * j + kj)];
                }
            }
            let got = g[ki * 2 + kj];
            assert!(
                (got - expected).abs() < 1e-4 * (1.0 + expected.abs()),
                "tap ({ki},{kj}): {got} vs {expected}"
            );
        }
    }
}

#[test]
fn padded_convolution_input_gradient() {
    let device = Device::flex().autodiff();
    let layer = Conv2dConfig::new([3, 4], [3, 3])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .init(&device);
    check_input_grad(|x| layer.forward(x), [2, 3, 5, 5], &PROBES);
}

#[test]
fn max_pool_input_gradient() {
    check_input_grad(|x| max_pool(x, 2, 2, 0, false), [2, 3, 6, 6], &PROBES);
}

#[test]
fn batch_norm_training_input_gradient() {
    let device = Device::flex().autodiff();
    let layer = BatchNormConfig::new(3).init(&device);
    check_input_grad(|x| layer.forward(x), [2, 3, 5, 5], &PROBES);
}
