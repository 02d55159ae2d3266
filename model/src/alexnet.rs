//! AlexNet — A. Krizhevsky, I. Sutskever, G. E. Hinton, "ImageNet classification with deep
//! convolutional neural networks", NeurIPS 2012.
//!
//! Three forms share this module:
//! - `alexnet`: torchvision's single-tower variant (64-192-384-256-256 maps, no LRN, an adaptive
//!   6×6 average pool before the classifier); 61,100,840 parameters for 1000 classes at 224×224.
//! - `alexnet_paper`: the paper's network — 96-256-384-384-256 maps, the 11×11 stride-4 stem, local
//!   response normalisation (k = 2, n = 5, α = 10⁻⁴, β = 0.75) after conv1 and conv2, overlapping
//!   3×3 stride-2 max pooling, and conv2/4/5 split into two groups as on the paper's two GPUs.
//! - `alexnet_small`: the same pattern for 28–64 px inputs: a 5×5 stride-1 stem, no 11×11/4, and a
//!   1024-unit classifier.
//!
//! Shapes (224×224 input, torchvision form): conv1 64×55×55 → pool 64×27×27 → conv2 192×27×27 →
//! pool 192×13×13 → conv3-5 256×13×13 → pool 256×6×6 → 9216 → 4096 → 4096 → classes. Dropout 0.5
//! precedes both hidden fully connected layers.

use crate::ops;
use burn::config::Config;
use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::nn::{Dropout, DropoutConfig, Linear, LocalResponseNorm, LocalResponseNormConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};

use crate::builders::{ConvSpec, linear, max_pool, pool_flatten};
use crate::error::ModelError;
use crate::init::InitScheme;
use crate::trace::Trace;

/// Configuration of [`AlexNet`].
#[derive(Config, Debug)]
pub struct AlexNetConfig {
    /// Number of output classes.
    pub num_classes: usize,
    /// Input channels.
    #[config(default = 3)]
    pub in_channels: usize,
    /// Input side in pixels.
    #[config(default = 224)]
    pub input_size: usize,
    /// Feature maps of the five convolutions.
    #[config(default = "[64, 192, 384, 256, 256]")]
    pub widths: [usize; 5],
    /// Local response normalisation after conv1 and conv2.
    #[config(default = false)]
    pub lrn: bool,
    /// Groups of conv2, conv4 and conv5 (2 reproduces the paper's two-GPU split).
    #[config(default = 1)]
    pub groups: usize,
    /// Small-input stem (5×5 stride 1) instead of 11×11 stride 4.
    #[config(default = false)]
    pub small_input: bool,
    /// Units of the two hidden fully connected layers.
    #[config(default = 4096)]
    pub hidden: usize,
    /// Dropout probability before the hidden fully connected layers.
    #[config(default = 0.5)]
    pub dropout: f64,
    /// Weight initialisation.
    #[config(default = "InitScheme::Default")]
    pub init: InitScheme,
}

/// AlexNet.
#[derive(Module, Debug)]
pub struct AlexNet {
    conv: Vec<Conv2d>,
    lrn: Option<LocalResponseNorm>,
    pool_size: usize,
    dropout: Dropout,
    fc1: Linear,
    fc2: Linear,
    fc3: Linear,
}

impl AlexNetConfig {
    /// torchvision's single-tower AlexNet.
    pub fn torchvision(num_classes: usize) -> Self {
        Self::new(num_classes)
    }

    /// The paper's AlexNet with LRN and grouped convolutions.
    pub fn paper(num_classes: usize) -> Self {
        Self::new(num_classes)
            .with_widths([96, 256, 384, 384, 256])
            .with_lrn(true)
            .with_groups(2)
            .with_init(InitScheme::Gaussian { std: 0.01 })
    }

    /// AlexNet for 28–64 px inputs.
    pub fn small(num_classes: usize, in_channels: usize, input_size: usize) -> Self {
        Self::new(num_classes)
            .with_in_channels(in_channels)
            .with_input_size(input_size)
            .with_small_input(true)
            .with_hidden(1024)
    }

    /// Build the network.
    pub fn init(&self, device: &Device) -> Result<AlexNet, ModelError> {
        let [w1, w2, w3, w4, w5] = self.widths;
        let g = self.groups;
        if g == 0 || [w1, w2, w3, w4, w5].iter().any(|w| w % g != 0) {
            return Err(ModelError::invalid(
                "AlexNet",
                format!("every width must be divisible by groups = {g}"),
            ));
        }
        let stem = if self.small_input {
            ConvSpec::new(self.in_channels, w1, 5, 2)
        } else {
            ConvSpec::new(self.in_channels, w1, 11, 2).stride(4)
        };
        let after_stem = (self.input_size + 4 - stem.kernel) / stem.stride + 1;
        // Three 3×3/2 pools: each maps n to ⌊(n − 3)/2⌋ + 1.
        let mut side = after_stem;
        for _ in 0..3 {
            if side < 3 {
                return Err(ModelError::invalid(
                    "AlexNet",
                    format!(
                        "input {} px is too small for three 3×3/2 poolings (use alexnet_small or a larger input)",
                        self.input_size
                    ),
                ));
            }
            side = (side - 3) / 2 + 1;
        }
        let pool_size = if self.small_input { side.min(3) } else { 6 };
        let conv = vec![
            stem.init(self.init, device),
            ConvSpec::new(w1, w2, 5, 2)
                .groups(g)
                .init(self.init, device),
            ConvSpec::new(w2, w3, 3, 1).init(self.init, device),
            ConvSpec::new(w3, w4, 3, 1)
                .groups(g)
                .init(self.init, device),
            ConvSpec::new(w4, w5, 3, 1)
                .groups(g)
                .init(self.init, device),
        ];
        // Burn's LRN divides α by the window size (PyTorch's convention): α_burn = n·α_paper.
        let lrn = self.lrn.then(|| {
            LocalResponseNormConfig::new(5)
                .with_alpha(5.0 * 1e-4)
                .with_beta(0.75)
                .with_k(2.0)
                .init()
        });
        Ok(AlexNet {
            conv,
            lrn,
            pool_size,
            dropout: DropoutConfig::new(self.dropout).init(),
            fc1: linear(w5 * pool_size * pool_size, self.hidden, self.init, device),
            fc2: linear(self.hidden, self.hidden, self.init, device),
            fc3: linear(self.hidden, self.num_classes, self.init, device),
        })
    }
}

impl AlexNet {
    /// Class scores `[B, num_classes]` for images `[B, C, H, W]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        self.forward_traced(x, &mut Trace::off())
    }

    /// Forward pass recording every layer into `tr`.
    pub fn forward_traced(&self, mut x: Tensor<4>, tr: &mut Trace) -> Tensor<2> {
        for (i, conv) in self.conv.iter().enumerate() {
            let n = i + 1;
            x = tr.conv(&format!("conv{n}"), conv, ops::conv2d(conv, x));
            x = tr.op(&format!("relu{n}"), "ReLU", relu(x));
            if let (Some(lrn), true) = (&self.lrn, n <= 2) {
                x = tr.op(&format!("lrn{n}"), "LocalResponseNorm", lrn.forward(x));
            }
            if matches!(n, 1 | 2 | 5) {
                x = tr.op(
                    &format!("pool{n}"),
                    "MaxPool2d",
                    max_pool(x, 3, 2, 0, false),
                );
            }
        }
        let x = pool_flatten(x, self.pool_size, tr);
        let x = tr.op("drop1", "Dropout", self.dropout.forward(x));
        let x = tr.linear("fc1", &self.fc1, self.fc1.forward(x));
        let x = tr.op("relu6", "ReLU", relu(x));
        let x = tr.op("drop2", "Dropout", self.dropout.forward(x));
        let x = tr.linear("fc2", &self.fc2, self.fc2.forward(x));
        let x = tr.op("relu7", "ReLU", relu(x));
        tr.linear("fc3", &self.fc3, self.fc3.forward(x))
    }
}
