//! The torchvision key and shape of every tensor of a built network ([`KeyMap`]), and the
//! comparison of a state dict's keys and shapes against it ([`Comparison`]).

use std::collections::{BTreeMap, HashSet};

use crate::interop::error::InteropError;
use crate::interop::module_path::{ModulePath, for_each_float};
use crate::interop::names::torch_key;
use crate::network::{Network, NetworkConfig};

/// Key suffix of the batch-norm counters PyTorch stores and the zoo does not need.
pub const BATCHES_TRACKED: &str = "num_batches_tracked";

/// One tensor of the network under both names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedTensor {
    /// The module path, with batch norm's `gamma`/`beta` named `weight`/`bias` (burn-store's
    /// PyTorch adapters translate between the two).
    pub path: String,
    /// The torchvision `state_dict()` key.
    pub key: String,
    /// The shape in PyTorch's layout (linear weights `[out, in]`).
    pub shape: Vec<usize>,
}

/// Every tensor of a network, in module order, with its torchvision key.
#[derive(Debug, Clone)]
pub struct KeyMap {
    /// The network's name (for messages).
    pub model: String,
    /// The tensors in module order.
    pub entries: Vec<MappedTensor>,
}

impl KeyMap {
    /// The key map of `network` (built from `config`); `model` names it in messages. Reads the
    /// parameters' shapes only, so a freshly built network's weights are never materialised.
    pub fn of(
        model: &str,
        config: &NetworkConfig,
        network: &Network,
    ) -> Result<Self, InteropError> {
        let mut found = Vec::new();
        for_each_float(network, |at, _, shape| found.push(torch_layout(at, shape)));
        let entries = found
            .into_iter()
            .map(|(path, shape)| {
                let key = torch_key(config, &path).ok_or_else(|| InteropError::Unmapped {
                    model: model.to_string(),
                    path: path.clone(),
                })?;
                Ok(MappedTensor { path, key, shape })
            })
            .collect::<Result<Vec<_>, InteropError>>()?;
        Ok(Self {
            model: model.to_string(),
            entries,
        })
    }

    /// The `num_batches_tracked` key of every batch norm (beside its `running_mean`).
    pub fn batch_norm_counters(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter_map(|e| e.key.strip_suffix("running_mean"))
            .map(|prefix| format!("{prefix}{BATCHES_TRACKED}"))
            .collect()
    }

    /// The entry of a torchvision key.
    pub fn by_key(&self) -> BTreeMap<&str, &MappedTensor> {
        self.entries.iter().map(|e| (e.key.as_str(), e)).collect()
    }

    /// `key shape` lines, one per tensor, in module order (the committed key lists' format).
    pub fn key_list(&self) -> String {
        self.entries
            .iter()
            .map(|e| format!("{} {}\n", e.key, shape_text(&e.shape)))
            .collect()
    }
}

/// `3x224x224`-style text of a shape (`scalar` for none).
pub fn shape_text(shape: &[usize]) -> String {
    if shape.is_empty() {
        return "scalar".into();
    }
    shape
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("x")
}

/// How a state dict's keys and shapes differ from a network's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Keys the network has and the file lacks, in module order.
    pub missing: Vec<String>,
    /// Keys the file has and the network lacks, sorted (batch-norm counters excluded).
    pub unexpected: Vec<String>,
    /// `key: file shape, expected shape` for keys present on both sides with other shapes.
    pub wrong_shape: Vec<String>,
}

/// How many keys of each kind an error message shows.
const SHOWN: usize = 5;

impl Comparison {
    /// Compare `file` (key → shape) with `map`.
    pub fn of(map: &KeyMap, file: &BTreeMap<String, Vec<usize>>) -> Self {
        let mut out = Self::default();
        let ours: HashSet<&str> = map.entries.iter().map(|e| e.key.as_str()).collect();
        for e in &map.entries {
            match file.get(&e.key) {
                None => out.missing.push(e.key.clone()),
                Some(shape) if *shape != e.shape => out.wrong_shape.push(format!(
                    "{}: {} in the file, {} expected",
                    e.key,
                    shape_text(shape),
                    shape_text(&e.shape)
                )),
                Some(_) => {}
            }
        }
        out.unexpected = file
            .keys()
            .filter(|k| !ours.contains(k.as_str()) && !k.ends_with(BATCHES_TRACKED))
            .cloned()
            .collect();
        out
    }

    /// Whether every key matches in name and shape.
    pub fn is_exact(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty() && self.wrong_shape.is_empty()
    }

    /// The first differing keys of each kind, with counts.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (what, list) in [
            ("missing", &self.missing),
            ("unexpected", &self.unexpected),
            ("wrong shape", &self.wrong_shape),
        ] {
            if list.is_empty() {
                continue;
            }
            let shown: Vec<&str> = list.iter().take(SHOWN).map(String::as_str).collect();
            let more = list.len().saturating_sub(SHOWN);
            parts.push(format!(
                "{} {what} key(s): {}{}",
                list.len(),
                shown.join(", "),
                if more > 0 {
                    format!(" … and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        parts.join("; ")
    }
}

/// A float tensor's path and PyTorch-layout shape, named as burn-store's PyTorch adapters name
/// them (batch norm `gamma`/`beta` → `weight`/`bias`; linear weights `[out, in]`), from the
/// parameter's declared shape.
fn torch_layout(at: &ModulePath, mut shape: Vec<usize>) -> (String, Vec<usize>) {
    let mut path = at.names().to_vec();
    let last = path.last().map(String::as_str);
    match (at.module_type(), last) {
        (Some("Struct:Linear"), Some("weight")) if shape.len() == 2 => shape.reverse(),
        (Some("Struct:BatchNorm"), Some(name @ ("gamma" | "beta"))) => {
            let renamed = if name == "gamma" { "weight" } else { "bias" };
            if let Some(p) = path.last_mut() {
                *p = renamed.to_string();
            }
        }
        _ => {}
    }
    (path.join("."), shape)
}
