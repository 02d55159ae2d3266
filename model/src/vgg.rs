//! VGG — K. Simonyan, A. Zisserman, "Very deep convolutional networks for large-scale image
//! recognition", ICLR 2015.
//!
//! Stacks of 3×3 convolutions (padding 1, ReLU, optionally batch norm as in torchvision's `_bn`
//! variants) separated by 2×2 max pooling; configurations A (VGG-11), B (VGG-13), D (VGG-16) and E
//! (VGG-19) of the paper's Table 1. The ImageNet head pools to 7×7 and applies 25088 → 4096 → 4096 →
//! classes with dropout 0.5 (138,357,544 parameters for VGG-16); the small-input head (28–64 px)
//! averages the last 512 maps to one vector and applies 512 → 512 → classes. In small-input mode a
//! pooling that would shrink a 1×1 map is skipped, so 28 px inputs work.
//!
//! Initialisation follows torchvision: He fan-out for convolutions, N(0, 0.01²) for linear layers,
//! zero biases.

use burn::config::Config;
use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, Linear};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};

use crate::builders::{ConvBnRelu, ConvSpec, linear, max_pool, pool_flatten};
use crate::error::ModelError;
use crate::init::InitScheme;
use crate::trace::Trace;

/// Feature maps of each 3×3 convolution per stage, for VGG-11/13/16/19.
pub fn stage_layout(depth: usize) -> Option<[&'static [usize]; 5]> {
    Some(match depth {
        11 => [&[64], &[128], &[256, 256], &[512, 512], &[512, 512]],
        13 => [
            &[64, 64],
            &[128, 128],
            &[256, 256],
            &[512, 512],
            &[512, 512],
        ],
        16 => [
            &[64, 64],
            &[128, 128],
            &[256, 256, 256],
            &[512, 512, 512],
            &[512, 512, 512],
        ],
        19 => [
            &[64, 64],
            &[128, 128],
            &[256, 256, 256, 256],
            &[512, 512, 512, 512],
            &[512, 512, 512, 512],
        ],
        _ => return None,
    })
}

/// Configuration of [`Vgg`].
#[derive(Config, Debug)]
pub struct VggConfig {
    /// 11, 13, 16 or 19 weight layers.
    pub depth: usize,
    /// Number of output classes.
    pub num_classes: usize,
    /// Batch normalisation after every convolution.
    #[config(default = false)]
    pub batch_norm: bool,
    /// Input channels.
    #[config(default = 3)]
    pub in_channels: usize,
    /// Input side in pixels.
    #[config(default = 224)]
    pub input_size: usize,
    /// The small-input head instead of the ImageNet head.
    #[config(default = false)]
    pub small_input: bool,
    /// Dropout probability in the classifier.
    #[config(default = 0.5)]
    pub dropout: f64,
    /// Initialisation of the convolutions.
    #[config(default = "InitScheme::HeFanOut")]
    pub conv_init: InitScheme,
    /// Initialisation of the linear layers.
    #[config(default = "InitScheme::Gaussian { std: 0.01 }")]
    pub linear_init: InitScheme,
    /// Divides every width (maps and hidden units) by this factor: reduced copies for tests and
    /// quick experiments (1 = the paper's network).
    #[config(default = 1)]
    pub width_divisor: usize,
}

/// VGG-11/13/16/19, with or without batch normalisation.
#[derive(Module, Debug)]
pub struct Vgg {
    stages: Vec<Vec<ConvBnRelu>>,
    pool_size: usize,
    small_input: bool,
    dropout: Dropout,
    fc1: Linear,
    fc2: Linear,
    fc3: Linear,
}

impl VggConfig {
    /// Build the network.
    pub fn init(&self, device: &Device) -> Result<Vgg, ModelError> {
        let layout = stage_layout(self.depth).ok_or_else(|| {
            ModelError::invalid(
                "VGG",
                format!("depth {} is not one of 11, 13, 16, 19", self.depth),
            )
        })?;
        if !self.small_input && self.input_size < 32 {
            return Err(ModelError::invalid(
                "VGG",
                format!(
                    "input {} px is too small for five 2×2 poolings; use a `_small` variant",
                    self.input_size
                ),
            ));
        }
        let d = self.width_divisor;
        crate::builders::divide_widths("VGG", &[64, 128, 256, 512, 4096], d)?;
        let bn = self.batch_norm.then_some(1e-5);
        let mut c_in = self.in_channels;
        let stages = layout
            .iter()
            .map(|widths| {
                widths
                    .iter()
                    .map(|&c_out| {
                        let c_out = c_out / d;
                        let unit = ConvBnRelu::new(
                            ConvSpec::new(c_in, c_out, 3, 1),
                            bn,
                            self.conv_init,
                            device,
                        );
                        c_in = c_out;
                        unit
                    })
                    .collect()
            })
            .collect();
        let (pool_size, hidden) = if self.small_input {
            (1, 512)
        } else {
            (7, 4096)
        };
        let hidden = hidden / d;
        Ok(Vgg {
            stages,
            pool_size,
            small_input: self.small_input,
            dropout: DropoutConfig::new(self.dropout).init(),
            fc1: linear(
                512 / d * pool_size * pool_size,
                hidden,
                self.linear_init,
                device,
            ),
            fc2: linear(hidden, hidden, self.linear_init, device),
            fc3: linear(hidden, self.num_classes, self.linear_init, device),
        })
    }
}

impl Vgg {
    /// Class scores `[B, num_classes]` for images `[B, C, H, W]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        self.forward_traced(x, &mut Trace::off())
    }

    /// Forward pass recording every layer into `tr`.
    pub fn forward_traced(&self, mut x: Tensor<4>, tr: &mut Trace) -> Tensor<2> {
        for (s, stage) in self.stages.iter().enumerate() {
            for (i, unit) in stage.iter().enumerate() {
                x = unit.forward_traced(x, &format!("features.{}.{}", s + 1, i + 1), tr);
            }
            let [_, _, h, w] = x.dims();
            if !self.small_input || h.min(w) >= 2 {
                x = tr.op(
                    &format!("pool{}", s + 1),
                    "MaxPool2d",
                    max_pool(x, 2, 2, 0, false),
                );
            }
        }
        let x = pool_flatten(x, self.pool_size, tr);
        let x = tr.linear("fc1", &self.fc1, self.fc1.forward(x));
        let x = tr.op("relu1", "ReLU", relu(x));
        let x = tr.op("drop1", "Dropout", self.dropout.forward(x));
        let x = tr.linear("fc2", &self.fc2, self.fc2.forward(x));
        let x = tr.op("relu2", "ReLU", relu(x));
        let x = tr.op("drop2", "Dropout", self.dropout.forward(x));
        tr.linear("fc3", &self.fc3, self.fc3.forward(x))
    }
}
