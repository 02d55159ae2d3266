//! The key mapping per family: a tensor path of the zoo's module tree (with batch norm's
//! `gamma`/`beta` already renamed `weight`/`bias`, as burn-store's PyTorch adapter names them)
//! → the key of the same tensor in torchvision's `state_dict()`.
//!
//! | family | ours | torchvision |
//! | --- | --- | --- |
//! | ResNet | `stem`, `stem_bn`, `stages.S.I.layers.K.{conv,bn}`, `stages.S.I.shortcut.{conv,bn}`, `fc` | `conv1`, `bn1`, `layer{S+1}.I.{conv,bn}{K+1}`, `layer{S+1}.I.downsample.{0,1}`, `fc` |
//! | VGG | `stages.S.I.{conv,bn}`, `fc1..3` | `features.N` (N counts conv, bn, ReLU and pool layers), `classifier.{0,3,6}` |
//! | AlexNet | `conv.K`, `fc1..3` | `features.{0,3,6,8,10}`, `classifier.{1,4,6}` |
//! | GoogLeNet | `stem.K`, `inception.K.branch4`, `aux.K`, `fc` | `conv{K+1}`, `inception{3a..5b}.branch4.1`, `aux{K+1}`, `fc` |
//! | LeNet-5 | `conv1`, `conv2`, `fc1..3` | the same (the script's PyTorch twin) |

use crate::network::NetworkConfig;
use crate::vgg::stage_layout;

/// torchvision's names of GoogLeNet's nine Inception modules, in order.
const INCEPTION: [&str; 9] = ["3a", "3b", "4a", "4b", "4c", "4d", "4e", "5a", "5b"];

/// torchvision's `features` index of each AlexNet convolution (ReLU and pooling layers between).
const ALEX_FEATURES: [usize; 5] = [0, 3, 6, 8, 10];

/// The torchvision key of `path` in a network built from `config`, or `None` when the family
/// has no such tensor (or no torchvision counterpart: AlexNet's paper form with LRN and groups).
pub fn torch_key(config: &NetworkConfig, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('.').collect();
    match config {
        NetworkConfig::LeNet5(_) => lenet(&parts),
        NetworkConfig::AlexNet(c) if !c.lrn && c.groups == 1 => alexnet(&parts),
        NetworkConfig::AlexNet(_) => None,
        NetworkConfig::Vgg(c) => vgg(c.depth, c.batch_norm, &parts),
        NetworkConfig::GoogLeNet(_) => googlenet(&parts),
        NetworkConfig::ResNet(_) => resnet(&parts),
    }
}

/// The torchvision key of the classifier's weight (its first dimension is the class count).
pub fn head_weight_key(config: &NetworkConfig) -> &'static str {
    match config {
        NetworkConfig::LeNet5(_) => "fc3.weight",
        NetworkConfig::AlexNet(_) | NetworkConfig::Vgg(_) => "classifier.6.weight",
        NetworkConfig::GoogLeNet(_) | NetworkConfig::ResNet(_) => "fc.weight",
    }
}

/// Whether a torchvision key belongs to the classifier head that fine-tuning re-initialises.
pub fn is_head_key(config: &NetworkConfig, key: &str) -> bool {
    let head = head_weight_key(config);
    let prefix = head.trim_end_matches("weight");
    key.starts_with(prefix) || key.starts_with("aux1.fc2.") || key.starts_with("aux2.fc2.")
}

fn join(prefix: String, rest: &[&str]) -> String {
    std::iter::once(prefix.as_str())
        .chain(rest.iter().copied())
        .collect::<Vec<_>>()
        .join(".")
}

fn lenet(parts: &[&str]) -> Option<String> {
    match parts {
        [layer @ ("conv1" | "conv2" | "fc1" | "fc2" | "fc3"), p] => Some(format!("{layer}.{p}")),
        _ => None,
    }
}

fn alexnet(parts: &[&str]) -> Option<String> {
    match parts {
        ["conv", k, p] => {
            let index = ALEX_FEATURES.get(k.parse::<usize>().ok()?)?;
            Some(format!("features.{index}.{p}"))
        }
        ["fc1", p] => Some(format!("classifier.1.{p}")),
        ["fc2", p] => Some(format!("classifier.4.{p}")),
        ["fc3", p] => Some(format!("classifier.6.{p}")),
        _ => None,
    }
}

fn vgg(depth: usize, bn: bool, parts: &[&str]) -> Option<String> {
    match parts {
        ["stages", s, i, layer @ ("conv" | "bn"), p] => {
            let (s, i): (usize, usize) = (s.parse().ok()?, i.parse().ok()?);
            let layout = stage_layout(depth)?;
            let per_unit = if bn { 3 } else { 2 };
            // Every earlier stage: its units and one pooling layer.
            let before: usize = layout[..s].iter().map(|st| st.len() * per_unit + 1).sum();
            if i >= layout.get(s)?.len() {
                return None;
            }
            let index = before + i * per_unit + usize::from(*layer == "bn");
            Some(format!("features.{index}.{p}"))
        }
        ["fc1", p] => Some(format!("classifier.0.{p}")),
        ["fc2", p] => Some(format!("classifier.3.{p}")),
        ["fc3", p] => Some(format!("classifier.6.{p}")),
        _ => None,
    }
}

fn googlenet(parts: &[&str]) -> Option<String> {
    match parts {
        ["stem", k, rest @ ..] => Some(join(format!("conv{}", k.parse::<usize>().ok()? + 1), rest)),
        ["inception", k, "branch4", rest @ ..] => {
            let name = INCEPTION.get(k.parse::<usize>().ok()?)?;
            Some(join(format!("inception{name}.branch4.1"), rest))
        }
        ["inception", k, rest @ ..] => {
            let name = INCEPTION.get(k.parse::<usize>().ok()?)?;
            Some(join(format!("inception{name}"), rest))
        }
        ["aux", k, rest @ ..] => Some(join(format!("aux{}", k.parse::<usize>().ok()? + 1), rest)),
        ["fc", p] => Some(format!("fc.{p}")),
        _ => None,
    }
}

fn resnet(parts: &[&str]) -> Option<String> {
    match parts {
        ["stem", p] => Some(format!("conv1.{p}")),
        ["stem_bn", p] => Some(format!("bn1.{p}")),
        ["stages", s, i, "layers", k, layer @ ("conv" | "bn"), p] => {
            let s: usize = s.parse().ok()?;
            let k: usize = k.parse().ok()?;
            Some(format!("layer{}.{i}.{layer}{}.{p}", s + 1, k + 1))
        }
        ["stages", s, i, "shortcut", layer @ ("conv" | "bn"), p] => {
            let s: usize = s.parse().ok()?;
            let index = usize::from(*layer == "bn");
            Some(format!("layer{}.{i}.downsample.{index}.{p}", s + 1))
        }
        ["fc", p] => Some(format!("fc.{p}")),
        _ => None,
    }
}
