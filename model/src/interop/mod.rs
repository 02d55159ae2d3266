//! PyTorch interoperability: torchvision state dicts in and out of the zoo's networks.
//!
//! Every family has a key mapping ([`names`]) from its module paths to torchvision's
//! `state_dict()` keys; [`KeyMap`] applies it to a built network (keys and PyTorch-layout
//! shapes), [`StateDict`] reads a `.pth`/`.safetensors` file through burn-store and loads it by
//! that map (linear weights transposed and batch norm's `weight`/`bias` renamed by burn-store's
//! PyTorch adapter), and [`write`] writes a network back under torchvision's names.
//!
//! ```no_run
//! use model::interop;
//! use model::registry::{self, ModelArgs};
//! let device = burn::tensor::Device::flex();
//! let config = registry::config("resnet18", ModelArgs { num_classes: 1000, in_channels: 3, input_size: 224 })?;
//! let (net, loaded) = interop::import("resnet18", &config, "resnet18-f37072fd.pth".as_ref(), &device)?;
//! interop::export(&net, "resnet18", &config, "copy.safetensors".as_ref(), None)?;
//! # Ok::<(), model::interop::InteropError>(())
//! ```

pub mod error;
pub mod keymap;
pub mod module_path;
pub mod names;
pub mod state_dict;
pub mod write;

use std::path::Path;

use burn::module::Module;
use burn::tensor::Device;

pub use error::InteropError;
pub use keymap::{Comparison, KeyMap, MappedTensor};
pub use state_dict::{StateDict, is_safetensors};

use crate::network::{Network, NetworkConfig};

/// Build `config` on `device` and load every tensor from the state dict in `path`, which must hold
/// exactly the network's keys (batch-norm counters aside) with its shapes. Returns the network in
/// evaluation mode and the number of tensors loaded.
pub fn import(
    model: &str,
    config: &NetworkConfig,
    path: &Path,
    device: &Device,
) -> Result<(Network, usize), InteropError> {
    import_dict(model, config, StateDict::read(path)?, device)
}

/// [`import`] from a state dict already read.
pub fn import_dict(
    model: &str,
    config: &NetworkConfig,
    dict: StateDict,
    device: &Device,
) -> Result<(Network, usize), InteropError> {
    let mut network = config.init(device)?;
    let map = KeyMap::of(model, config, &network)?;
    dict.check_exact(&map)?;
    let loaded = dict.load_into(&mut network, &map, |_| true)?;
    Ok((network.valid(), loaded.len()))
}

/// The two file formats written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// SafeTensors.
    Safetensors,
    /// PyTorch's zip checkpoint (`torch.save`).
    Pth,
}

impl Format {
    /// SafeTensors for a `.safetensors` path, PyTorch otherwise.
    pub fn of_path(path: &Path) -> Self {
        if is_safetensors(path) {
            Self::Safetensors
        } else {
            Self::Pth
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "safetensors" => Ok(Self::Safetensors),
            "pth" | "pt" | "pytorch" => Ok(Self::Pth),
            other => Err(format!("unknown format `{other}`; use safetensors or pth")),
        }
    }
}

/// Write `network` (built from `config`) under torchvision's keys in `format` (by `out`'s
/// extension when `None`). The file appears complete or not at all (written under a temporary
/// name, then renamed).
pub fn export(
    network: &Network,
    model: &str,
    config: &NetworkConfig,
    out: &Path,
    format: Option<Format>,
) -> Result<(), InteropError> {
    let map = KeyMap::of(model, config, network)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = out.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let written = match format.unwrap_or_else(|| Format::of_path(out)) {
        Format::Safetensors => write::write_safetensors(network, &map, &partial),
        Format::Pth => write::write_pth(network, &map, &partial),
    }
    .and_then(|()| {
        std::fs::rename(&partial, out).map_err(|e| InteropError::Write {
            path: out.to_path_buf(),
            reason: e.to_string(),
        })
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// `config` with the fields in `changes` (a JSON object of the family's config fields, e.g.
/// `{"width_divisor": 16}`) replaced: the reduced networks of the PyTorch fixtures.
pub fn config_with(
    config: &NetworkConfig,
    changes: &serde_json::Map<String, serde_json::Value>,
) -> Result<NetworkConfig, InteropError> {
    let invalid = |e: serde_json::Error| {
        InteropError::Model(crate::error::ModelError::InvalidConfig {
            model: "config",
            reason: e.to_string(),
        })
    };
    let mut value = serde_json::to_value(config).map_err(invalid)?;
    if let Some(fields) = value.as_object_mut() {
        for (k, v) in changes {
            fields.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(value).map_err(invalid)
}
