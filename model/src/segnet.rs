//! SegNet — V. Badrinarayanan, A. Kendall, R. Cipolla, "SegNet: A deep convolutional encoder-decoder
//! architecture for image segmentation", IEEE TPAMI 2017.
//!
//! The encoder is VGG-16's 13 convolutions (3×3, batch norm, ReLU) in five stages of 2-2-3-3-3, each
//! closed by 2×2 max pooling that keeps its *switches* (the arg-max positions). The decoder mirrors
//! it: each stage first max-unpools with the switches of its encoder stage (no learnt up-sampling and
//! no skip features, only indices), then applies the mirrored convolutions; a final 3×3 convolution
//! gives the class scores `[B, classes, H, W]` at the input size. No fully connected layers.
//! `base_width` (64 in the paper) and `stages` (5) scale it down for 28–64 px images; inputs whose
//! sides are not multiples of 2^stages are zero-padded and the scores cropped back.

use burn::config::Config;
use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::tensor::module::max_pool2d_with_indices;
use burn::tensor::ops::{MaxPoolOptions, PadMode};
use burn::tensor::{Device, Tensor};

use crate::builders::{ConvBnRelu, ConvSpec};
use crate::error::ModelError;
use crate::init::InitScheme;
use crate::layers::max_unpool2d;
use crate::trace::Trace;

/// Convolutions per encoder stage in VGG-16.
const VGG16_STAGES: [usize; 5] = [2, 2, 3, 3, 3];

/// Configuration of [`SegNet`].
#[derive(Config, Debug)]
pub struct SegNetConfig {
    /// Number of classes.
    pub num_classes: usize,
    /// Input channels.
    #[config(default = 3)]
    pub in_channels: usize,
    /// Maps of the first stage (64 in the paper); stage s has base·2^min(s, 3).
    #[config(default = 64)]
    pub base_width: usize,
    /// Encoder stages (5 in the paper, 1 to 5).
    #[config(default = 5)]
    pub stages: usize,
    /// Weight initialisation (the paper uses He et al.'s).
    #[config(default = "InitScheme::He")]
    pub init: InitScheme,
}

/// SegNet.
#[derive(Module, Debug)]
pub struct SegNet {
    encoder: Vec<Vec<ConvBnRelu>>,
    decoder: Vec<Vec<ConvBnRelu>>,
    head: Conv2d,
}

impl SegNetConfig {
    fn width(&self, stage: usize) -> usize {
        self.base_width << stage.min(3)
    }

    /// Build the network.
    pub fn init(&self, device: &Device) -> Result<SegNet, ModelError> {
        if !(1..=5).contains(&self.stages) || self.base_width == 0 || self.num_classes == 0 {
            return Err(ModelError::invalid(
                "SegNet",
                "stages must be 1..=5, base_width and num_classes at least 1",
            ));
        }
        let unit = |a, b| {
            ConvBnRelu::new(
                ConvSpec::new(a, b, 3, 1).no_bias(),
                Some(1e-5),
                self.init,
                device,
            )
        };
        let mut c = self.in_channels;
        let encoder = (0..self.stages)
            .map(|s| {
                let w = self.width(s);
                (0..VGG16_STAGES[s])
                    .map(|_| {
                        let u = unit(c, w);
                        c = w;
                        u
                    })
                    .collect()
            })
            .collect();
        // Decoder stage s (deepest first) keeps width(s) and ends on width(s − 1) (or base).
        let decoder = (0..self.stages)
            .rev()
            .map(|s| {
                let w = self.width(s);
                let out = if s == 0 { w } else { self.width(s - 1) };
                let n = VGG16_STAGES[s];
                (0..n)
                    .map(|i| unit(w, if i + 1 == n { out } else { w }))
                    .collect()
            })
            .collect();
        Ok(SegNet {
            encoder,
            decoder,
            head: ConvSpec::new(self.base_width, self.num_classes, 3, 1).init(self.init, device),
        })
    }
}

impl SegNet {
    /// Per-pixel class scores `[B, classes, H, W]` for images `[B, C, H, W]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        self.forward_traced(x, &mut Trace::off())
    }

    /// Forward pass recording every layer into `tr`.
    pub fn forward_traced(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<4> {
        let [b, _, h, w] = x.dims();
        let m = 1usize << self.encoder.len();
        let (ph, pw) = ((m - h % m) % m, (m - w % m) % m);
        let mut x = if ph + pw > 0 {
            x.pad([(0, ph), (0, pw)], PadMode::Constant(0.0))
        } else {
            x
        };
        let mut switches = Vec::with_capacity(self.encoder.len());
        for (s, stage) in self.encoder.iter().enumerate() {
            for (i, unit) in stage.iter().enumerate() {
                x = unit.forward_traced(x, &format!("encoder{}.{}", s + 1, i + 1), tr);
            }
            let [_, _, sh, sw] = x.dims();
            let (pooled, idx) = max_pool2d_with_indices(x, MaxPoolOptions::new([2, 2]));
            x = tr.op(&format!("pool{}", s + 1), "MaxPool2d+switches", pooled);
            switches.push((idx, [sh, sw]));
        }
        for (d, stage) in self.decoder.iter().enumerate() {
            let (idx, size) = switches
                .pop()
                .unwrap_or_else(|| unreachable!("one switch set per stage"));
            x = tr.op(
                &format!("unpool{}", d + 1),
                "MaxUnpool2d",
                max_unpool2d(x, idx, size),
            );
            for (i, unit) in stage.iter().enumerate() {
                x = unit.forward_traced(x, &format!("decoder{}.{}", d + 1, i + 1), tr);
            }
        }
        let scores = tr.conv("head", &self.head, self.head.forward(x));
        let classes = scores.dims()[1];
        if ph + pw > 0 {
            scores.slice([0..b, 0..classes, 0..h, 0..w])
        } else {
            scores
        }
    }
}
