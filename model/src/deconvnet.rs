//! DeconvNet — H. Noh, S. Hong, B. Han, "Learning deconvolution network for semantic segmentation",
//! ICCV 2015.
//!
//! A VGG-16 encoder with batch norm (five stages, max pooling that keeps its switches), two
//! fully-connected-as-convolution layers (fc6, fc7: 4096 maps), then a mirrored *deconvolution*
//! network: a transposed convolution back from fc7, and for each stage, deepest first, max-unpooling
//! with that stage's switches followed by 3×3 transposed convolutions with batch norm and ReLU; a
//! 1×1 convolution scores the classes `[B, classes, H, W]` at the input size. The paper's fc6 is a
//! 7×7 valid convolution on a 224 px input (pool5 is 7×7); here fc6 and its mirror are 3×3 with
//! padding so any input size works (zero-padded to a multiple of 32, scores cropped back).

use crate::ops::{self, Then};
use burn::config::Config;
use burn::module::Module;
use burn::nn::conv::{Conv2d, ConvTranspose2d, ConvTranspose2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};

use crate::builders::{ConvSpec, require_positive};
use crate::error::ModelError;
use crate::init::InitScheme;
use crate::segmentation::SegForward;
use crate::segnet::{mirrored_decoder, unpool_decode};
use crate::trace::Trace;
use crate::vgg_encoder::{VggEncoder, stage_width};

/// Configuration of [`DeconvNet`].
#[derive(Config, Debug)]
pub struct DeconvNetConfig {
    /// Number of classes.
    pub num_classes: usize,
    /// Input channels.
    #[config(default = 3)]
    pub in_channels: usize,
    /// Maps of the first VGG stage (64 in the paper).
    #[config(default = 64)]
    pub base_width: usize,
    /// Maps of fc6/fc7 (4096 in the paper).
    #[config(default = 4096)]
    pub fc_width: usize,
    /// Weight initialisation.
    #[config(default = "InitScheme::He")]
    pub init: InitScheme,
}

/// A 3×3 transposed convolution (stride 1) with batch norm and ReLU.
#[derive(Module, Debug)]
pub struct DeconvBnRelu {
    deconv: ConvTranspose2d,
    bn: BatchNorm,
}

impl DeconvBnRelu {
    fn new(c_in: usize, c_out: usize, device: &Device) -> Self {
        Self {
            deconv: ConvTranspose2dConfig::new([c_in, c_out], [3, 3])
                .with_padding([1, 1])
                .with_bias(false)
                .init(device),
            bn: BatchNormConfig::new(c_out).init(device),
        }
    }

    fn forward_traced(&self, x: Tensor<4>, name: &str, tr: &mut Trace) -> Tensor<4> {
        tr.scope(name, |tr| {
            let x = ops::conv_transpose2d(&self.deconv, x);
            let x = tr.conv_transpose("deconv", &self.deconv, x);
            let x = tr.batch_norm("bn", &self.bn, ops::batch_norm(&self.bn, x, Then::Relu));
            tr.op("relu", "ReLU", x)
        })
    }
}

/// DeconvNet.
#[derive(Module, Debug)]
pub struct DeconvNet {
    encoder: VggEncoder,
    fc6: Conv2d,
    fc7: Conv2d,
    deconv_fc6: DeconvBnRelu,
    decoder: Vec<Vec<DeconvBnRelu>>,
    head: Conv2d,
}

impl DeconvNetConfig {
    /// Build the network.
    pub fn init(&self, device: &Device) -> Result<DeconvNet, ModelError> {
        let sizes = [self.base_width, self.fc_width, self.num_classes];
        require_positive("DeconvNet", &sizes, "widths and num_classes")?;
        let width = |s| stage_width(self.base_width, s);
        let decoder = mirrored_decoder(self.base_width, 5, |c_in, c_out| {
            DeconvBnRelu::new(c_in, c_out, device)
        });
        Ok(DeconvNet {
            encoder: VggEncoder::new(self.in_channels, self.base_width, 5, self.init, device),
            fc6: ConvSpec::new(width(4), self.fc_width, 3, 1).init(self.init, device),
            fc7: ConvSpec::new(self.fc_width, self.fc_width, 1, 0).init(self.init, device),
            deconv_fc6: DeconvBnRelu::new(self.fc_width, width(4), device),
            decoder,
            head: ConvSpec::new(self.base_width, self.num_classes, 1, 0).init(self.init, device),
        })
    }
}

impl SegForward for DeconvNet {
    fn halvings(&self) -> usize {
        5
    }

    fn padded_forward(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<4> {
        let stages = self.encoder.forward_traced(x, tr);
        let Some(pool5) = stages.last().map(|s| s.pooled.clone()) else {
            unreachable!("the encoder has five stages")
        };
        let x = relu(tr.conv("fc6", &self.fc6, ops::conv2d(&self.fc6, pool5)));
        let x = relu(tr.conv("fc7", &self.fc7, ops::conv2d(&self.fc7, x)));
        let x = self.deconv_fc6.forward_traced(x, "deconv_fc6", tr);
        let x = unpool_decode(x, stages, &self.decoder, "deconv", tr, |u, x, name, tr| {
            u.forward_traced(x, name, tr)
        });
        tr.conv("head", &self.head, ops::conv2d(&self.head, x))
    }
}
