//! The VGG-16 convolutional encoder shared by the segmentation networks (SegNet, DeconvNet, FCN):
//! five stages of 2-2-3-3-3 3×3 convolutions with batch norm and ReLU, each closed by 2×2 max
//! pooling that keeps its switches. Widths start at `base_width` and double up to 8× (64 → 512 in
//! Simonyan & Zisserman's network).

use burn::module::Module;
use burn::tensor::module::max_pool2d_with_indices;
use burn::tensor::ops::{MaxPoolOptions, PadMode};
use burn::tensor::{Device, Int, Tensor};

use crate::builders::{ConvBnRelu, ConvSpec};
use crate::init::InitScheme;
use crate::trace::Trace;

/// Convolutions per stage in VGG-16.
pub const VGG16_STAGES: [usize; 5] = [2, 2, 3, 3, 3];

/// Maps of stage `s` for a given base width.
pub fn stage_width(base_width: usize, stage: usize) -> usize {
    base_width << stage.min(3)
}

/// One 3×3 convolution + batch norm + ReLU unit.
pub fn unit(c_in: usize, c_out: usize, init: InitScheme, device: &Device) -> ConvBnRelu {
    ConvBnRelu::new(
        ConvSpec::new(c_in, c_out, 3, 1).no_bias(),
        Some(1e-5),
        init,
        device,
    )
}

/// What a pooling stage leaves for the decoder.
pub struct StageOutput {
    /// The pooled maps.
    pub pooled: Tensor<4>,
    /// Arg-max positions of the pooling (for unpooling).
    pub switches: Tensor<4, Int>,
    /// Size of the maps before pooling.
    pub size: [usize; 2],
}

/// The encoder.
#[derive(Module, Debug)]
pub struct VggEncoder {
    stages: Vec<Vec<ConvBnRelu>>,
}

impl VggEncoder {
    /// The first `stages` stages of VGG-16 from `in_channels`.
    pub fn new(
        in_channels: usize,
        base_width: usize,
        stages: usize,
        init: InitScheme,
        device: &Device,
    ) -> Self {
        let mut c = in_channels;
        let stages = (0..stages)
            .map(|s| {
                let w = stage_width(base_width, s);
                (0..VGG16_STAGES[s])
                    .map(|_| {
                        let u = unit(c, w, init, device);
                        c = w;
                        u
                    })
                    .collect()
            })
            .collect();
        Self { stages }
    }

    /// Number of stages (the input must be divisible by 2^stages; see [`pad_to_multiple`]).
    pub fn depth(&self) -> usize {
        self.stages.len()
    }

    /// Run every stage; returns the deepest maps (the input itself without stages) and each
    /// stage's pooled output with its switches.
    pub fn forward_traced(
        &self,
        mut x: Tensor<4>,
        tr: &mut Trace,
    ) -> (Tensor<4>, Vec<StageOutput>) {
        let mut out = Vec::with_capacity(self.stages.len());
        for (s, stage) in self.stages.iter().enumerate() {
            for (i, u) in stage.iter().enumerate() {
                x = u.forward_traced(x, &format!("encoder{}.{}", s + 1, i + 1), tr);
            }
            let [_, _, h, w] = x.dims();
            let (pooled, switches) = max_pool2d_with_indices(x, MaxPoolOptions::new([2, 2]));
            x = tr.op(&format!("pool{}", s + 1), "MaxPool2d+switches", pooled);
            out.push(StageOutput {
                pooled: x.clone(),
                switches,
                size: [h, w],
            });
        }
        (x, out)
    }
}

/// Zero-pad the bottom/right of `x` so both sides are multiples of `m`; returns the padding.
pub fn pad_to_multiple(x: Tensor<4>, m: usize) -> (Tensor<4>, [usize; 2]) {
    let [_, _, h, w] = x.dims();
    let (ph, pw) = ((m - h % m) % m, (m - w % m) % m);
    if ph + pw == 0 {
        return (x, [0, 0]);
    }
    (x.pad([(0, ph), (0, pw)], PadMode::Constant(0.0)), [ph, pw])
}

/// Crop scores back to `[h, w]` after [`pad_to_multiple`].
pub fn crop(scores: Tensor<4>, h: usize, w: usize) -> Tensor<4> {
    let [b, c, sh, sw] = scores.dims();
    if sh == h && sw == w {
        scores
    } else {
        scores.slice([0..b, 0..c, 0..h, 0..w])
    }
}
