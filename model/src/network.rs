//! One type for every classifier in the zoo, so training, checkpoints and inference handle any of
//! them: [`Network`] (the module) and [`NetworkConfig`] (its serialisable recipe).

use burn::config::Config;
use burn::module::Module;
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::alexnet::{AlexNet, AlexNetConfig};
use crate::error::ModelError;
use crate::googlenet::{GoogLeNet, GoogLeNetConfig};
use crate::lenet::{LeNet5, LeNet5Config};
use crate::resnet::{ResNet, ResNetConfig};
use crate::trace::Trace;
use crate::vgg::{Vgg, VggConfig};

/// The recipe of a network: its family and that family's configuration. Saved as JSON beside the
/// weights of a run and read back by inference.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum NetworkConfig {
    /// LeNet-5.
    LeNet5(LeNet5Config),
    /// AlexNet.
    AlexNet(AlexNetConfig),
    /// VGG.
    Vgg(VggConfig),
    /// GoogLeNet.
    GoogLeNet(GoogLeNetConfig),
    /// ResNet.
    ResNet(ResNetConfig),
}

impl Config for NetworkConfig {}

impl NetworkConfig {
    /// Build the network on `device` with freshly initialised weights.
    pub fn init(&self, device: &Device) -> Result<Network, ModelError> {
        Ok(match self {
            NetworkConfig::LeNet5(c) => Network::LeNet5(c.init(device)?),
            NetworkConfig::AlexNet(c) => Network::AlexNet(c.init(device)?),
            NetworkConfig::Vgg(c) => Network::Vgg(c.init(device)?),
            NetworkConfig::GoogLeNet(c) => Network::GoogLeNet(c.init(device)?),
            NetworkConfig::ResNet(c) => Network::ResNet(c.init(device)?),
        })
    }

    /// Number of output classes.
    pub fn num_classes(&self) -> usize {
        match self {
            NetworkConfig::LeNet5(c) => c.num_classes,
            NetworkConfig::AlexNet(c) => c.num_classes,
            NetworkConfig::Vgg(c) => c.num_classes,
            NetworkConfig::GoogLeNet(c) => c.num_classes,
            NetworkConfig::ResNet(c) => c.num_classes,
        }
    }

    /// Expected input `[channels, height, width]`.
    pub fn input_shape(&self) -> [usize; 3] {
        let (c, s) = match self {
            NetworkConfig::LeNet5(c) => (c.in_channels, c.input_size),
            NetworkConfig::AlexNet(c) => (c.in_channels, c.input_size),
            NetworkConfig::Vgg(c) => (c.in_channels, c.input_size),
            NetworkConfig::GoogLeNet(c) => (c.in_channels, c.input_size),
            NetworkConfig::ResNet(c) => (c.in_channels, c.input_size),
        };
        [c, s, s]
    }
}

/// Any classifier of the zoo.
// One network is built per run and moved a handful of times, so the size difference between the
// variants (LeNet-5's few fields against ResNet's) costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Network {
    /// LeNet-5.
    LeNet5(LeNet5),
    /// AlexNet.
    AlexNet(AlexNet),
    /// VGG.
    Vgg(Vgg),
    /// GoogLeNet.
    GoogLeNet(GoogLeNet),
    /// ResNet.
    ResNet(ResNet),
}

impl Network {
    /// Class scores (logits) `[B, num_classes]` for images `[B, C, H, W]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        match self {
            Network::LeNet5(m) => m.forward(x),
            Network::AlexNet(m) => m.forward(x),
            Network::Vgg(m) => m.forward(x),
            Network::GoogLeNet(m) => m.forward(x),
            Network::ResNet(m) => m.forward(x),
        }
    }

    /// Forward pass recording every layer (for summaries).
    pub fn forward_traced(&self, x: Tensor<4>, tr: &mut Trace) -> Tensor<2> {
        match self {
            Network::LeNet5(m) => m.forward_traced(x, tr),
            Network::AlexNet(m) => m.forward_traced(x, tr),
            Network::Vgg(m) => m.forward_traced(x, tr),
            Network::GoogLeNet(m) => m.forward_traced(x, tr),
            Network::ResNet(m) => m.forward_traced(x, tr),
        }
    }

    /// Main logits and auxiliary logits (GoogLeNet's side heads; empty for other networks).
    pub fn forward_with_aux(&self, x: Tensor<4>) -> (Tensor<2>, Vec<Tensor<2>>) {
        match self {
            Network::GoogLeNet(m) => m.forward_with_aux(x),
            other => (other.forward(x), Vec::new()),
        }
    }
}
