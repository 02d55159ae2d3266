//! Layer tests against hand-computed values: Burn's own convolution, max pooling and LRN against
//! their formulas, and the layers of `model::layers` (locally connected, Lp pooling, maxout, max
//! unpooling).

use burn::module::Param;
use burn::nn::conv::Conv2dConfig;
use burn::nn::pool::MaxPool2dConfig;
use burn::nn::{LocalResponseNormConfig, PaddingConfig2d};
use burn::tensor::module::{max_pool2d, max_pool2d_with_indices};
use burn::tensor::ops::MaxPoolOptions;
use burn::tensor::{Device, Distribution, Int, Tensor, TensorData};
use model::layers::{
    LayerError, LocallyConnected2dConfig, LpPool2dConfig, MaxUnpool2dConfig, MaxoutConfig,
};

fn device() -> Device {
    Device::flex()
}

fn floats<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().convert::<f32>().try_to_vec::<f32>().unwrap()
}

fn ints<const D: usize>(t: Tensor<D, Int>) -> Vec<i64> {
    t.into_data().convert::<i64>().try_to_vec::<i64>().unwrap()
}

fn tensor<const D: usize>(values: &[f32], shape: [usize; D], device: &Device) -> Tensor<D> {
    Tensor::from_data(TensorData::new(values.to_vec(), shape), device)
}

fn assert_close(actual: &[f32], expected: &[f32], tol: f32) {
    assert_eq!(actual.len(), expected.len(), "lengths differ");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            (a - e).abs() <= tol * (1.0 + e.abs()),
            "element {i}: got {a}, expected {e}"
        );
    }
}

/// The 5×5 plane used by the pooling examples (no ties inside any 2×2 or 3×3 window maximum).
const PLANE: [f32; 25] = [
    1., 3., 2., 0., 4., //
    5., 1., 0., 1., 1., //
    2., 6., 3., 1., 0., //
    0., 1., 4., 7., 2., //
    3., 2., 1., 0., 5., //
];

// ---------------------------------------------------------------- Burn's layers vs formulas

#[test]
fn conv2d_output_size_follows_the_formula() {
    let dev = device();
    // (input [h, w], kernel, padding, stride, expected [out_h, out_w])
    type Case = ([usize; 2], usize, usize, usize, [usize; 2]);
    let cases: [Case; 8] = [
        ([32, 32], 5, 0, 1, [28, 28]),    // LeNet-5 C1
        ([227, 227], 11, 0, 4, [55, 55]), // AlexNet conv1, paper size
        ([224, 224], 11, 2, 4, [55, 55]), // AlexNet conv1, torchvision
        ([28, 28], 3, 1, 1, [28, 28]),    // "same" 3×3
        ([7, 7], 3, 1, 2, [4, 4]),
        ([8, 8], 3, 1, 2, [4, 4]),         // floor drops the last position
        ([224, 224], 7, 3, 2, [112, 112]), // ResNet stem
        ([9, 6], 4, 2, 3, [4, 3]),         // (13 − 4)/3 + 1, (10 − 4)/3 + 1
    ];
    for (input, k, p, s, expected) in cases {
        let conv = Conv2dConfig::new([2, 3], [k, k])
            .with_stride([s, s])
            .with_padding(PaddingConfig2d::Explicit(p, p, p, p))
            .init(&dev);
        let out = conv.forward(Tensor::zeros([1, 2, input[0], input[1]], &dev));
        let formula = input.map(|n| (n + 2 * p - k) / s + 1);
        assert_eq!(formula, expected, "formula for {input:?} k{k} p{p} s{s}");
        assert_eq!(out.dims(), [1, 3, expected[0], expected[1]]);
    }
}

#[test]
fn max_pool_on_a_5x5_plane_by_hand() {
    let dev = device();
    let x = tensor(&PLANE, [1, 1, 5, 5], &dev);

    // 2×2, stride 2: the last row and column fall outside every window.
    let pool = MaxPool2dConfig::new([2, 2]).init();
    assert_eq!(floats(pool.forward(x.clone())), [5., 2., 6., 7.]);

    // 3×3, stride 2 (AlexNet's overlapping pooling).
    let pool = MaxPool2dConfig::new([3, 3]).with_strides([2, 2]).init();
    assert_eq!(floats(pool.forward(x.clone())), [6., 4., 6., 7.]);

    // The switches are flat row·5 + col indices into the 5×5 plane.
    let (values, switches) = max_pool2d_with_indices(x, MaxPoolOptions::new([2, 2]));
    assert_eq!(floats(values), [5., 2., 6., 7.]);
    assert_eq!(ints(switches), [5, 2, 11, 18]);
}

#[test]
fn local_response_norm_matches_its_formula() {
    let dev = device();
    let (n, alpha, beta, k) = (3usize, 0.3f64, 0.75f64, 2.0f64);
    let channels = 5usize;
    let a: Vec<f32> = (0..channels * 2).map(|i| (i as f32 - 4.0) * 0.7).collect();
    let lrn = LocalResponseNormConfig::new(n)
        .with_alpha(alpha)
        .with_beta(beta)
        .with_k(k)
        .init();
    let out = floats(lrn.forward(tensor(&a, [1, channels, 1, 2], &dev)));

    // Burn's convention (as PyTorch's): b_i = a_i / (k + α/n · Σ_{|j−i| ≤ n/2} a_j²)^β,
    // the window clipped at the first and last channel.
    let at = |c: usize, s: usize| a[c * 2 + s] as f64;
    let mut expected = Vec::new();
    for c in 0..channels {
        for s in 0..2 {
            let lo = c.saturating_sub(n / 2);
            let hi = (c + n / 2).min(channels - 1);
            let sum: f64 = (lo..=hi).map(|j| at(j, s).powi(2)).sum();
            expected.push((at(c, s) / (k + alpha / n as f64 * sum).powf(beta)) as f32);
        }
    }
    assert_close(&out, &expected, 1e-5);

    // One value by hand: channel 0, first position: a = −2.8, window {−2.8, −1.4}.
    let sum = 2.8f64 * 2.8 + 1.4 * 1.4;
    let by_hand = -2.8 / (2.0 + 0.1 * sum).powf(0.75);
    assert!((out[0] as f64 - by_hand).abs() < 1e-5);
    // ...which is not the α·Σ (undivided) convention of Krizhevsky et al.'s paper.
    let undivided = -2.8 / (2.0 + 0.3 * sum).powf(0.75);
    assert!((out[0] as f64 - undivided).abs() > 1e-2);
}

// ---------------------------------------------------------------- locally connected

#[test]
fn locally_connected_with_equal_weights_is_a_convolution() {
    let dev = device();
    dev.seed(7);
    let (c_in, c_out, k, input) = (2, 3, 3, [6, 5]);
    let conv = Conv2dConfig::new([c_in, c_out], [k, k])
        .with_stride([2, 2])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .init(&dev);
    let mut local = LocallyConnected2dConfig::new([c_in, c_out], [k, k], input)
        .with_stride([2, 2])
        .with_padding([1, 1])
        .init(&dev)
        .unwrap();
    let [out_h, out_w] = local.output_size;
    assert_eq!([out_h, out_w], [3, 3]);
    let positions = out_h * out_w;
    assert_eq!(local.weight.dims(), [positions, c_out, c_in * k * k]);

    let shared = conv.weight.val().reshape([1, c_out, c_in * k * k]);
    local.weight = Param::from_tensor(shared.repeat_dim(0, positions));
    let bias = conv.bias.as_ref().unwrap().val().reshape([c_out, 1, 1]);
    local.bias = Some(Param::from_tensor(
        bias.repeat_dim(1, out_h).repeat_dim(2, out_w),
    ));

    let x = Tensor::random(
        [2, c_in, input[0], input[1]],
        Distribution::Normal(0., 1.),
        &dev,
    );
    let expected = conv.forward(x.clone());
    let actual = local.forward(x.clone());
    assert_eq!(actual.dims(), [2, c_out, out_h, out_w]);
    assert_close(&floats(actual), &floats(expected.clone()), 1e-5);

    // Without sharing, zeroing the first position's weights changes only that position.
    let mut first_zero = floats(local.weight.val());
    first_zero[..c_out * c_in * k * k].fill(0.);
    local.weight = Param::from_tensor(tensor(&first_zero, [positions, c_out, c_in * k * k], &dev));
    local.bias = None;
    let conv_no_bias = floats(expected - conv.bias.unwrap().val().reshape([1, c_out, 1, 1]));
    let out = floats(local.forward(x));
    for (i, (a, e)) in out.iter().zip(&conv_no_bias).enumerate() {
        let e = if i % positions == 0 { 0. } else { *e };
        assert!((a - e).abs() < 1e-4, "element {i}: {a} vs {e}");
    }
}

#[test]
fn locally_connected_counts_and_rejects() {
    let dev = device();
    // DeepFace's L4-like shape in small: one 9-weight filter per output unit.
    let local = LocallyConnected2dConfig::new([1, 2], [3, 3], [5, 5])
        .init(&dev)
        .unwrap();
    use burn::module::Module;
    assert_eq!(local.num_params(), 9 * 2 * 9 + 2 * 9);

    let zero = LocallyConnected2dConfig::new([1, 2], [0, 3], [5, 5]).init(&dev);
    assert!(matches!(
        zero,
        Err(LayerError::ZeroSize {
            what: "kernel_size",
            ..
        })
    ));
    let small = LocallyConnected2dConfig::new([1, 2], [7, 3], [5, 5]).init(&dev);
    assert!(matches!(small, Err(LayerError::InputTooSmall { .. })));
    let fits = LocallyConnected2dConfig::new([1, 2], [7, 3], [5, 5]).with_padding([1, 0]);
    assert_eq!(fits.output_size().unwrap(), [1, 3]);
}

// ---------------------------------------------------------------- Lp pooling

/// 4×4 plane, windows 2×2 stride 2: {1,−2,3,0}, {−1,2,−2,0}, {3,4,0,0}, {0,0,0,0}.
const SIGNED: [f32; 16] = [
    1., -2., -1., 2., //
    3., 0., -2., 0., //
    3., 4., 0., 0., //
    0., 0., 0., 0., //
];

#[test]
fn lp_pool_p1_is_the_sum_of_absolute_values() {
    let dev = device();
    let pool = LpPool2dConfig::new(1., [2, 2]).init().unwrap();
    let out = pool.forward(tensor(&SIGNED, [1, 1, 4, 4], &dev));
    assert_eq!(out.dims(), [1, 1, 2, 2]);
    assert_close(&floats(out), &[6., 5., 7., 0.], 1e-6);
}

#[test]
fn lp_pool_p2_by_hand() {
    let dev = device();
    let pool = LpPool2dConfig::new(2., [2, 2]).init().unwrap();
    let out = floats(pool.forward(tensor(&SIGNED, [1, 1, 4, 4], &dev)));
    // √(1+4+9), √(1+4+4), √(9+16), 0: the window is summed (PyTorch's LPPool2d), not averaged.
    assert_close(&out, &[14f32.sqrt(), 3., 5., 0.], 1e-6);

    // Overlapping windows (3×3, stride 1) with zero padding 1 on the 5×5 plane: the centre
    // output covers rows 1..4, cols 1..4.
    let pool = LpPool2dConfig::new(2., [3, 3])
        .with_strides([1, 1])
        .with_padding([1, 1])
        .init()
        .unwrap();
    let out = pool.forward(tensor(&PLANE, [1, 1, 5, 5], &dev));
    assert_eq!(out.dims(), [1, 1, 5, 5]);
    let centre: f32 = [1., 0., 1., 6., 3., 1., 1., 4., 7.]
        .iter()
        .map(|v: &f32| v * v)
        .sum::<f32>()
        .sqrt();
    let corner = (1f32 + 9. + 25. + 1.).sqrt();
    let out = floats(out);
    assert_close(&[out[12], out[0]], &[centre, corner], 1e-6);
}

#[test]
fn lp_pool_large_p_approaches_max_pooling() {
    let dev = device();
    dev.seed(11);
    let x = Tensor::<4>::random([2, 3, 8, 8], Distribution::Normal(0., 3.), &dev);
    let max = floats(max_pool2d(x.clone().abs(), MaxPoolOptions::new([2, 2])));
    for p in [64., 512.] {
        let pool = LpPool2dConfig::new(p, [2, 2]).init().unwrap();
        let out = floats(pool.forward(x.clone()));
        // max ≤ ‖x‖_p ≤ 4^(1/p)·max for a 4-element window; no overflow even for p = 512.
        let bound = 4f32.powf(1. / p as f32);
        for (o, m) in out.iter().zip(&max) {
            assert!(o.is_finite());
            assert!(
                *o >= m * (1. - 1e-5) && *o <= m * bound * (1. + 1e-5),
                "{o} vs {m}"
            );
        }
    }
}

#[test]
fn lp_pool_gradient_is_finite_on_zero_windows_and_configs_are_checked() {
    let dev = device().autodiff();
    let x = tensor(&SIGNED, [1, 1, 4, 4], &dev).require_grad();
    let pool = LpPool2dConfig::new(2., [2, 2]).init().unwrap();
    let grads = pool.forward(x.clone()).sum().backward();
    let g = floats(x.grad(&grads).unwrap());
    assert!(g.iter().all(|v| v.is_finite()));
    // d‖w‖₂/dx = x/‖w‖₂ in the window {3, 4, 0, 0} (positions 8, 9), 0 in the zero window.
    assert_close(&[g[8], g[9], g[10], g[15]], &[0.6, 0.8, 0., 0.], 1e-6);

    for p in [0.5, f64::NAN, f64::INFINITY] {
        let err = LpPool2dConfig::new(p, [2, 2]).init();
        assert!(matches!(err, Err(LayerError::InvalidNorm { .. })));
    }
    let err = LpPool2dConfig::new(2., [2, 0]).init();
    assert!(matches!(err, Err(LayerError::ZeroSize { .. })));
}

// ---------------------------------------------------------------- max unpooling

#[test]
fn max_unpool_puts_each_value_at_its_switch() {
    let dev = device();
    let unpool = MaxUnpool2dConfig::new([2, 2]).init().unwrap();
    let values = tensor(&[10., 20., 30., 40., 1., 2., 3., 4.], [1, 2, 2, 2], &dev);
    let switches = Tensor::<4, Int>::from_ints([[[[0, 3], [9, 14]], [[5, 2], [8, 15]]]], &dev);
    let out = unpool.forward(values, switches);
    assert_eq!(out.dims(), [1, 2, 4, 4]);
    let mut expected = [0f32; 32];
    for (i, v) in [(0, 10.), (3, 20.), (9, 30.), (14, 40.)] {
        expected[i] = v;
    }
    for (i, v) in [(5, 1.), (2, 2.), (8, 3.), (15, 4.)] {
        expected[16 + i] = v;
    }
    assert_eq!(floats(out), expected);
}

#[test]
fn unpool_after_pool_keeps_the_maxima_and_zeros_elsewhere() {
    let dev = device();
    // The 5×5 example: 2×2 pooling loses row and column 4, so the size is passed explicitly.
    let x = tensor(&PLANE, [1, 1, 5, 5], &dev);
    let (pooled, switches) = max_pool2d_with_indices(x, MaxPoolOptions::new([2, 2]));
    let unpool = MaxUnpool2dConfig::new([2, 2]).init().unwrap();
    assert_eq!(unpool.output_size([2, 2]), [4, 4]);
    let out = floats(unpool.forward_with_output_size(pooled, switches, [5, 5]));
    let mut expected = [0f32; 25];
    for (i, v) in [(5, 5.), (2, 2.), (11, 6.), (18, 7.)] {
        expected[i] = v;
    }
    assert_eq!(out, expected);

    // Overlapping 3×3 / 2 pooling: the 6 at index 11 is the maximum of two windows.
    let x = tensor(&PLANE, [1, 1, 5, 5], &dev);
    let options = MaxPoolOptions::new([3, 3]).with_stride([2, 2]);
    let (pooled, switches) = max_pool2d_with_indices(x, options);
    let unpool = MaxUnpool2dConfig::new([3, 3])
        .with_strides([2, 2])
        .init()
        .unwrap();
    let out = floats(unpool.forward(pooled, switches));
    let mut expected = [0f32; 25];
    for (i, v) in [(11, 6.), (4, 4.), (18, 7.)] {
        expected[i] = v;
    }
    assert_eq!(out, expected);

    // Random batch: every output is its input or 0, and pooling it again gives the same maxima.
    dev.seed(3);
    let x = Tensor::<4>::random([2, 3, 6, 6], Distribution::Normal(0., 1.), &dev);
    let (pooled, switches) = max_pool2d_with_indices(x.clone(), MaxPoolOptions::new([2, 2]));
    let out = MaxUnpool2dConfig::new([2, 2])
        .init()
        .unwrap()
        .forward(pooled.clone(), switches);
    let (flat_x, flat_out) = (floats(x), floats(out.clone()));
    assert_eq!(flat_out.iter().filter(|v| **v != 0.).count(), 2 * 3 * 9);
    assert!(
        flat_out
            .iter()
            .zip(&flat_x)
            .all(|(o, x)| *o == 0. || o == x)
    );
    // (a window whose maximum is negative pools to 0 after unpooling; compare where positive)
    let again = floats(max_pool2d(out, MaxPoolOptions::new([2, 2])));
    for (a, p) in again.iter().zip(floats(pooled)) {
        assert_eq!(*a, p.max(0.));
    }
}

#[test]
fn max_unpool_gradient_flows_only_through_the_switches() {
    let dev = device().autodiff();
    let x = tensor(&PLANE, [1, 1, 5, 5], &dev).require_grad();
    let (pooled, switches) = max_pool2d_with_indices(x.clone(), MaxPoolOptions::new([2, 2]));
    let unpool = MaxUnpool2dConfig::new([2, 2]).init().unwrap();
    let out = unpool.forward_with_output_size(pooled, switches, [5, 5]);
    let weights: Vec<f32> = (1..=25).map(|i| i as f32).collect();
    let loss = (out * tensor(&weights, [1, 1, 5, 5], &dev)).sum();
    let grads = loss.backward();
    let g = floats(x.grad(&grads).unwrap());
    let mut expected = [0f32; 25];
    for i in [5, 2, 11, 18] {
        expected[i] = weights[i];
    }
    assert_eq!(g, expected);

    let err = MaxUnpool2dConfig::new([2, 2]).with_strides([0, 1]).init();
    assert!(matches!(
        err,
        Err(LayerError::ZeroSize {
            what: "strides",
            ..
        })
    ));
}

// ---------------------------------------------------------------- backends

/// The layers use only backend-neutral tensor operations: Flex and NdArray agree.
#[test]
#[allow(deprecated)] // Device::ndarray is deprecated in Burn 0.22 but still a supported backend.
fn layers_agree_on_flex_and_ndarray() {
    let run = |dev: Device| -> Vec<Vec<f32>> {
        let x = tensor(&PLANE, [1, 1, 5, 5], &dev).repeat_dim(1, 4);
        let x = x.clone() - x.clone().mul_scalar(0.3).cos();
        let mut local = LocallyConnected2dConfig::new([4, 2], [3, 3], [5, 5])
            .with_stride([2, 2])
            .with_padding([1, 1])
            .init(&dev)
            .unwrap();
        let weights: Vec<f32> = (0..9 * 2 * 36)
            .map(|i| ((i % 7) as f32 - 3.) * 0.1)
            .collect();
        local.weight = Param::from_tensor(tensor(&weights, [9, 2, 36], &dev));
        local.bias = None;
        let lp = LpPool2dConfig::new(3., [3, 3])
            .with_strides([2, 2])
            .init()
            .unwrap();
        let maxout = MaxoutConfig::new(2).init().unwrap();
        let options = MaxPoolOptions::new([3, 3]).with_stride([2, 2]);
        let (pooled, switches) = max_pool2d_with_indices(x.clone(), options);
        let unpool = MaxUnpool2dConfig::new([3, 3])
            .with_strides([2, 2])
            .init()
            .unwrap();
        vec![
            floats(local.forward(x.clone())),
            floats(lp.forward(x.clone())),
            floats(maxout.forward(x)),
            floats(unpool.forward(pooled, switches)),
        ]
    };
    let (flex, ndarray) = (run(Device::flex()), run(Device::ndarray()));
    for (f, n) in flex.iter().zip(&ndarray) {
        assert_close(f, n, 1e-5);
    }
}
