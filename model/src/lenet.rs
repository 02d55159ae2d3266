//! LeNet-5 — Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, "Gradient-based learning applied to document
//! recognition", Proc. IEEE 86(11), 1998.
//!
//! Shapes for a 32×32 input (a 28×28 input is zero-padded by 2 in the first convolution):
//!
//! | layer | output | parameters |
//! | --- | --- | --- |
//! | C1 conv 5×5, 6 maps | 6×28×28 | 156 |
//! | S2 pool 2×2/2 | 6×14×14 | 0 |
//! | C3 conv 5×5, 16 maps | 16×10×10 | 2,416 |
//! | S4 pool 2×2/2 | 16×5×5 | 0 |
//! | C5 fully connected 400→120 | 120 | 48,120 |
//! | F6 fully connected 120→84 | 84 | 10,164 |
//! | output 84→10 | 10 | 850 |
//!
//! 61,706 parameters in all. The *classic* form uses tanh and average pooling (the paper's
//! subsampling, without its trainable coefficient); the *modern* form uses ReLU and max pooling.
//! Both use full C3 connectivity and a linear output layer instead of the paper's sparse C3 table
//! and RBF units, as every modern re-implementation does.

use crate::ops;
use burn::config::Config;
use burn::module::Module;
use burn::nn::Linear;
use burn::nn::conv::Conv2d;
use burn::tensor::activation::{relu, sigmoid, tanh};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::builders::{ConvSpec, avg_pool, linear, max_pool};
use crate::error::ModelError;
use crate::init::InitScheme;
use crate::trace::Trace;

/// Non-linearity between layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// Hyperbolic tangent (the paper's scaled tanh without its scale).
    Tanh,
    /// Logistic sigmoid.
    Sigmoid,
    /// Rectified linear unit.
    Relu,
}

impl Activation {
    fn apply<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        match self {
            Activation::Tanh => tanh(x),
            Activation::Sigmoid => sigmoid(x),
            Activation::Relu => relu(x),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Activation::Tanh => "Tanh",
            Activation::Sigmoid => "Sigmoid",
            Activation::Relu => "ReLU",
        }
    }
}

/// Sub-sampling between the convolutions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pooling {
    /// 2×2 average pooling (classic).
    Avg,
    /// 2×2 max pooling (modern).
    Max,
}

/// Configuration of [`LeNet5`].
#[derive(Config, Debug)]
pub struct LeNet5Config {
    /// Number of output classes.
    pub num_classes: usize,
    /// Input channels (1 for grey digits).
    #[config(default = 1)]
    pub in_channels: usize,
    /// Input side in pixels (square); inputs under 32 are zero-padded up to 32 by C1.
    #[config(default = 32)]
    pub input_size: usize,
    /// Activation after every layer but the last.
    #[config(default = "Activation::Relu")]
    pub activation: Activation,
    /// Pooling after C1 and C3.
    #[config(default = "Pooling::Max")]
    pub pooling: Pooling,
    /// Weight initialisation.
    #[config(default = "InitScheme::Default")]
    pub init: InitScheme,
}

/// LeNet-5.
#[derive(Module, Debug)]
pub struct LeNet5 {
    conv1: Conv2d,
    conv2: Conv2d,
    fc1: Linear,
    fc2: Linear,
    fc3: Linear,
    #[module(skip)]
    activation: Activation,
    #[module(skip)]
    pooling: Pooling,
}

impl LeNet5Config {
    /// The modern form: ReLU and max pooling.
    pub fn modern(num_classes: usize) -> Self {
        Self::new(num_classes)
    }

    /// The 1998 form: tanh and average pooling.
    pub fn classic(num_classes: usize) -> Self {
        Self::new(num_classes)
            .with_activation(Activation::Tanh)
            .with_pooling(Pooling::Avg)
    }

    /// Build the network.
    pub fn init(&self, device: &Device) -> Result<LeNet5, ModelError> {
        if self.input_size < 12 {
            return Err(ModelError::invalid(
                "LeNet-5",
                format!("input size {} is below the minimum of 12", self.input_size),
            ));
        }
        let padding = 32usize.saturating_sub(self.input_size).div_ceil(2);
        let side = ((self.input_size + 2 * padding - 4) / 2 - 4) / 2;
        Ok(LeNet5 {
            conv1: ConvSpec::new(self.in_channels, 6, 5, padding).init(self.init, device),
            conv2: ConvSpec::new(6, 16, 5, 0).init(self.init, device),
            fc1: linear(16 * side * side, 120, self.init, device),
            fc2: linear(120, 84, self.init, device),
            fc3: linear(84, self.num_classes, self.init, device),
            activation: self.activation,
            pooling: self.pooling,
        })
    }
}

impl LeNet5 {
    /// Class scores `[B, num_classes]` for images `[B, C, H, W]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        self.forward_traced(x, &mut Trace::off())
    }

    fn pool(&self, x: Tensor<4>, tr: &mut Trace, name: &str) -> Tensor<4> {
        match self.pooling {
            Pooling::Avg => tr.op(name, "AvgPool2d", avg_pool(x, 2, 2)),
            Pooling::Max => tr.op(name, "MaxPool2d", max_pool(x, 2, 2, 0, false)),
        }
    }

    /// Forward pass recording every layer into `tr`.
    pub fn forward_traced(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<2> {
        let act = self.activation;
        let x = tr.conv("c1", &self.conv1, ops::conv2d(&self.conv1, x));
        let x = tr.op("c1_act", act.name(), act.apply(x));
        let x = self.pool(x, tr, "s2");
        let x = tr.conv("c3", &self.conv2, ops::conv2d(&self.conv2, x));
        let x = tr.op("c3_act", act.name(), act.apply(x));
        let x = self.pool(x, tr, "s4");
        let x = tr.op("flatten", "Flatten", x.flatten(1, 3));
        let x = tr.linear("c5", &self.fc1, self.fc1.forward(x));
        let x = tr.op("c5_act", act.name(), act.apply(x));
        let x = tr.linear("f6", &self.fc2, self.fc2.forward(x));
        let x = tr.op("f6_act", act.name(), act.apply(x));
        tr.linear("output", &self.fc3, self.fc3.forward(x))
    }
}
