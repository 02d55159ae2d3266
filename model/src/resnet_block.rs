//! The residual units of ResNet (He et al., CVPR 2016): the two-layer *basic* block of ResNet-18/34
//! and the three-layer *bottleneck* (1×1 reduce, 3×3, 1×1 expand ×4) of ResNet-50/101/152.
//!
//! As in torchvision ("ResNet v1.5") a bottleneck strides in its 3×3 convolution, and a projection
//! shortcut (1×1 convolution + batch norm) is used whenever the shape changes.

use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::nn::{BatchNorm, BatchNormConfig, Initializer};
use burn::tensor::{Device, Tensor};

use crate::builders::ConvSpec;
use crate::init::InitScheme;
use crate::ops::{self, Then};
use crate::trace::Trace;

/// Convolution followed by batch normalisation (no activation).
#[derive(Module, Debug)]
pub struct ConvBn {
    conv: Conv2d,
    bn: BatchNorm,
}

impl ConvBn {
    fn new(spec: ConvSpec, init: InitScheme, device: &Device) -> Self {
        Self {
            conv: spec.no_bias().init(init, device),
            bn: BatchNormConfig::new(spec.c_out).init(device),
        }
    }

    /// Set γ to zero, so the residual branch starts as the identity ("zero-init residual").
    fn zero_gamma(&mut self, channels: usize, device: &Device) {
        self.bn.gamma = Initializer::Zeros.init([channels], device);
    }

    /// `then(bn(conv(x)))`, recording `conv` and `bn` rows.
    fn forward_traced(
        &self,
        x: Tensor<4>,
        then: Then,
        conv: &str,
        bn: &str,
        tr: &mut Trace,
    ) -> Tensor<4> {
        let x = tr.conv(conv, &self.conv, ops::conv2d(&self.conv, x));
        tr.batch_norm(bn, &self.bn, ops::batch_norm(&self.bn, x, then))
    }

    /// `relu(bn(conv(x)) + residual)`, recording `conv` and `bn` rows.
    fn forward_add_relu(
        &self,
        x: Tensor<4>,
        residual: Tensor<4>,
        conv: &str,
        bn: &str,
        tr: &mut Trace,
    ) -> Tensor<4> {
        let x = tr.conv(conv, &self.conv, ops::conv2d(&self.conv, x));
        tr.batch_norm(
            bn,
            &self.bn,
            ops::batch_norm_add(&self.bn, x, residual, Then::Relu),
        )
    }
}

/// Which residual unit a ResNet stacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Two 3×3 convolutions; expansion 1.
    Basic,
    /// 1×1, 3×3, 1×1 with 4× expansion.
    Bottleneck,
}

impl BlockKind {
    /// Output channels per unit of width.
    pub fn expansion(&self) -> usize {
        match self {
            BlockKind::Basic => 1,
            BlockKind::Bottleneck => 4,
        }
    }
}

/// One residual unit.
#[derive(Module, Debug)]
pub struct ResidualBlock {
    layers: Vec<ConvBn>,
    shortcut: Option<ConvBn>,
}

impl ResidualBlock {
    /// A unit taking `c_in` channels to `width · expansion`, striding by `stride`.
    pub fn new(
        kind: BlockKind,
        c_in: usize,
        width: usize,
        stride: usize,
        zero_init_residual: bool,
        init: InitScheme,
        device: &Device,
    ) -> Self {
        let c_out = width * kind.expansion();
        let mut layers = match kind {
            BlockKind::Basic => vec![
                ConvBn::new(
                    ConvSpec::new(c_in, width, 3, 1).stride(stride),
                    init,
                    device,
                ),
                ConvBn::new(ConvSpec::new(width, width, 3, 1), init, device),
            ],
            BlockKind::Bottleneck => vec![
                ConvBn::new(ConvSpec::new(c_in, width, 1, 0), init, device),
                ConvBn::new(
                    ConvSpec::new(width, width, 3, 1).stride(stride),
                    init,
                    device,
                ),
                ConvBn::new(ConvSpec::new(width, c_out, 1, 0), init, device),
            ],
        };
        if zero_init_residual && let Some(last) = layers.last_mut() {
            last.zero_gamma(c_out, device);
        }
        let shortcut = (stride != 1 || c_in != c_out).then(|| {
            ConvBn::new(
                ConvSpec::new(c_in, c_out, 1, 0).stride(stride),
                init,
                device,
            )
        });
        Self { layers, shortcut }
    }

    /// relu(F(x) + shortcut(x)).
    pub fn forward_traced(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<4> {
        let identity = match &self.shortcut {
            Some(proj) => {
                proj.forward_traced(x.clone(), Then::Nothing, "downsample.0", "downsample.1", tr)
            }
            None => x.clone(),
        };
        let last = self.layers.len();
        let mut y = x;
        for (i, unit) in self.layers.iter().enumerate() {
            let n = i + 1;
            let (conv, bn) = (format!("conv{n}"), format!("bn{n}"));
            if n < last {
                y = unit.forward_traced(y, Then::Relu, &conv, &bn, tr);
                y = tr.op(&format!("relu{n}"), "ReLU", y);
            } else {
                // The last batch norm, the shortcut's addition and the ReLU in one operation.
                y = unit.forward_add_relu(y, identity.clone(), &conv, &bn, tr);
            }
        }
        tr.op("add_relu", "Add+ReLU", y)
    }
}
