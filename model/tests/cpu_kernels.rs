//! Our CPU kernels (`model::ops` on a Flex device) against Burn's own operations on the same
//! inputs: forward values and every gradient (input, weight, bias; γ, β, residual), over a sweep of
//! shapes — kernel 1/3/5/7/11, stride 1/2/4, padding 0/1/2/5, groups 1 and 2, batch 1 and 3,
//! channel counts that are not multiples of the SIMD width, non-square inputs, dilation and
//! asymmetric padding; transposed convolutions; batch norm fused with ReLU and the residual add,
//! in training mode (including the running statistics) and evaluation mode. Plus finite
//! differences for the fused batch norm, and errors for degenerate geometries.

use burn::module::Param;
use burn::nn::conv::{Conv2d, Conv2dConfig, ConvTranspose2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, PaddingConfig2d};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Distribution, Gradients, Tensor, TensorData};
use model::cpu::geometry::{ConvGeometry, conv_out_len};
use model::ops::{self, Then};

fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().try_to_vec::<f32>().expect("f32 data")
}

/// max |a − b| ≤ tol · (1 + max |b|), with a message naming `what`.
fn assert_close(a: &[f32], b: &[f32], tol: f32, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths differ");
    let scale = 1.0 + b.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let worst = a
        .iter()
        .zip(b)
        .fold(0.0f32, |m, (x, y)| m.max((x - y).abs()));
    assert!(
        worst <= tol * scale,
        "{what}: max difference {worst} (scale {scale})"
    );
}

fn random<const D: usize>(shape: [usize; D], device: &Device) -> Tensor<D> {
    Tensor::random(shape, Distribution::Normal(0.0, 1.0), device)
}

/// Runs `ours` and `theirs` on copies of `x` and asserts that their outputs (within `tol.0`) and
/// input gradients against a random projection of the output (within `tol.1`) agree; returns both
/// backward passes' gradients.
fn compare_io(
    what: &str,
    x: Tensor<4>,
    ours: impl Fn(Tensor<4>) -> Tensor<4>,
    theirs: impl Fn(Tensor<4>) -> Tensor<4>,
    tol: (f32, f32),
) -> (Gradients, Gradients) {
    let (xa, xb) = (x.clone().require_grad(), x.require_grad());
    let (ya, yb) = (ours(xa.clone()), theirs(xb.clone()));
    assert_eq!(ya.dims(), yb.dims(), "{what}: output shape");
    let r = random(ya.dims(), &ya.device());
    let ga = (ya.clone() * r.clone()).sum().backward();
    let gb = (yb.clone() * r).sum().backward();
    assert_close(&values(ya), &values(yb), tol.0, &format!("{what}: forward"));
    let dx = |g, t: &Tensor<4>| values(t.grad(g).expect("input gradient"));
    let what = format!("{what}: input gradient");
    assert_close(&dx(&ga, &xa), &dx(&gb, &xb), tol.1, &what);
    (ga, gb)
}

/// Forward values and the gradients of the input, `weight` and `bias` of `ours(x)` and
/// `theirs(x)` (the same layer's parameters), against a random projection of the output.
fn compare_layer(
    what: &str,
    x_shape: [usize; 4],
    ours: impl Fn(Tensor<4>) -> Tensor<4>,
    theirs: impl Fn(Tensor<4>) -> Tensor<4>,
    weight: &Param<Tensor<4>>,
    bias: Option<&Param<Tensor<1>>>,
) {
    let x = random(x_shape, &Device::flex().autodiff());
    let (ga, gb) = compare_io(what, x, ours, theirs, (1e-4, 1e-4));
    let dw = |g| values(weight.val().grad(g).expect("weight gradient"));
    assert_close(
        &dw(&ga),
        &dw(&gb),
        1e-4,
        &format!("{what}: weight gradient"),
    );
    if let Some(b) = bias {
        let db = |g| values(b.val().grad(g).expect("bias gradient"));
        assert_close(&db(&ga), &db(&gb), 1e-4, &format!("{what}: bias gradient"));
    }
}

fn compare_conv(conv: &Conv2d, x_shape: [usize; 4], what: &str) {
    let (ours, theirs) = (|x| ops::conv2d(conv, x), |x| conv.forward(x));
    compare_layer(
        what,
        x_shape,
        ours,
        theirs,
        &conv.weight,
        conv.bias.as_ref(),
    );
}

#[test]
fn convolution_matches_burn_over_a_sweep_of_shapes() {
    let device = Device::flex().autodiff();
    device.seed(11);
    let mut cases = 0;
    for (ki, k) in [1usize, 3, 5, 7, 11].into_iter().enumerate() {
        for s in [1usize, 2, 4] {
            for p in [0usize, 1, 2, 5] {
                for groups in [1usize, 2] {
                    let batch = if (ki + s + p) % 2 == 0 { 1 } else { 3 };
                    let (c_in, c_out) = (6, if groups == 1 { 5 } else { 4 });
                    let conv = Conv2dConfig::new([c_in, c_out], [k, k])
                        .with_stride([s, s])
                        .with_padding(PaddingConfig2d::Explicit(p, p, p, p))
                        .with_groups(groups)
                        .with_bias(p % 2 == 0)
                        .init(&device);
                    let what = format!("k{k} s{s} p{p} g{groups} b{batch}");
                    compare_conv(&conv, [batch, c_in, 13, 17], &what);
                    cases += 1;
                }
            }
        }
    }
    assert_eq!(cases, 120);
}

#[test]
fn convolution_with_dilation_asymmetric_padding_and_odd_channels() {
    let device = Device::flex().autodiff();
    device.seed(12);
    let dilated = Conv2dConfig::new([3, 7], [3, 3])
        .with_dilation([2, 2])
        .with_padding(PaddingConfig2d::Explicit(2, 2, 2, 2))
        .init(&device);
    compare_conv(&dilated, [2, 3, 9, 11], "dilation 2");
    let asymmetric = Conv2dConfig::new([5, 3], [3, 2])
        .with_stride([2, 1])
        .with_padding(PaddingConfig2d::Explicit(0, 1, 2, 0))
        .init(&device);
    compare_conv(&asymmetric, [3, 5, 8, 6], "asymmetric padding, 3×2 kernel");
    let wide = Conv2dConfig::new([17, 33], [1, 1])
        .with_bias(true)
        .init(&device);
    compare_conv(&wide, [5, 17, 4, 3], "pointwise 17→33");
    let valid = Conv2dConfig::new([1, 6], [5, 5]).init(&device);
    compare_conv(&valid, [7, 1, 28, 28], "LeNet C1");
}

#[test]
fn transposed_convolution_matches_burn() {
    let device = Device::flex().autodiff();
    device.seed(13);
    for (k, s, p, out_pad, groups, bias) in [
        (2, 2, 0, 0, 1, true),
        (3, 1, 1, 0, 1, false),
        (3, 2, 1, 1, 1, true),
        (4, 2, 1, 0, 2, true),
        (16, 8, 4, 0, 1, false),
        (5, 3, 2, 2, 2, false),
    ] {
        let layer = ConvTranspose2dConfig::new([4, 6], [k, k])
            .with_stride([s, s])
            .with_padding([p, p])
            .with_padding_out([out_pad, out_pad])
            .with_groups(groups)
            .with_bias(bias)
            .init(&device);
        let what = format!("transposed k{k} s{s} p{p} out{out_pad} g{groups}");
        let (ours, theirs) = (|x| ops::conv_transpose2d(&layer, x), |x| layer.forward(x));
        compare_layer(
            &what,
            [3, 4, 5, 7],
            ours,
            theirs,
            &layer.weight,
            layer.bias.as_ref(),
        );
    }
}

/// Burn's composition of what our fused batch norm computes.
fn reference(bn: &BatchNorm, x: Tensor<4>, residual: Option<Tensor<4>>, then: Then) -> Tensor<4> {
    let y = bn.forward(x);
    let y = match residual {
        Some(r) => y + r,
        None => y,
    };
    match then {
        Then::Relu => relu(y),
        Then::Nothing => y,
    }
}

fn bn_layer(channels: usize, device: &Device) -> BatchNorm {
    // γ and β away from 1 and 0, as leaves (a computed γ would share its graph between passes).
    let mut bn = BatchNormConfig::new(channels).init(device);
    let leaf = |t: Tensor<1>| Param::from_data(t.into_data(), device);
    bn.gamma = leaf(random([channels], device) * 0.3 + 1.0);
    bn.beta = leaf(random([channels], device) * 0.3);
    bn
}

#[test]
fn training_batch_norm_matches_burn_with_relu_and_residual() {
    let device = Device::flex().autodiff();
    device.seed(14);
    for (shape, residual, then) in [
        ([4, 3, 5, 7], false, Then::Nothing),
        ([4, 3, 5, 7], false, Then::Relu),
        ([2, 17, 6, 6], true, Then::Relu),
        ([1, 5, 1, 1], true, Then::Nothing),
        ([64, 16, 8, 8], true, Then::Relu),
    ] {
        let what = format!("{shape:?} residual {residual} {then:?}");
        let bn_a = bn_layer(shape[1], &device);
        let bn_b = bn_a.clone();
        let x = random(shape, &device) * 2.0 + 0.5;
        let r = random(shape, &device);
        let (xa, xb) = (x.clone().require_grad(), x.require_grad());
        let (ra, rb) = (r.clone().require_grad(), r.require_grad());
        let ya = match residual {
            true => ops::batch_norm_add(&bn_a, xa.clone(), ra.clone(), then),
            false => ops::batch_norm(&bn_a, xa.clone(), then),
        };
        let yb = reference(&bn_b, xb.clone(), residual.then(|| rb.clone()), then);
        let proj = random(shape, &device);
        let ga = (ya.clone() * proj.clone()).sum().backward();
        let gb = (yb.clone() * proj).sum().backward();
        assert_close(&values(ya), &values(yb), 1e-4, &format!("{what}: forward"));
        let g4 = |g, t: &Tensor<4>| values(t.grad(g).expect("gradient"));
        assert_close(&g4(&ga, &xa), &g4(&gb, &xb), 1e-4, &format!("{what}: dx"));
        if residual {
            assert_close(
                &g4(&ga, &ra),
                &g4(&gb, &rb),
                1e-4,
                &format!("{what}: d residual"),
            );
        }
        let g1 = |g, bn: &BatchNorm, beta: bool| {
            let p = if beta { bn.beta.val() } else { bn.gamma.val() };
            values(p.grad(g).expect("parameter gradient"))
        };
        assert_close(
            &g1(&ga, &bn_a, false),
            &g1(&gb, &bn_b, false),
            1e-4,
            &format!("{what}: dγ"),
        );
        assert_close(
            &g1(&ga, &bn_a, true),
            &g1(&gb, &bn_b, true),
            1e-4,
            &format!("{what}: dβ"),
        );
        let stats = |bn: &BatchNorm| {
            let mut v = values(bn.running_mean.value_sync());
            v.extend(values(bn.running_var.value_sync()));
            v
        };
        assert_close(
            &stats(&bn_a),
            &stats(&bn_b),
            1e-5,
            &format!("{what}: running statistics"),
        );
    }
}

#[test]
fn evaluation_batch_norm_matches_burn() {
    let device = Device::flex();
    device.seed(15);
    let mut bn = bn_layer(6, &device);
    bn.running_mean = burn::module::RunningState::new(random([6], &device));
    bn.running_var = burn::module::RunningState::new(random([6], &device).abs() + 0.1);
    let bn = burn::module::Module::valid(&bn);
    let x = random([3, 6, 4, 5], &device);
    let r = random([3, 6, 4, 5], &device);
    for then in [Then::Nothing, Then::Relu] {
        let ours = ops::batch_norm(&bn, x.clone(), then);
        let theirs = reference(&bn, x.clone(), None, then);
        assert_close(
            &values(ours),
            &values(theirs),
            1e-5,
            &format!("eval {then:?}"),
        );
        let ours = ops::batch_norm_add(&bn, x.clone(), r.clone(), then);
        let theirs = reference(&bn, x.clone(), Some(r.clone()), then);
        assert_close(
            &values(ours),
            &values(theirs),
            1e-5,
            &format!("eval + residual {then:?}"),
        );
    }
}

#[test]
fn fused_batch_norm_gradients_match_finite_differences() {
    let device = Device::flex().autodiff();
    device.seed(16);
    let shape = [3, 2, 3, 4];
    let bn = bn_layer(2, &device);
    let base = values(random(shape, &device));
    let residual = random(shape, &device);
    let proj = random(shape, &device);
    let objective = |v: Vec<f32>| -> (Tensor<1>, Tensor<4>) {
        let x = Tensor::<4>::from_data(TensorData::new(v, shape), &device).require_grad();
        // Smooth (no ReLU: finite differences across its kink are meaningless); the ReLU's
        // masking is checked against Burn above.
        let y = ops::batch_norm_add(&bn, x.clone(), residual.clone(), Then::Nothing);
        ((y * proj.clone()).sum(), x)
    };
    let (loss, x) = objective(base.clone());
    let g = values(x.grad(&loss.backward()).expect("gradient"));
    let eps = 1e-2f32;
    for i in [0, 3, 7, 12, 20, 33, 47, 71] {
        let at = |d: f32| {
            let mut v = base.clone();
            v[i] += d;
            objective(v).0.into_scalar::<f32>()
        };
        let numeric = (at(eps) - at(-eps)) / (2.0 * eps);
        assert!(
            (numeric - g[i]).abs() <= 2e-2 * (1.0 + numeric.abs()),
            "x[{i}]: autodiff {} vs finite difference {numeric}",
            g[i]
        );
    }
}

#[test]
fn running_statistics_follow_the_batch() {
    // After one training call from the initial state (mean 0, variance 1, momentum 0.1) the running
    // statistics are 0.1 · the batch's mean and 0.9 + 0.1 · its biased variance.
    let device = Device::flex().autodiff();
    device.seed(17);
    let shape = [3, 2, 3, 4];
    let xs = values(random(shape, &device) * 1.5 + 0.7);
    let bn = bn_layer(2, &device);
    let x = Tensor::<4>::from_data(TensorData::new(xs.clone(), shape), &device);
    let _ = ops::batch_norm(&bn, x, Then::Relu);
    let rm = values(bn.running_mean.value_sync());
    let rv = values(bn.running_var.value_sync());
    for c in 0..2 {
        let v: Vec<f32> = (0..3)
            .flat_map(|b| xs[(b * 2 + c) * 12..(b * 2 + c + 1) * 12].to_vec())
            .collect();
        let mean = v.iter().sum::<f32>() / v.len() as f32;
        let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f32>() / v.len() as f32;
        assert!(
            (rm[c] - 0.1 * mean).abs() < 1e-5,
            "running mean {} vs {}",
            rm[c],
            0.1 * mean
        );
        assert!(
            (rv[c] - (0.9 + 0.1 * var)).abs() < 1e-5,
            "running var {} vs {}",
            rv[c],
            0.9 + 0.1 * var
        );
    }
}

#[test]
fn degenerate_geometries_are_errors() {
    let ok = ConvGeometry {
        batch: 2,
        c_in: 4,
        h: 8,
        w: 8,
        c_out: 6,
        kh: 3,
        kw: 3,
        oh: 6,
        ow: 6,
        stride: [1, 1],
        pad: [0, 0],
        dilation: [1, 1],
        groups: 2,
    };
    assert!(ok.validate().is_ok());
    for bad in [
        ConvGeometry { batch: 0, ..ok },
        ConvGeometry { c_in: 0, ..ok },
        ConvGeometry { kh: 0, ..ok },
        ConvGeometry {
            stride: [0, 1],
            ..ok
        },
        ConvGeometry { groups: 3, ..ok },
        ConvGeometry { groups: 0, ..ok },
        ConvGeometry { c_out: 5, ..ok },
    ] {
        let err = bad.validate().expect_err("degenerate geometry accepted");
        assert!(
            err.to_string().contains("invalid convolution geometry"),
            "{err}"
        );
    }
    // A kernel larger than the padded input has no output size.
    assert_eq!(conv_out_len(4, 5, 1, 0, 0, 1), None);
    assert_eq!(conv_out_len(4, 5, 1, 1, 0, 1), Some(1));
    assert_eq!(conv_out_len(28, 5, 1, 2, 2, 1), Some(28));
    assert_eq!(conv_out_len(8, 3, 0, 1, 1, 1), None);
}

#[test]
fn max_pooling_matches_burn() {
    let device = Device::flex().autodiff();
    device.seed(18);
    for (k, s, p, ceil, side) in [
        (2, 2, 0, false, 28),
        (2, 2, 0, false, 7),
        (2, 2, 0, true, 7),
        (3, 2, 1, false, 32),
        (3, 2, 0, true, 13),
        (3, 1, 1, false, 6),
        (5, 3, 2, true, 17),
    ] {
        let what = format!("max pool k{k} s{s} p{p} ceil {ceil} on {side}");
        let x = random([3, 5, side, side + 1], &device);
        let options = burn::tensor::ops::MaxPoolOptions::new([k, k])
            .with_stride([s, s])
            .with_padding([p, p])
            .with_ceil_mode(ceil);
        let ours = |x| ops::max_pool2d(x, k, s, p, ceil);
        let theirs = |x| burn::tensor::module::max_pool2d(x, options.clone());
        compare_io(&what, x, ours, theirs, (0.0, 1e-6));
    }
    // Inference (no autodiff) gives the same values, and a NaN in a window wins.
    let flat = Device::flex();
    let mut v = values(random([1, 1, 4, 4], &flat));
    v[5] = f32::NAN;
    let x = Tensor::<4>::from_data(TensorData::new(v, [1, 1, 4, 4]), &flat);
    let y = values(ops::max_pool2d(x, 2, 2, 0, false));
    assert!(y[0].is_nan(), "NaN must propagate: {y:?}");
    assert!(y[1..].iter().all(|v| v.is_finite()));
}

#[test]
fn the_kernels_are_the_ones_compared() {
    // Every comparison above is ours against Burn's only if Flex devices select our kernels.
    assert!(
        model::cpu::enabled(),
        "CNN_KERNELS=burn is set: the comparisons would be Burn's against Burn's"
    );
    assert!(model::cpu::is_flex(&Device::flex()));
    assert!(model::cpu::is_flex(&Device::flex().autodiff()));
    #[allow(deprecated)]
    let ndarray = Device::ndarray();
    assert!(!model::cpu::is_flex(&ndarray));
}
