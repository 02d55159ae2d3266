//! The model registry: a name as in the papers and torchvision (`resnet18`, `vgg16_bn`) → the
//! default configuration for a given number of classes, input channels and input size.
//!
//! Names ending in `_small` select the small-input form of a family (28–64 px images such as MNIST
//! or CIFAR); the others are the ImageNet forms (224 px).

use crate::alexnet::AlexNetConfig;
use crate::error::ModelError;
use crate::googlenet::GoogLeNetConfig;
use crate::lenet::LeNet5Config;
use crate::network::NetworkConfig;
use crate::resnet::ResNetConfig;
use crate::vgg::VggConfig;

/// What a caller chooses besides the architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelArgs {
    /// Number of output classes.
    pub num_classes: usize,
    /// Input channels (1 or 3).
    pub in_channels: usize,
    /// Input side in pixels (square inputs).
    pub input_size: usize,
}

/// One registered architecture.
#[derive(Debug, Clone)]
pub struct ModelEntry {
    /// Registry name.
    pub name: String,
    /// The paper it follows.
    pub paper: &'static str,
    /// One line on what this variant is.
    pub description: String,
    /// Input side the variant is designed for.
    pub default_input: usize,
    /// Default number of classes (1000 for ImageNet forms, 10 for small forms).
    pub default_classes: usize,
    build: Builder,
}

#[derive(Debug, Clone, Copy)]
enum Builder {
    LeNet { classic: bool },
    AlexNet { form: AlexForm },
    Vgg { depth: usize, bn: bool, small: bool },
    GoogLeNet { aux: bool, small: bool },
    ResNet { depth: usize, small: bool },
}

#[derive(Debug, Clone, Copy)]
enum AlexForm {
    Torchvision,
    Paper,
    Small,
}

const LECUN: &str = "LeCun et al., Gradient-based learning applied to document recognition, 1998";
const KRIZHEVSKY: &str = "Krizhevsky et al., ImageNet classification with deep CNNs, NeurIPS 2012";
const SIMONYAN: &str = "Simonyan & Zisserman, Very deep convolutional networks, ICLR 2015";
const SZEGEDY: &str = "Szegedy et al., Going deeper with convolutions, CVPR 2015";
const HE: &str = "He et al., Deep residual learning for image recognition, CVPR 2016";

impl ModelEntry {
    fn new(
        name: String,
        paper: &'static str,
        description: String,
        small: bool,
        build: Builder,
    ) -> Self {
        Self {
            name,
            paper,
            description,
            default_input: if small { 32 } else { 224 },
            default_classes: if small { 10 } else { 1000 },
            build,
        }
    }

    /// Default arguments: the variant's own input size and class count, 3 channels (1 for LeNet).
    pub fn default_args(&self) -> ModelArgs {
        let in_channels = if matches!(self.build, Builder::LeNet { .. }) {
            1
        } else {
            3
        };
        ModelArgs {
            num_classes: self.default_classes,
            in_channels,
            input_size: self.default_input,
        }
    }

    /// The configuration of this variant for the given classes, channels and input size.
    pub fn config(&self, a: ModelArgs) -> NetworkConfig {
        match self.build {
            Builder::LeNet { classic } => {
                let c = if classic {
                    LeNet5Config::classic(a.num_classes)
                } else {
                    LeNet5Config::modern(a.num_classes)
                };
                NetworkConfig::LeNet5(
                    c.with_in_channels(a.in_channels)
                        .with_input_size(a.input_size),
                )
            }
            Builder::AlexNet { form } => NetworkConfig::AlexNet(
                match form {
                    AlexForm::Torchvision => AlexNetConfig::torchvision(a.num_classes),
                    AlexForm::Paper => AlexNetConfig::paper(a.num_classes),
                    AlexForm::Small => {
                        AlexNetConfig::small(a.num_classes, a.in_channels, a.input_size)
                    }
                }
                .with_in_channels(a.in_channels)
                .with_input_size(a.input_size),
            ),
            Builder::Vgg { depth, bn, small } => NetworkConfig::Vgg(
                VggConfig::new(depth, a.num_classes)
                    .with_batch_norm(bn)
                    .with_small_input(small)
                    .with_in_channels(a.in_channels)
                    .with_input_size(a.input_size),
            ),
            Builder::GoogLeNet { aux, small } => NetworkConfig::GoogLeNet(
                GoogLeNetConfig::new(a.num_classes)
                    .with_aux_logits(aux)
                    .with_small_input(small)
                    .with_in_channels(a.in_channels)
                    .with_input_size(a.input_size),
            ),
            Builder::ResNet { depth, small } => NetworkConfig::ResNet(
                ResNetConfig::new(depth, a.num_classes)
                    .with_small_input(small)
                    .with_in_channels(a.in_channels)
                    .with_input_size(a.input_size),
            ),
        }
    }
}

/// Every registered model, in display order.
pub fn entries() -> Vec<ModelEntry> {
    let mut out = vec![
        ModelEntry::new(
            "lenet5".into(),
            LECUN,
            "LeNet-5, modern form (ReLU, max pooling)".into(),
            true,
            Builder::LeNet { classic: false },
        ),
        ModelEntry::new(
            "lenet5_classic".into(),
            LECUN,
            "LeNet-5, 1998 form (tanh, average pooling)".into(),
            true,
            Builder::LeNet { classic: true },
        ),
        ModelEntry::new(
            "alexnet".into(),
            KRIZHEVSKY,
            "AlexNet, torchvision single-tower variant".into(),
            false,
            Builder::AlexNet {
                form: AlexForm::Torchvision,
            },
        ),
        ModelEntry::new(
            "alexnet_paper".into(),
            KRIZHEVSKY,
            "AlexNet as published: 96 maps, LRN, two-group convolutions".into(),
            false,
            Builder::AlexNet {
                form: AlexForm::Paper,
            },
        ),
        ModelEntry::new(
            "alexnet_small".into(),
            KRIZHEVSKY,
            "AlexNet pattern for 28-64 px inputs".into(),
            true,
            Builder::AlexNet {
                form: AlexForm::Small,
            },
        ),
    ];
    for small in [false, true] {
        for depth in [11, 13, 16, 19] {
            for bn in [false, true] {
                let name = format!(
                    "vgg{depth}{}{}",
                    if bn { "_bn" } else { "" },
                    if small { "_small" } else { "" }
                );
                let what = format!(
                    "VGG-{depth}{}{}",
                    if bn { " with batch norm" } else { "" },
                    if small { ", small-input head" } else { "" }
                );
                out.push(ModelEntry::new(
                    name,
                    SIMONYAN,
                    what,
                    small,
                    Builder::Vgg { depth, bn, small },
                ));
            }
        }
    }
    out.push(ModelEntry::new(
        "googlenet".into(),
        SZEGEDY,
        "GoogLeNet (Inception v1), torchvision layout".into(),
        false,
        Builder::GoogLeNet {
            aux: false,
            small: false,
        },
    ));
    out.push(ModelEntry::new(
        "googlenet_aux".into(),
        SZEGEDY,
        "GoogLeNet with both auxiliary classifiers".into(),
        false,
        Builder::GoogLeNet {
            aux: true,
            small: false,
        },
    ));
    out.push(ModelEntry::new(
        "googlenet_small".into(),
        SZEGEDY,
        "GoogLeNet with a 3x3 stem for 28-64 px inputs".into(),
        true,
        Builder::GoogLeNet {
            aux: false,
            small: true,
        },
    ));
    for small in [false, true] {
        for depth in [18, 34, 50, 101, 152] {
            let name = format!("resnet{depth}{}", if small { "_small" } else { "" });
            let what = format!(
                "ResNet-{depth}{}",
                if small {
                    ", 3x3 stem without max pool"
                } else {
                    ""
                }
            );
            out.push(ModelEntry::new(
                name,
                HE,
                what,
                small,
                Builder::ResNet { depth, small },
            ));
        }
    }
    for depth in [20, 32, 44, 56, 110] {
        let name = format!("resnet{depth}");
        let what = format!("ResNet-{depth}, the paper's CIFAR network (3 stages of 16/32/64 maps)");
        out.push(ModelEntry::new(
            name,
            HE,
            what,
            true,
            Builder::ResNet { depth, small: true },
        ));
    }
    out
}

/// The entry of `name`, or an error listing every valid name.
pub fn lookup(name: &str) -> Result<ModelEntry, ModelError> {
    let all = entries();
    match all.iter().find(|e| e.name == name) {
        Some(entry) => Ok(entry.clone()),
        None => Err(ModelError::UnknownModel {
            name: name.to_string(),
            valid: all.into_iter().map(|e| e.name).collect(),
        }),
    }
}

/// The configuration of model `name` for the given arguments.
pub fn config(name: &str, args: ModelArgs) -> Result<NetworkConfig, ModelError> {
    Ok(lookup(name)?.config(args))
}

/// A name of the one registry that serves both tasks: a classifier or a segmentation network,
/// each with its default input and classes.
#[derive(Debug, Clone)]
pub enum Registered {
    /// A classification network.
    Classifier(ModelEntry),
    /// A segmentation network.
    Segmenter(crate::segmentation::SegEntry),
}

impl Registered {
    /// Whether the network labels pixels rather than images.
    pub fn is_segmentation(&self) -> bool {
        matches!(self, Self::Segmenter(_))
    }

    /// `[channels, side, side]` of the default input.
    pub fn default_input(&self) -> [usize; 3] {
        match self {
            Self::Classifier(e) => {
                let a = e.default_args();
                [a.in_channels, a.input_size, a.input_size]
            }
            Self::Segmenter(e) => [e.default_channels, e.default_input, e.default_input],
        }
    }

    /// The default number of classes.
    pub fn default_classes(&self) -> usize {
        match self {
            Self::Classifier(e) => e.default_classes,
            Self::Segmenter(e) => e.default_classes,
        }
    }
}

/// The classifier or segmentation network called `name`, or an error listing every valid name.
pub fn find(name: &str) -> Result<Registered, ModelError> {
    if let Some(seg) = crate::segmentation::segmentation_entry(name) {
        return Ok(Registered::Segmenter(seg));
    }
    lookup(name)
        .map(Registered::Classifier)
        .map_err(|e| match e {
            ModelError::UnknownModel { name, mut valid } => {
                valid.extend(
                    crate::segmentation::SEGMENTATION_MODELS
                        .iter()
                        .map(|s| s.to_string()),
                );
                ModelError::UnknownModel { name, valid }
            }
            other => other,
        })
}
