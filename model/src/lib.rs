//! # model — the classic convolutional networks, backend-agnostic
//!
//! LeNet-5 (LeCun et al. 1998), AlexNet (Krizhevsky et al. 2012), VGG (Simonyan & Zisserman 2015),
//! GoogLeNet (Szegedy et al. 2015) and ResNet (He et al. 2016), built from serialisable configs and
//! found by name in one [`registry`]. Every network is a Burn module whose code never names a
//! backend: the [`Device`](burn::tensor::Device) chosen at run time ([`backend`]) decides where it
//! runs.
//!
//! ```no_run
//! use model::registry::{self, ModelArgs};
//! let device = burn::tensor::Device::flex();
//! let config = registry::config("resnet18", ModelArgs { num_classes: 10, in_channels: 3, input_size: 224 })?;
//! let net = config.init(&device)?;
//! let logits = net.forward(burn::tensor::Tensor::zeros([2, 3, 224, 224], &device));
//! assert_eq!(logits.dims(), [2, 10]);
//! # Ok::<(), model::ModelError>(())
//! ```

pub mod alexnet;
pub mod backend;
pub mod builders;
pub mod cpu;
pub mod deconvnet;
pub mod error;
pub mod fcn;
pub mod googlenet;
pub mod inception;
pub mod init;
pub mod interop;
pub mod layers;
pub mod lenet;
pub mod network;
pub mod ops;
pub mod params;
pub mod registry;
pub mod resnet;
pub mod resnet_block;
pub mod segmentation;
pub mod segnet;
pub mod summary;
pub mod trace;
pub mod unet;
pub mod vgg;
pub mod vgg_encoder;

pub use error::ModelError;
pub use network::{Network, NetworkConfig};
