//! Small constructors shared by the networks: convolutions and linear layers with a chosen
//! initialisation, and the convolution → batch norm → ReLU unit that VGG-BN, GoogLeNet and the
//! segmentation nets repeat.

use crate::ops::{self, Then};
use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Initializer, Linear, LinearConfig, PaddingConfig2d};
use burn::tensor::activation::relu;
use burn::tensor::module::adaptive_avg_pool2d;
use burn::tensor::ops::AvgPoolOptions;
use burn::tensor::{Device, Tensor};

use crate::error::ModelError;
use crate::init::InitScheme;
use crate::trace::Trace;

/// Geometry of a square convolution.
#[derive(Debug, Clone, Copy)]
pub struct ConvSpec {
    /// Input channels.
    pub c_in: usize,
    /// Output channels.
    pub c_out: usize,
    /// Kernel side.
    pub kernel: usize,
    /// Stride.
    pub stride: usize,
    /// Zero padding on every side.
    pub padding: usize,
    /// Channel groups (1 = ordinary convolution).
    pub groups: usize,
    /// Whether the convolution has a bias (false when batch norm follows).
    pub bias: bool,
}

impl ConvSpec {
    /// A stride-1, group-1 convolution with bias.
    pub fn new(c_in: usize, c_out: usize, kernel: usize, padding: usize) -> Self {
        Self {
            c_in,
            c_out,
            kernel,
            stride: 1,
            padding,
            groups: 1,
            bias: true,
        }
    }

    /// Set the stride.
    pub fn stride(mut self, stride: usize) -> Self {
        self.stride = stride;
        self
    }

    /// Set the number of groups.
    pub fn groups(mut self, groups: usize) -> Self {
        self.groups = groups;
        self
    }

    /// Drop the bias.
    pub fn no_bias(mut self) -> Self {
        self.bias = false;
        self
    }

    /// Build the convolution with weights drawn by `init`.
    pub fn init(&self, init: InitScheme, device: &Device) -> Conv2d {
        let p = self.padding;
        let mut config = Conv2dConfig::new([self.c_in, self.c_out], [self.kernel, self.kernel])
            .with_stride([self.stride, self.stride])
            .with_padding(PaddingConfig2d::Explicit(p, p, p, p))
            .with_groups(self.groups)
            .with_bias(self.bias);
        if let Some(initializer) = init.initializer() {
            config = config.with_initializer(initializer);
        }
        let mut conv = config.init(device);
        if init.zero_bias() && conv.bias.is_some() {
            conv.bias = Some(Initializer::Zeros.init([self.c_out], device));
        }
        conv
    }
}

/// A fully connected layer `d_in → d_out` with weights drawn by `init`.
pub fn linear(d_in: usize, d_out: usize, init: InitScheme, device: &Device) -> Linear {
    let mut config = LinearConfig::new(d_in, d_out);
    if let Some(initializer) = init.initializer() {
        config = config.with_initializer(initializer);
    }
    let mut layer = config.init(device);
    if init.zero_bias() {
        layer.bias = Some(Initializer::Zeros.init([d_out], device));
    }
    layer
}

/// Convolution, optional batch normalisation, ReLU.
#[derive(Module, Debug)]
pub struct ConvBnRelu {
    /// The convolution.
    pub conv: Conv2d,
    /// Batch normalisation after the convolution, if any.
    pub bn: Option<BatchNorm>,
}

impl ConvBnRelu {
    /// Build the unit; `bn_eps` is `Some(ε)` for a batch-normalised unit.
    pub fn new(spec: ConvSpec, bn_eps: Option<f64>, init: InitScheme, device: &Device) -> Self {
        Self {
            conv: spec.init(init, device),
            bn: bn_eps.map(|eps| {
                BatchNormConfig::new(spec.c_out)
                    .with_epsilon(eps)
                    .init(device)
            }),
        }
    }

    /// Forward pass, recording `conv`, `bn` and `relu` rows under `name`.
    pub fn forward_traced(&self, x: Tensor<4>, name: &str, tr: &mut Trace) -> Tensor<4> {
        tr.scope(name, |tr| {
            let x = tr.conv("conv", &self.conv, ops::conv2d(&self.conv, x));
            match &self.bn {
                Some(bn) => {
                    // Batch norm and ReLU in one fused operation; both rows are still traced.
                    let x = tr.batch_norm("bn", bn, ops::batch_norm(bn, x, Then::Relu));
                    tr.op("relu", "ReLU", x)
                }
                None => tr.op("relu", "ReLU", relu(x)),
            }
        })
    }
}

/// Square max pooling with PyTorch's semantics (padding with −∞, optional ceil mode): our CPU
/// kernel on Flex, Burn's operation elsewhere.
pub use crate::ops::max_pool2d as max_pool;

/// `Ok` when every one of `sizes` is at least 1; otherwise `model`'s invalid-configuration error
/// "`what` must be at least 1".
pub fn require_positive(
    model: &'static str,
    sizes: &[usize],
    what: &str,
) -> Result<(), ModelError> {
    if sizes.contains(&0) {
        return Err(ModelError::invalid(
            model,
            format!("{what} must be at least 1"),
        ));
    }
    Ok(())
}

/// `widths` each divided by `divisor`, or an error when the divisor is 0 or leaves a remainder
/// (the `width_divisor` of VGG, ResNet and GoogLeNet).
pub fn divide_widths(
    model: &'static str,
    widths: &[usize],
    divisor: usize,
) -> Result<Vec<usize>, ModelError> {
    if divisor == 0 || widths.iter().any(|w| w % divisor != 0) {
        return Err(ModelError::invalid(
            model,
            format!("width_divisor {divisor} must divide every width ({widths:?})"),
        ));
    }
    Ok(widths.iter().map(|w| w / divisor).collect())
}

/// Adaptive average pooling to `size`×`size` then flattening to `[B, C·size²]` (a classifier's
/// input), traced as `avgpool` and `flatten`.
pub fn pool_flatten(x: Tensor<4>, size: usize, tr: &mut Trace) -> Tensor<2> {
    let x = adaptive_avg_pool2d(x, [size, size]);
    let x = tr.op("avgpool", "AdaptiveAvgPool2d", x);
    tr.op("flatten", "Flatten", x.flatten(1, 3))
}

/// Square average pooling without padding.
pub fn avg_pool(x: Tensor<4>, kernel: usize, stride: usize) -> Tensor<4> {
    burn::tensor::module::avg_pool2d(
        x,
        AvgPoolOptions::new([kernel, kernel]).with_stride([stride, stride]),
    )
}
