//! The Inception module and auxiliary classifier of GoogLeNet (Szegedy et al., CVPR 2015).
//!
//! An Inception module runs four branches on the same input and concatenates them along channels:
//! 1×1; 1×1 reduce → 3×3; 1×1 reduce → 5×5 (torchvision uses 3×3 here, a difference it keeps for
//! its pretrained weights; the paper's 5×5 is a config choice); 3×3/1 max pool → 1×1 projection.

use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, Linear};
use burn::tensor::activation::relu;
use burn::tensor::module::adaptive_avg_pool2d;
use burn::tensor::{Device, Tensor};

use crate::builders::{ConvBnRelu, ConvSpec, linear, max_pool};
use crate::init::InitScheme;
use crate::trace::Trace;

/// Channel plan of one Inception module, as in the paper's Table 1.
#[derive(Debug, Clone, Copy)]
pub struct InceptionPlan {
    /// Input channels.
    pub c_in: usize,
    /// 1×1 branch.
    pub ch1x1: usize,
    /// Reduction before the 3×3 branch.
    pub ch3x3_reduce: usize,
    /// 3×3 branch.
    pub ch3x3: usize,
    /// Reduction before the "5×5" branch.
    pub ch5x5_reduce: usize,
    /// "5×5" branch.
    pub ch5x5: usize,
    /// Projection after the pooling branch.
    pub pool_proj: usize,
}

impl InceptionPlan {
    /// Output channels: the sum of the four branches.
    pub fn c_out(&self) -> usize {
        self.ch1x1 + self.ch3x3 + self.ch5x5 + self.pool_proj
    }
}

/// How each convolution is built: batch norm (torchvision) or bias (paper), and the kernel of the
/// third branch.
#[derive(Debug, Clone, Copy)]
pub struct UnitStyle {
    /// `Some(ε)` for conv + batch norm without bias, `None` for conv with bias.
    pub bn_eps: Option<f64>,
    /// Kernel of the third branch: 3 (torchvision) or 5 (paper).
    pub wide_kernel: usize,
    /// Weight initialisation.
    pub init: InitScheme,
}

impl UnitStyle {
    /// A convolution unit of this style.
    pub fn unit(&self, c_in: usize, c_out: usize, kernel: usize, device: &Device) -> ConvBnRelu {
        let mut spec = ConvSpec::new(c_in, c_out, kernel, kernel / 2);
        if self.bn_eps.is_some() {
            spec = spec.no_bias();
        }
        ConvBnRelu::new(spec, self.bn_eps, self.init, device)
    }
}

/// One Inception module.
#[derive(Module, Debug)]
pub struct Inception {
    branch1: ConvBnRelu,
    branch2: Vec<ConvBnRelu>,
    branch3: Vec<ConvBnRelu>,
    branch4: ConvBnRelu,
}

impl Inception {
    /// Build a module from its channel plan.
    pub fn new(p: InceptionPlan, style: UnitStyle, device: &Device) -> Self {
        Self {
            branch1: style.unit(p.c_in, p.ch1x1, 1, device),
            branch2: vec![
                style.unit(p.c_in, p.ch3x3_reduce, 1, device),
                style.unit(p.ch3x3_reduce, p.ch3x3, 3, device),
            ],
            branch3: vec![
                style.unit(p.c_in, p.ch5x5_reduce, 1, device),
                style.unit(p.ch5x5_reduce, p.ch5x5, style.wide_kernel, device),
            ],
            branch4: style.unit(p.c_in, p.pool_proj, 1, device),
        }
    }

    /// Concatenation of the four branches along channels.
    pub fn forward_traced(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<4> {
        let b1 = self.branch1.forward_traced(x.clone(), "branch1", tr);
        let mut b2 = x.clone();
        for (i, unit) in self.branch2.iter().enumerate() {
            b2 = unit.forward_traced(b2, &format!("branch2.{i}"), tr);
        }
        let mut b3 = x.clone();
        for (i, unit) in self.branch3.iter().enumerate() {
            b3 = unit.forward_traced(b3, &format!("branch3.{i}"), tr);
        }
        let pooled = tr.op("branch4.pool", "MaxPool2d", max_pool(x, 3, 1, 1, true));
        let b4 = self.branch4.forward_traced(pooled, "branch4.1", tr);
        tr.op("concat", "Concat", Tensor::cat(vec![b1, b2, b3, b4], 1))
    }
}

/// Auxiliary classifier attached to an intermediate Inception output during training.
#[derive(Module, Debug)]
pub struct InceptionAux {
    conv: ConvBnRelu,
    fc1: Linear,
    fc2: Linear,
    dropout: Dropout,
}

impl InceptionAux {
    /// 4×4 average pool, 1×1 conv to 128 maps, 2048 → 1024 → classes with dropout 0.7.
    pub fn new(
        c_in: usize,
        num_classes: usize,
        divisor: usize,
        style: UnitStyle,
        device: &Device,
    ) -> Self {
        let d = divisor.max(1);
        Self {
            conv: style.unit(c_in / d, 128 / d, 1, device),
            fc1: linear(2048 / d, 1024 / d, style.init, device),
            fc2: linear(1024 / d, num_classes, style.init, device),
            dropout: DropoutConfig::new(0.7).init(),
        }
    }

    /// Class scores of the auxiliary head.
    pub fn forward_traced(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<2> {
        let x = tr.op(
            "avgpool",
            "AdaptiveAvgPool2d",
            adaptive_avg_pool2d(x, [4, 4]),
        );
        let x = self.conv.forward_traced(x, "conv", tr);
        let x = tr.op("flatten", "Flatten", x.flatten(1, 3));
        let x = tr.linear("fc1", &self.fc1, self.fc1.forward(x));
        let x = tr.op("relu", "ReLU", relu(x));
        let x = tr.op("dropout", "Dropout", self.dropout.forward(x));
        tr.linear("fc2", &self.fc2, self.fc2.forward(x))
    }
}
