//! FCN — J. Long, E. Shelhamer, T. Darrell, "Fully convolutional networks for semantic
//! segmentation", CVPR 2015, on the VGG-16 backbone.
//!
//! The classifier's fully connected layers become convolutions (fc6: 7×7 in the paper — here 3×3
//! with padding so any input size works —, fc7: 1×1, with dropout 0.5), a 1×1 convolution scores each
//! class at stride 32, and transposed convolutions up-sample the scores back to the input size:
//! FCN-32s in one ×32 step; FCN-8s fuses (adds) 1×1 class scores of pool4 after a ×2 step and of
//! pool3 after another ×2 step, then up-samples ×8. Up-sampling kernels are initialised to bilinear
//! interpolation, as in the paper. Sizes are exact because inputs are zero-padded to a multiple of 32
//! (then cropped) instead of the paper's 100-pixel padding and crop layers.

use crate::ops;
use burn::config::Config;
use burn::module::{Module, Param};
use burn::nn::conv::{Conv2d, ConvTranspose2d, ConvTranspose2dConfig};
use burn::nn::{Dropout, DropoutConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor, TensorData};

use crate::builders::ConvSpec;
use crate::error::ModelError;
use crate::init::InitScheme;
use crate::segmentation::SegForward;
use crate::trace::Trace;
use crate::vgg_encoder::{VggEncoder, stage_width};

/// Configuration of [`Fcn`].
#[derive(Config, Debug)]
pub struct FcnConfig {
    /// Number of classes.
    pub num_classes: usize,
    /// Input channels.
    #[config(default = 3)]
    pub in_channels: usize,
    /// Output stride of the final up-sampling: 32 (FCN-32s) or 8 (FCN-8s, with pool4 and pool3 skips).
    #[config(default = 8)]
    pub stride: usize,
    /// Maps of the first VGG stage (64 in the paper).
    #[config(default = 64)]
    pub base_width: usize,
    /// Maps of fc6/fc7 (4096 in the paper).
    #[config(default = 4096)]
    pub fc_width: usize,
    /// Weight initialisation of the backbone.
    #[config(default = "InitScheme::He")]
    pub init: InitScheme,
}

/// FCN-32s or FCN-8s.
#[derive(Module, Debug)]
pub struct Fcn {
    encoder: VggEncoder,
    fc6: Conv2d,
    fc7: Conv2d,
    dropout: Dropout,
    score: Conv2d,
    score_pool4: Option<Conv2d>,
    score_pool3: Option<Conv2d>,
    up2_a: Option<ConvTranspose2d>,
    up2_b: Option<ConvTranspose2d>,
    up_final: ConvTranspose2d,
}

/// A `factor`× transposed convolution (kernel 2·factor, padding factor/2) initialised to bilinear
/// interpolation of each class map, without bias.
fn bilinear_up(classes: usize, factor: usize, device: &Device) -> ConvTranspose2d {
    let k = 2 * factor;
    let mut up = ConvTranspose2dConfig::new([classes, classes], [k, k])
        .with_stride([factor, factor])
        .with_padding([factor / 2, factor / 2])
        .with_bias(false)
        .init(device);
    let centre = (k as f32 - 1.0) / 2.0;
    let f = factor as f32;
    let tap = |i: usize| 1.0 - ((i as f32 - centre).abs() / f);
    let mut w = vec![0.0f32; classes * classes * k * k];
    for c in 0..classes {
        for y in 0..k {
            for x in 0..k {
                w[((c * classes + c) * k + y) * k + x] = tap(y) * tap(x);
            }
        }
    }
    up.weight = Param::from_tensor(Tensor::from_data(
        TensorData::new(w, [classes, classes, k, k]),
        device,
    ));
    up
}

impl FcnConfig {
    /// Build the network.
    pub fn init(&self, device: &Device) -> Result<Fcn, ModelError> {
        if self.stride != 8 && self.stride != 32 {
            return Err(ModelError::invalid(
                "FCN",
                format!("stride must be 8 or 32, got {}", self.stride),
            ));
        }
        let c5 = stage_width(self.base_width, 4);
        let classes = self.num_classes;
        let eight = self.stride == 8;
        let score_conv =
            |c_in| ConvSpec::new(c_in, classes, 1, 0).init(InitScheme::Default, device);
        Ok(Fcn {
            encoder: VggEncoder::new(self.in_channels, self.base_width, 5, self.init, device),
            fc6: ConvSpec::new(c5, self.fc_width, 3, 1).init(self.init, device),
            fc7: ConvSpec::new(self.fc_width, self.fc_width, 1, 0).init(self.init, device),
            dropout: DropoutConfig::new(0.5).init(),
            score: score_conv(self.fc_width),
            score_pool4: eight.then(|| score_conv(stage_width(self.base_width, 3))),
            score_pool3: eight.then(|| score_conv(stage_width(self.base_width, 2))),
            up2_a: eight.then(|| bilinear_up(classes, 2, device)),
            up2_b: eight.then(|| bilinear_up(classes, 2, device)),
            up_final: bilinear_up(classes, self.stride, device),
        })
    }
}

impl Fcn {
    /// Per-pixel class scores `[B, classes, H, W]` for images `[B, C, H, W]` (as
    /// [`SegForward::forward`]).
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        SegForward::forward(self, x)
    }
}

impl SegForward for Fcn {
    fn halvings(&self) -> usize {
        5
    }

    fn padded_forward(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<4> {
        let stages = self.encoder.forward_traced(x, tr);
        let pool5 = stages[4].pooled.clone();
        let x = tr.conv("fc6", &self.fc6, ops::conv2d(&self.fc6, pool5));
        let x = self.dropout.forward(relu(x));
        let x = tr.conv("fc7", &self.fc7, ops::conv2d(&self.fc7, x));
        let x = self.dropout.forward(relu(x));
        let mut s = tr.conv("score", &self.score, ops::conv2d(&self.score, x));
        if let (Some(p4), Some(p3), Some(u_a), Some(u_b)) = (
            &self.score_pool4,
            &self.score_pool3,
            &self.up2_a,
            &self.up2_b,
        ) {
            s = tr.conv_transpose("up2_a", u_a, ops::conv_transpose2d(u_a, s));
            s = s + tr.conv("score_pool4", p4, ops::conv2d(p4, stages[3].pooled.clone()));
            s = tr.conv_transpose("up2_b", u_b, ops::conv_transpose2d(u_b, s));
            s = s + tr.conv("score_pool3", p3, ops::conv2d(p3, stages[2].pooled.clone()));
        }
        let s = ops::conv_transpose2d(&self.up_final, s);
        tr.conv_transpose("up_final", &self.up_final, s)
    }
}
