//! The layer operations every network calls: convolution, transposed convolution, and batch
//! normalisation fused with the ReLU (and the residual addition) that follows it.
//!
//! Each takes Burn's own module (`Conv2d`, `ConvTranspose2d`, `BatchNorm`), so parameters, record
//! names and checkpoints are Burn's. On a Flex device (with or without autodiff) and f32 data they
//! run our kernels ([`crate::cpu`]); on every other device, dtype or padding mode they are exactly
//! `module.forward(x)` followed by the element-wise operations.

use burn::backend::Dispatch;
use burn::nn::conv::{Conv2d, ConvTranspose2d};
use burn::nn::{BatchNorm, PaddingConfig2d};
use burn::tensor::activation::relu;
use burn::tensor::ops::MaxPoolOptions;
use burn::tensor::{DType, Tensor};

use crate::cpu::batch_norm::{Post, Tail};
use crate::cpu::extension::{ConvKind, CpuInference, CpuKernels};
use crate::cpu::geometry::{ConvGeometry, conv_out_len};
use crate::cpu::pool::PoolGeometry;

/// Whether `x` goes to our kernels.
fn ours(x: &Tensor<4>) -> bool {
    crate::cpu::enabled() && x.dtype() == DType::F32 && crate::cpu::is_flex(&x.device())
}

/// An untracked one-element stand-in for an absent tensor argument.
fn absent(like: &Tensor<4>) -> Tensor<1> {
    Tensor::zeros([1], &like.device())
}

fn call_conv(
    x: Tensor<4>,
    weight: Tensor<4>,
    bias: Option<Tensor<1>>,
    geometry: ConvGeometry,
    kind: ConvKind,
) -> Tensor<4> {
    let has_bias = bias.is_some();
    let bias = bias.unwrap_or_else(|| absent(&x));
    Tensor::from_dispatch(<Dispatch as CpuKernels>::cnn_conv(
        x.into_dispatch(),
        weight.into_dispatch(),
        bias.into_dispatch(),
        has_bias,
        geometry,
        kind,
    ))
}

/// The geometry of `conv` on `x`, when our kernels can compute it.
fn conv_geometry(conv: &Conv2d, x: &Tensor<4>) -> Option<ConvGeometry> {
    let [batch, c_in, h, w] = x.dims();
    let [c_out, _, kh, kw] = conv.weight.dims();
    let (top, left, bottom, right) = match conv.padding {
        PaddingConfig2d::Valid => (0, 0, 0, 0),
        PaddingConfig2d::Explicit(t, l, b, r) => (t, l, b, r),
        // "Same" padding depends on the input size; Burn resolves it.
        _ => return None,
    };
    let [sh, sw] = conv.stride;
    let [dh, dw] = conv.dilation;
    let geometry = ConvGeometry {
        batch,
        c_in,
        h,
        w,
        c_out,
        kh,
        kw,
        oh: conv_out_len(h, kh, sh, top, bottom, dh)?,
        ow: conv_out_len(w, kw, sw, left, right, dw)?,
        stride: conv.stride,
        pad: [top, left],
        dilation: conv.dilation,
        groups: conv.groups,
    };
    // Anything inconsistent (wrong channel count, zero sizes) goes to Burn, which reports it.
    let consistent = geometry.validate().is_ok() && conv.weight.dims()[1] * conv.groups == c_in;
    consistent.then_some(geometry)
}

/// `conv.forward(x)`.
pub fn conv2d(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let geometry = conv_geometry(conv, &x);
    run_conv(
        x,
        geometry,
        &conv.weight,
        conv.bias.as_ref(),
        ConvKind::Conv,
        |x| conv.forward(x),
    )
}

/// Our kernel for `geometry` when there is one and `x` is ours, else `burn(x)`.
fn run_conv(
    x: Tensor<4>,
    geometry: Option<ConvGeometry>,
    weight: &burn::module::Param<Tensor<4>>,
    bias: Option<&burn::module::Param<Tensor<1>>>,
    kind: ConvKind,
    burn: impl FnOnce(Tensor<4>) -> Tensor<4>,
) -> Tensor<4> {
    match geometry.filter(|_| ours(&x)) {
        Some(g) => call_conv(x, weight.val(), bias.map(|b| b.val()), g, kind),
        None => burn(x),
    }
}

/// The geometry of the convolution whose adjoint `deconv` computes on `x`.
fn transposed_geometry(deconv: &ConvTranspose2d, x: &Tensor<4>) -> Option<ConvGeometry> {
    let [batch, c_in, h, w] = x.dims();
    let [w_in, w_out_g, kh, kw] = deconv.weight.dims();
    let size = |len: usize, axis: usize, k: usize| {
        let s = deconv.stride[axis];
        let d = deconv.dilation[axis];
        ((len.checked_sub(1)? * s + d * (k - 1) + deconv.padding_out[axis] + 1)
            .checked_sub(2 * deconv.padding[axis]))
        .filter(|&n| n > 0)
    };
    let (oh, ow) = (size(h, 0, kh)?, size(w, 1, kw)?);
    // The adjoint convolution maps the transposed output (c_out × oh × ow) back to x.
    let geometry = ConvGeometry {
        batch,
        c_in: w_out_g * deconv.groups,
        h: oh,
        w: ow,
        c_out: c_in,
        kh,
        kw,
        oh: h,
        ow: w,
        stride: deconv.stride,
        pad: deconv.padding,
        dilation: deconv.dilation,
        groups: deconv.groups,
    };
    let consistent = geometry.validate().is_ok()
        && w_in == c_in
        && deconv.padding_out[0] < deconv.stride[0].max(deconv.dilation[0])
        && deconv.padding_out[1] < deconv.stride[1].max(deconv.dilation[1]);
    consistent.then_some(geometry)
}

/// `deconv.forward(x)`.
pub fn conv_transpose2d(deconv: &ConvTranspose2d, x: Tensor<4>) -> Tensor<4> {
    let geometry = transposed_geometry(deconv, &x);
    let (weight, bias) = (&deconv.weight, deconv.bias.as_ref());
    run_conv(x, geometry, weight, bias, ConvKind::Transposed, |x| {
        deconv.forward(x)
    })
}

/// What follows a batch norm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// Nothing.
    Nothing,
    /// A ReLU.
    Relu,
}

impl Then {
    fn post(self) -> Post {
        match self {
            Then::Nothing => Post::Identity,
            Then::Relu => Post::Relu,
        }
    }

    fn apply(self, x: Tensor<4>) -> Tensor<4> {
        match self {
            Then::Nothing => x,
            Then::Relu => relu(x),
        }
    }
}

/// `then(bn.forward(x))`.
pub fn batch_norm(bn: &BatchNorm, x: Tensor<4>, then: Then) -> Tensor<4> {
    norm(bn, x, None, then)
}

/// `then(bn.forward(x) + residual)`: the end of a residual unit.
pub fn batch_norm_add(bn: &BatchNorm, x: Tensor<4>, residual: Tensor<4>, then: Then) -> Tensor<4> {
    norm(bn, x, Some(residual), then)
}

fn norm(bn: &BatchNorm, x: Tensor<4>, residual: Option<Tensor<4>>, then: Then) -> Tensor<4> {
    let shapes_agree =
        residual.as_ref().is_none_or(|r| r.dims() == x.dims()) && bn.gamma.dims()[0] == x.dims()[1];
    if !(ours(&x) && shapes_agree) {
        let y = bn.forward(x);
        return then.apply(match residual {
            Some(r) => y + r,
            None => y,
        });
    }
    let training = x.device().is_autodiff() && bn.training.is_enabled();
    if training {
        let (residual, tail) = tail_of(bn, &x, residual, then);
        let (y, mean, var) = <Dispatch as CpuKernels>::cnn_batch_norm_train(
            x.into_dispatch(),
            bn.gamma.val().into_dispatch(),
            bn.beta.val().into_dispatch(),
            residual.into_dispatch(),
            tail,
        );
        let (mean, var) = (
            Tensor::<1>::from_dispatch(mean),
            Tensor::<1>::from_dispatch(var),
        );
        update_running(bn, mean, var);
        return Tensor::from_dispatch(y);
    }
    if x.device().is_autodiff() {
        // Evaluation mode on a training device (a frozen layer): Burn's differentiable ops.
        let y = bn.forward(x);
        return then.apply(match residual {
            Some(r) => y + r,
            None => y,
        });
    }
    let device = x.device();
    let (residual, tail) = tail_of(bn, &x, residual, then);
    let [mean, var] = [&bn.running_mean, &bn.running_var].map(|s| s.value().to_device(&device));
    Tensor::from_dispatch(<Dispatch as CpuInference>::cnn_batch_norm_eval(
        x.into_dispatch(),
        bn.gamma.val().into_dispatch(),
        bn.beta.val().into_dispatch(),
        mean.into_dispatch(),
        var.into_dispatch(),
        residual.into_dispatch(),
        tail,
    ))
}

/// The residual to pass (a stand-in when there is none) and how the fused batch norm ends.
fn tail_of(
    bn: &BatchNorm,
    x: &Tensor<4>,
    residual: Option<Tensor<4>>,
    then: Then,
) -> (Tensor<4>, Tail) {
    let tail = Tail {
        residual: residual.is_some(),
        post: then.post(),
        epsilon: bn.epsilon,
    };
    (
        residual.unwrap_or_else(|| absent(x).reshape([1, 1, 1, 1])),
        tail,
    )
}

/// The running statistics' update, as Burn's `BatchNorm` does it (biased batch variance).
fn update_running(bn: &BatchNorm, mean: Tensor<1>, var: Tensor<1>) {
    let device = mean.device();
    let m = bn.momentum;
    let running_mean = bn.running_mean.value_sync().to_device(&device);
    let running_var = bn.running_var.value_sync().to_device(&device);
    bn.running_mean.update(
        running_mean
            .mul_scalar(1.0 - m)
            .add(mean.mul_scalar(m))
            .detach(),
    );
    bn.running_var.update(
        running_var
            .mul_scalar(1.0 - m)
            .add(var.mul_scalar(m))
            .detach(),
    );
}

/// Output side of a square max pooling, as Burn and PyTorch compute it; `None` when no window fits.
fn pool_out_len(len: usize, kernel: usize, stride: usize, pad: usize, ceil: bool) -> Option<usize> {
    let padded = len + 2 * pad;
    if stride == 0 || kernel == 0 || padded < kernel {
        return None;
    }
    if !ceil {
        return Some((padded - kernel) / stride + 1);
    }
    let n = (padded + stride - 1 - kernel) / stride + 1;
    // The last window must start inside the input or its leading padding.
    Some(if (n - 1) * stride >= len + pad {
        n - 1
    } else {
        n
    })
}

/// Square max pooling with PyTorch's semantics (padding counts as −∞, optional ceil mode).
pub fn max_pool2d(
    x: Tensor<4>,
    kernel: usize,
    stride: usize,
    padding: usize,
    ceil_mode: bool,
) -> Tensor<4> {
    let [batch, channels, h, w] = x.dims();
    let geometry = (padding <= kernel / 2).then_some(()).and_then(|_| {
        Some(PoolGeometry {
            batch,
            channels,
            h,
            w,
            oh: pool_out_len(h, kernel, stride, padding, ceil_mode)?,
            ow: pool_out_len(w, kernel, stride, padding, ceil_mode)?,
            kernel,
            stride,
            pad: padding,
        })
    });
    match geometry.filter(|_| ours(&x)) {
        Some(g) => {
            Tensor::from_dispatch(<Dispatch as CpuKernels>::cnn_max_pool(x.into_dispatch(), g))
        }
        None => burn::tensor::module::max_pool2d(
            x,
            MaxPoolOptions::new([kernel, kernel])
                .with_stride([stride, stride])
                .with_padding([padding, padding])
                .with_ceil_mode(ceil_mode),
        ),
    }
}
