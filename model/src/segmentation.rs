//! One type for every segmentation network — [`SegNetwork`] and its recipe [`SegNetworkConfig`] —
//! and their registry: `unet`, `segnet`, `deconvnet`, `fcn8s`, `fcn32s` (the papers' widths) and
//! `_small` forms (a quarter of the widths, for 28–64 px images on a CPU).

use burn::config::Config;
use burn::module::Module;
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::deconvnet::{DeconvNet, DeconvNetConfig};
use crate::error::ModelError;
use crate::fcn::{Fcn, FcnConfig};
use crate::segnet::{SegNet, SegNetConfig};
use crate::trace::Trace;
use crate::unet::{UNet, UNetConfig};
use crate::vgg_encoder::{crop, pad_to_multiple};

/// The recipe of a segmentation network.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum SegNetworkConfig {
    /// U-Net.
    UNet(UNetConfig),
    /// SegNet.
    SegNet(SegNetConfig),
    /// DeconvNet.
    DeconvNet(DeconvNetConfig),
    /// FCN-8s / FCN-32s.
    Fcn(FcnConfig),
}

impl Config for SegNetworkConfig {}

impl SegNetworkConfig {
    /// Build the network on `device`.
    pub fn init(&self, device: &Device) -> Result<SegNetwork, ModelError> {
        Ok(match self {
            Self::UNet(c) => SegNetwork::UNet(c.init(device)?),
            Self::SegNet(c) => SegNetwork::SegNet(c.init(device)?),
            Self::DeconvNet(c) => SegNetwork::DeconvNet(c.init(device)?),
            Self::Fcn(c) => SegNetwork::Fcn(c.init(device)?),
        })
    }
}

impl SegNetworkConfig {
    /// The base width (channels of the first stage).
    pub fn base_width(&self) -> usize {
        match self {
            Self::UNet(c) => c.base_width,
            Self::SegNet(c) => c.base_width,
            Self::DeconvNet(c) => c.base_width,
            Self::Fcn(c) => c.base_width,
        }
    }

    /// The same network with base width `width`; the fully convolutional layers of DeconvNet and
    /// FCN keep their ratio to the base width (4096 : 64 in the papers).
    pub fn with_base_width(mut self, width: usize) -> Self {
        let width = width.max(1);
        match &mut self {
            Self::UNet(c) => c.base_width = width,
            Self::SegNet(c) => c.base_width = width,
            Self::DeconvNet(c) => {
                c.fc_width = (c.fc_width * width / c.base_width.max(1)).max(1);
                c.base_width = width;
            }
            Self::Fcn(c) => {
                c.fc_width = (c.fc_width * width / c.base_width.max(1)).max(1);
                c.base_width = width;
            }
        }
        self
    }
}

/// Any segmentation network of the zoo.
// One network is built per run, so the size difference between the variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum SegNetwork {
    /// U-Net.
    UNet(UNet),
    /// SegNet.
    SegNet(SegNet),
    /// DeconvNet.
    DeconvNet(DeconvNet),
    /// FCN.
    Fcn(Fcn),
}

/// The forward pass every segmentation network shares: inputs whose sides are not multiples of
/// [`side_multiple`](Self::side_multiple) are zero-padded at the bottom and right, the network
/// scores the padded input ([`padded_forward`](Self::padded_forward)) and the scores are cropped
/// back to the input size.
pub trait SegForward {
    /// How many times the network halves its input (its 2×2 poolings).
    fn halvings(&self) -> usize;

    /// What both input sides are padded to a multiple of (the network's total down-sampling).
    fn side_multiple(&self) -> usize {
        1 << self.halvings()
    }

    /// Scores of an input whose sides are multiples of [`side_multiple`](Self::side_multiple),
    /// recording every layer into `tr`.
    fn padded_forward(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<4>;

    /// Per-pixel class scores `[B, classes, H, W]` for images `[B, C, H, W]`, recording every
    /// layer into `tr`.
    fn forward_traced(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<4> {
        let [_, _, h, w] = x.dims();
        let (x, _) = pad_to_multiple(x, self.side_multiple());
        crop(self.padded_forward(x, tr), h, w)
    }

    /// Per-pixel class scores `[B, classes, H, W]` for images `[B, C, H, W]`.
    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        self.forward_traced(x, &mut Trace::off())
    }
}

impl SegNetwork {
    /// Per-pixel class scores `[B, classes, H, W]` for images `[B, C, H, W]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        self.forward_traced(x, &mut Trace::off())
    }

    /// Forward pass recording every layer.
    pub fn forward_traced(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<4> {
        match self {
            Self::UNet(m) => m.forward_traced(x, tr),
            Self::SegNet(m) => m.forward_traced(x, tr),
            Self::DeconvNet(m) => m.forward_traced(x, tr),
            Self::Fcn(m) => m.forward_traced(x, tr),
        }
    }
}

/// Names of the registered segmentation networks.
pub const SEGMENTATION_MODELS: [&str; 10] = [
    "unet",
    "unet_small",
    "segnet",
    "segnet_small",
    "deconvnet",
    "deconvnet_small",
    "fcn8s",
    "fcn8s_small",
    "fcn32s",
    "fcn32s_small",
];

/// The configuration of segmentation model `name` for `num_classes` classes and `in_channels`.
pub fn segmentation_config(
    name: &str,
    num_classes: usize,
    in_channels: usize,
) -> Result<SegNetworkConfig, ModelError> {
    let small = name.ends_with("_small");
    let (base, fc) = if small { (16, 256) } else { (64, 4096) };
    Ok(match name.trim_end_matches("_small") {
        "unet" => SegNetworkConfig::UNet(
            UNetConfig::new(num_classes)
                .with_in_channels(in_channels)
                .with_base_width(base)
                .with_depth(if small { 3 } else { 4 }),
        ),
        "segnet" => SegNetworkConfig::SegNet(
            SegNetConfig::new(num_classes)
                .with_in_channels(in_channels)
                .with_base_width(base)
                .with_stages(if small { 3 } else { 5 }),
        ),
        "deconvnet" => SegNetworkConfig::DeconvNet(
            DeconvNetConfig::new(num_classes)
                .with_in_channels(in_channels)
                .with_base_width(base)
                .with_fc_width(fc),
        ),
        "fcn8s" | "fcn32s" => SegNetworkConfig::Fcn(
            FcnConfig::new(num_classes)
                .with_in_channels(in_channels)
                .with_stride(if name.starts_with("fcn8s") { 8 } else { 32 })
                .with_base_width(base)
                .with_fc_width(fc),
        ),
        _ => {
            return Err(ModelError::UnknownModel {
                name: name.to_string(),
                valid: SEGMENTATION_MODELS.iter().map(|s| s.to_string()).collect(),
            });
        }
    })
}

/// A registered segmentation network and the input and classes it is set up for by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegEntry {
    /// Registry name.
    pub name: &'static str,
    /// The paper it follows.
    pub paper: &'static str,
    /// Input side by default: 32 for the `_small` forms, 224 for the papers' forms.
    pub default_input: usize,
    /// Input channels by default: 1 for the `_small` forms (digits), 3 otherwise.
    pub default_channels: usize,
    /// Classes by default: 11 for the `_small` forms (digits-seg), 21 otherwise (PASCAL VOC).
    pub default_classes: usize,
}

/// The segmentation entry of `name`, if it is one.
pub fn segmentation_entry(name: &str) -> Option<SegEntry> {
    let name = *SEGMENTATION_MODELS.iter().find(|n| **n == name)?;
    let small = name.ends_with("_small");
    let paper = match name.trim_end_matches("_small") {
        "unet" => "Ronneberger et al., U-Net, MICCAI 2015",
        "segnet" => "Badrinarayanan et al., SegNet, TPAMI 2017",
        "deconvnet" => "Noh et al., Learning deconvolution network for segmentation, ICCV 2015",
        _ => "Long et al., Fully convolutional networks for semantic segmentation, CVPR 2015",
    };
    Some(SegEntry {
        name,
        paper,
        default_input: if small { 32 } else { 224 },
        default_channels: if small { 1 } else { 3 },
        default_classes: if small { 11 } else { 21 },
    })
}
