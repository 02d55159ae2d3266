//! ResNet — K. He, X. Zhang, S. Ren, J. Sun, "Deep residual learning for image recognition",
//! CVPR 2016.
//!
//! | name | block | units per stage | parameters (1000 classes) |
//! | --- | --- | --- | --- |
//! | resnet18 | basic | 2-2-2-2 | 11,689,512 |
//! | resnet34 | basic | 3-4-6-3 | 21,797,672 |
//! | resnet50 | bottleneck | 3-4-6-3 | 25,557,032 |
//! | resnet101 | bottleneck | 3-4-23-3 | 44,549,160 |
//! | resnet152 | bottleneck | 3-8-36-3 | 60,192,808 |
//!
//! | resnet20/32/44/56/110 | basic | 3 stages of (depth − 2)/6 | ResNet-20: 272,474 (10 classes) |
//!
//! ImageNet stem: 7×7/2 convolution (64 maps), batch norm, ReLU, 3×3/2 max pool — a 224 px input
//! reaches the stages at 56×56 and the global average pool at 7×7. Small-input stem (the paper's
//! CIFAR section): 3×3/1 convolution and no max pool, so a 32 px input reaches the pool at 4×4.
//! Stages have widths 64, 128, 256, 512 (×4 for bottlenecks); stages 2–4 halve the resolution.
//! The CIFAR networks of the paper's section 4.2 (ResNet-20 … 110) have three stages of 16, 32 and
//! 64 maps on the small stem; shape changes use projection shortcuts (the paper's option B — its
//! table quotes option A, identity with zero padding, hence ResNet-20's 0.27 M).
//! Initialisation follows torchvision: He fan-out for convolutions, γ = 1, β = 0.

use crate::ops::{self, Then};
use burn::config::Config;
use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::nn::{BatchNorm, BatchNormConfig, Linear};
use burn::tensor::module::adaptive_avg_pool2d;
use burn::tensor::{Device, Tensor};

use crate::builders::{ConvSpec, linear, max_pool};
use crate::error::ModelError;
use crate::init::InitScheme;
use crate::resnet_block::{BlockKind, ResidualBlock};
use crate::trace::Trace;

/// Block kind, units per stage and stage widths of a depth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Residual unit.
    pub kind: BlockKind,
    /// Units per stage.
    pub units: Vec<usize>,
    /// Width of each stage (before the bottleneck expansion).
    pub widths: Vec<usize>,
}

/// The paper's depths: 18/34/50/101/152 (ImageNet, four stages of 64–512 maps) and 20/32/44/56/110
/// (its CIFAR-10 section 4.2: three stages of 16, 32, 64 maps with n = (depth − 2)/6 basic units).
pub fn depth_layout(depth: usize) -> Option<Layout> {
    let imagenet = |kind, units: [usize; 4]| Layout {
        kind,
        units: units.to_vec(),
        widths: vec![64, 128, 256, 512],
    };
    Some(match depth {
        18 => imagenet(BlockKind::Basic, [2, 2, 2, 2]),
        34 => imagenet(BlockKind::Basic, [3, 4, 6, 3]),
        50 => imagenet(BlockKind::Bottleneck, [3, 4, 6, 3]),
        101 => imagenet(BlockKind::Bottleneck, [3, 4, 23, 3]),
        152 => imagenet(BlockKind::Bottleneck, [3, 8, 36, 3]),
        20 | 32 | 44 | 56 | 110 => Layout {
            kind: BlockKind::Basic,
            units: vec![(depth - 2) / 6; 3],
            widths: vec![16, 32, 64],
        },
        _ => return None,
    })
}

/// Configuration of [`ResNet`].
#[derive(Config, Debug)]
pub struct ResNetConfig {
    /// 18, 34, 50, 101 or 152.
    pub depth: usize,
    /// Number of output classes.
    pub num_classes: usize,
    /// Input channels.
    #[config(default = 3)]
    pub in_channels: usize,
    /// Input side in pixels.
    #[config(default = 224)]
    pub input_size: usize,
    /// 3×3 stride-1 stem without max pooling, for 28–64 px inputs.
    #[config(default = false)]
    pub small_input: bool,
    /// Start every residual branch at zero (Goyal et al. 2017).
    #[config(default = false)]
    pub zero_init_residual: bool,
    /// Initialisation of the convolutions.
    #[config(default = "InitScheme::HeFanOut")]
    pub init: InitScheme,
    /// Divides every width (maps and hidden units) by this factor: reduced copies for tests and
    /// quick experiments (1 = the paper's network).
    #[config(default = 1)]
    pub width_divisor: usize,
}

/// ResNet-18/34/50/101/152.
#[derive(Module, Debug)]
pub struct ResNet {
    stem: Conv2d,
    stem_bn: BatchNorm,
    stem_pool: bool,
    stages: Vec<Vec<ResidualBlock>>,
    fc: Linear,
}

impl ResNetConfig {
    /// Build the network.
    pub fn init(&self, device: &Device) -> Result<ResNet, ModelError> {
        let Layout {
            kind,
            units,
            widths,
        } = depth_layout(self.depth).ok_or_else(|| {
            ModelError::invalid(
                "ResNet",
                format!(
                    "depth {} is not one of 18, 34, 50, 101, 152, 20, 32, 44, 56, 110",
                    self.depth
                ),
            )
        })?;
        // The CIFAR depths always use the small stem.
        let small_input = self.small_input || widths.len() == 3;
        let widths = crate::builders::divide_widths("ResNet", &widths, self.width_divisor)?;
        let min = if small_input { 8 } else { 32 };
        if self.input_size < min {
            return Err(ModelError::invalid(
                "ResNet",
                format!(
                    "input {} px is below the minimum of {min}{}",
                    self.input_size,
                    if self.small_input {
                        ""
                    } else {
                        "; use a `_small` variant"
                    }
                ),
            ));
        }
        let stem_width = widths[0];
        let stem = if small_input {
            ConvSpec::new(self.in_channels, stem_width, 3, 1)
        } else {
            ConvSpec::new(self.in_channels, stem_width, 7, 3).stride(2)
        };
        let mut c_in = stem_width;
        let last_width = widths[widths.len() - 1];
        let stages = units
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(s, (&n, width))| {
                (0..n)
                    .map(|i| {
                        let stride = if s > 0 && i == 0 { 2 } else { 1 };
                        let block = ResidualBlock::new(
                            kind,
                            c_in,
                            width,
                            stride,
                            self.zero_init_residual,
                            self.init,
                            device,
                        );
                        c_in = width * kind.expansion();
                        block
                    })
                    .collect()
            })
            .collect();
        Ok(ResNet {
            stem: stem.no_bias().init(self.init, device),
            stem_bn: BatchNormConfig::new(stem_width).init(device),
            stem_pool: !small_input,
            stages,
            fc: linear(
                last_width * kind.expansion(),
                self.num_classes,
                InitScheme::Default,
                device,
            ),
        })
    }
}

impl ResNet {
    /// Class scores `[B, num_classes]` for images `[B, C, H, W]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        self.forward_traced(x, &mut Trace::off())
    }

    /// Forward pass recording every layer into `tr`.
    pub fn forward_traced(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<2> {
        let x = tr.conv("conv1", &self.stem, ops::conv2d(&self.stem, x));
        let x = ops::batch_norm(&self.stem_bn, x, Then::Relu);
        let x = tr.batch_norm("bn1", &self.stem_bn, x);
        let mut x = tr.op("relu", "ReLU", x);
        if self.stem_pool {
            x = tr.op("maxpool", "MaxPool2d", max_pool(x, 3, 2, 1, false));
        }
        for (s, stage) in self.stages.iter().enumerate() {
            for (i, block) in stage.iter().enumerate() {
                x = tr.scope(&format!("layer{}.{i}", s + 1), |tr| {
                    block.forward_traced(x, tr)
                });
            }
        }
        let x = tr.op(
            "avgpool",
            "AdaptiveAvgPool2d",
            adaptive_avg_pool2d(x, [1, 1]),
        );
        let x = tr.op("flatten", "Flatten", x.flatten(1, 3));
        tr.linear("fc", &self.fc, self.fc.forward(x))
    }
}
