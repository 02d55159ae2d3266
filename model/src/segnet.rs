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

use crate::ops;
use burn::config::Config;
use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::tensor::{Device, Tensor};

use crate::builders::{ConvBnRelu, ConvSpec};
use crate::error::ModelError;
use crate::init::InitScheme;
use crate::layers::max_unpool2d;
use crate::segmentation::SegForward;
use crate::trace::Trace;
use crate::vgg_encoder::{StageOutput, VGG16_STAGES, VggEncoder, stage_width, unit};

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
    encoder: VggEncoder,
    decoder: Vec<Vec<ConvBnRelu>>,
    head: Conv2d,
}

impl SegNetConfig {
    /// Build the network.
    pub fn init(&self, device: &Device) -> Result<SegNet, ModelError> {
        if !(1..=5).contains(&self.stages) || self.base_width == 0 || self.num_classes == 0 {
            return Err(ModelError::invalid(
                "SegNet",
                "stages must be 1..=5, base_width and num_classes at least 1",
            ));
        }
        let decoder = mirrored_decoder(self.base_width, self.stages, |c_in, c_out| {
            unit(c_in, c_out, self.init, device)
        });
        Ok(SegNet {
            encoder: VggEncoder::new(
                self.in_channels,
                self.base_width,
                self.stages,
                self.init,
                device,
            ),
            decoder,
            head: ConvSpec::new(self.base_width, self.num_classes, 3, 1).init(self.init, device),
        })
    }
}

impl SegForward for SegNet {
    fn halvings(&self) -> usize {
        self.encoder.depth()
    }

    fn padded_forward(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<4> {
        let stages = self.encoder.forward_traced(x, tr);
        let x = match stages.last() {
            Some(last) => last.pooled.clone(),
            None => unreachable!("an encoder has at least one stage"),
        };
        let x = unpool_decode(x, stages, &self.decoder, "decoder", tr, |u, x, name, tr| {
            u.forward_traced(x, name, tr)
        });
        tr.conv("head", &self.head, ops::conv2d(&self.head, x))
    }
}

/// The decoder mirroring the first `stages` VGG-16 stages, deepest first: decoder stage `s` keeps
/// the width of encoder stage `s` and its last unit ends on the width of stage `s − 1` (or the
/// base width); `unit(c_in, c_out)` builds each unit. Shared with DeconvNet.
pub(crate) fn mirrored_decoder<U>(
    base_width: usize,
    stages: usize,
    mut unit: impl FnMut(usize, usize) -> U,
) -> Vec<Vec<U>> {
    let width = |s| stage_width(base_width, s);
    (0..stages)
        .rev()
        .map(|s| {
            let w = width(s);
            let out = if s == 0 { w } else { width(s - 1) };
            let n = VGG16_STAGES[s];
            (0..n)
                .map(|i| unit(w, if i + 1 == n { out } else { w }))
                .collect()
        })
        .collect()
}

/// Run a [`mirrored_decoder`] on `x`: each decoder stage max-unpools with the switches of its
/// encoder stage (deepest first, traced as `unpool<d>`), then applies its units (traced as
/// `<prefix><d>.<i>`) through `forward`. Shared with DeconvNet.
pub(crate) fn unpool_decode<U>(
    mut x: Tensor<4>,
    mut stages: Vec<StageOutput>,
    decoder: &[Vec<U>],
    prefix: &str,
    tr: &mut Trace,
    forward: impl Fn(&U, Tensor<4>, &str, &mut Trace) -> Tensor<4>,
) -> Tensor<4> {
    for (d, stage) in decoder.iter().enumerate() {
        let Some(skip) = stages.pop() else {
            unreachable!("one set of switches per stage")
        };
        let unpooled = max_unpool2d(x, skip.switches, skip.size);
        x = tr.op(&format!("unpool{}", d + 1), "MaxUnpool2d", unpooled);
        for (i, u) in stage.iter().enumerate() {
            x = forward(u, x, &format!("{prefix}{}.{}", d + 1, i + 1), tr);
        }
    }
    x
}
