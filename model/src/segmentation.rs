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
