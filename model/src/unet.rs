//! U-Net — O. Ronneberger, P. Fischer, T. Brox, "U-Net: Convolutional networks for biomedical image
//! segmentation", MICCAI 2015.
//!
//! An encoder of `depth` levels (two 3×3 convolutions, then 2×2 max pooling, doubling the maps from
//! `base_width`), a bottleneck, and a decoder that up-samples with 2×2 stride-2 transposed
//! convolutions, concatenates the encoder's maps of the same level (the skip connections) and applies
//! two 3×3 convolutions; a final 1×1 convolution gives class scores. The paper's unpadded
//! convolutions and cropping are replaced by padded ones, as most implementations do, so the output
//! `[B, classes, H, W]` has the input's size; inputs whose sides are not multiples of 2^depth are
//! zero-padded on the bottom/right and the scores cropped back. The paper's network is `depth` 4,
//! `base_width` 64, no batch norm.

use crate::ops;
use burn::config::Config;
use burn::module::Module;
use burn::nn::conv::{Conv2d, ConvTranspose2d, ConvTranspose2dConfig};
use burn::tensor::{Device, Tensor};

use crate::builders::{ConvBnRelu, ConvSpec, max_pool, require_positive};
use crate::error::ModelError;
use crate::init::InitScheme;
use crate::segmentation::SegForward;
use crate::trace::Trace;

/// Configuration of [`UNet`].
#[derive(Config, Debug)]
pub struct UNetConfig {
    /// Number of classes (output maps).
    pub num_classes: usize,
    /// Input channels.
    #[config(default = 3)]
    pub in_channels: usize,
    /// Maps of the first level (64 in the paper).
    #[config(default = 64)]
    pub base_width: usize,
    /// Number of down-sampling levels (4 in the paper).
    #[config(default = 4)]
    pub depth: usize,
    /// Batch normalisation after each convolution (not in the paper; helps small-batch training).
    #[config(default = true)]
    pub batch_norm: bool,
    /// Weight initialisation (the paper draws N(0, 2/N) with N the incoming connections: He).
    #[config(default = "InitScheme::He")]
    pub init: InitScheme,
}

/// Two 3×3 convolutions with ReLU.
#[derive(Module, Debug)]
pub struct DoubleConv {
    first: ConvBnRelu,
    second: ConvBnRelu,
}

impl DoubleConv {
    fn new(c_in: usize, c_out: usize, bn: bool, init: InitScheme, device: &Device) -> Self {
        let spec = |a, b| {
            let s = ConvSpec::new(a, b, 3, 1);
            if bn { s.no_bias() } else { s }
        };
        let eps = bn.then_some(1e-5);
        Self {
            first: ConvBnRelu::new(spec(c_in, c_out), eps, init, device),
            second: ConvBnRelu::new(spec(c_out, c_out), eps, init, device),
        }
    }

    fn forward_traced(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<4> {
        let x = self.first.forward_traced(x, "conv1", tr);
        self.second.forward_traced(x, "conv2", tr)
    }
}

/// U-Net.
#[derive(Module, Debug)]
pub struct UNet {
    down: Vec<DoubleConv>,
    bottleneck: DoubleConv,
    up: Vec<ConvTranspose2d>,
    up_conv: Vec<DoubleConv>,
    head: Conv2d,
}

impl UNetConfig {
    /// Build the network.
    pub fn init(&self, device: &Device) -> Result<UNet, ModelError> {
        let sizes = [self.depth, self.base_width, self.num_classes];
        require_positive("U-Net", &sizes, "depth, base_width and num_classes")?;
        let bn = self.batch_norm;
        let widths: Vec<usize> = (0..self.depth).map(|l| self.base_width << l).collect();
        let mut c_in = self.in_channels;
        let down = widths
            .iter()
            .map(|&w| {
                let block = DoubleConv::new(c_in, w, bn, self.init, device);
                c_in = w;
                block
            })
            .collect();
        let bottom = self.base_width << self.depth;
        let bottleneck = DoubleConv::new(c_in, bottom, bn, self.init, device);
        let mut up = Vec::new();
        let mut up_conv = Vec::new();
        let mut c = bottom;
        for &w in widths.iter().rev() {
            up.push(
                ConvTranspose2dConfig::new([c, w], [2, 2])
                    .with_stride([2, 2])
                    .init(device),
            );
            up_conv.push(DoubleConv::new(2 * w, w, bn, self.init, device));
            c = w;
        }
        Ok(UNet {
            down,
            bottleneck,
            up,
            up_conv,
            head: ConvSpec::new(self.base_width, self.num_classes, 1, 0).init(self.init, device),
        })
    }
}

impl SegForward for UNet {
    fn halvings(&self) -> usize {
        self.down.len()
    }

    fn padded_forward(&self, mut x: Tensor<4>, tr: &mut Trace) -> Tensor<4> {
        let mut skips = Vec::with_capacity(self.down.len());
        for (l, block) in self.down.iter().enumerate() {
            x = tr.scope(&format!("down{}", l + 1), |tr| block.forward_traced(x, tr));
            skips.push(x.clone());
            x = tr.op(
                &format!("pool{}", l + 1),
                "MaxPool2d",
                max_pool(x, 2, 2, 0, false),
            );
        }
        x = tr.scope("bottleneck", |tr| self.bottleneck.forward_traced(x, tr));
        for (l, (up, block)) in self.up.iter().zip(&self.up_conv).enumerate() {
            let skip = skips
                .pop()
                .unwrap_or_else(|| unreachable!("one skip per level"));
            let upsampled = tr.module(
                &format!("up{}", l + 1),
                "ConvTranspose2d",
                up,
                0,
                ops::conv_transpose2d(up, x),
            );
            let joined = tr.op(
                &format!("concat{}", l + 1),
                "Concat",
                Tensor::cat(vec![skip, upsampled], 1),
            );
            x = tr.scope(&format!("upconv{}", l + 1), |tr| {
                block.forward_traced(joined, tr)
            });
        }
        tr.conv("head", &self.head, ops::conv2d(&self.head, x))
    }
}
