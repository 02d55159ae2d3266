//! Reading a PyTorch state dict (`.pth`/`.pt` through burn-store's [`PytorchStore`], `.safetensors`
//! through its [`SafetensorsStore`]) and loading it into a zoo network by the family's key map.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use burn::store::burn_pack::Tensor as PackTensor;
use burn::store::{
    ModuleSnapshot, ModuleStore, PyTorchToBurnAdapter, PytorchStore, SafetensorsStore,
};
use burn::tensor::DType;

use crate::interop::error::InteropError;
use crate::interop::keymap::{Comparison, KeyMap};
use crate::network::Network;

/// The tensors of one state-dict file, by key.
pub struct StateDict {
    /// The file.
    pub path: PathBuf,
    /// Its tensors by key.
    pub tensors: BTreeMap<String, PackTensor>,
}

/// Whether `path` names a SafeTensors file (by its extension; anything else is read as PyTorch).
pub fn is_safetensors(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("safetensors"))
}

impl StateDict {
    /// Read `path`: SafeTensors by extension, otherwise a PyTorch checkpoint (a bare state dict,
    /// or one under a `state_dict` / `model` key as training scripts save them).
    pub fn read(path: &Path) -> Result<Self, InteropError> {
        if !path.is_file() {
            return Err(InteropError::Unreadable {
                path: path.to_path_buf(),
                format: "file",
                reason: "no such file".into(),
            });
        }
        let tensors = if is_safetensors(path) {
            let mut store = SafetensorsStore::from_file(path);
            store
                .get_all_tensors()
                .cloned()
                .map_err(|e| unreadable(path, "SafeTensors", e))?
        } else {
            Self::read_pytorch(path)?
        };
        if tensors.is_empty() {
            return Err(unreadable(path, "PyTorch", "it holds no tensors"));
        }
        Ok(Self {
            path: path.to_path_buf(),
            tensors,
        })
    }

    fn read_pytorch(path: &Path) -> Result<BTreeMap<String, PackTensor>, InteropError> {
        let mut store = PytorchStore::from_file(path).map_indices_contiguous(false);
        let bare = store
            .get_all_tensors()
            .cloned()
            .map_err(|e| unreadable(path, "PyTorch", e))?;
        // A checkpoint dict: the state dict sits under one key.
        let nested = |key: &str| {
            let prefix = format!("{key}.");
            bare.keys().all(|k| k.starts_with(&prefix))
        };
        for key in ["state_dict", "model"] {
            if !bare.is_empty() && nested(key) {
                let mut store = PytorchStore::from_file(path)
                    .map_indices_contiguous(false)
                    .with_top_level_key(key);
                return store
                    .get_all_tensors()
                    .cloned()
                    .map_err(|e| unreadable(path, "PyTorch", e));
            }
        }
        Ok(bare)
    }

    /// The values and shape of the 32-bit float tensor `key` (`None` when absent or not F32).
    pub fn floats(&self, key: &str) -> Option<(Vec<f32>, Vec<usize>)> {
        let t = self.tensors.get(key)?;
        if t.dtype != DType::F32 {
            return None;
        }
        let bytes = t.to_bytes().ok()?;
        let values = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Some((values, t.shape.to_vec()))
    }

    /// Key → shape of every tensor.
    pub fn shapes(&self) -> BTreeMap<String, Vec<usize>> {
        self.tensors
            .iter()
            .map(|(k, t)| (k.clone(), t.shape.to_vec()))
            .collect()
    }

    /// An error unless the file holds exactly the network's keys with its shapes, as 32-bit floats.
    pub fn check_exact(&self, map: &KeyMap) -> Result<(), InteropError> {
        let comparison = Comparison::of(map, &self.shapes());
        if !comparison.is_exact() {
            return Err(self.mismatch(map, comparison.describe()));
        }
        self.check_dtypes(map, |_| true)
    }

    /// An error naming the first key of `map` (among those `wanted` accepts) whose tensor is not
    /// 32-bit float.
    pub fn check_dtypes(
        &self,
        map: &KeyMap,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<(), InteropError> {
        for e in map.entries.iter().filter(|e| wanted(&e.key)) {
            if let Some(t) = self.tensors.get(&e.key)
                && t.dtype != DType::F32
            {
                return Err(self.mismatch(
                    map,
                    format!(
                        "{} is {:?}; only 32-bit float weights are read",
                        e.key, t.dtype
                    ),
                ));
            }
        }
        Ok(())
    }

    fn mismatch(&self, map: &KeyMap, details: String) -> InteropError {
        InteropError::Mismatch {
            path: self.path.clone(),
            model: map.model.clone(),
            details,
        }
    }

    /// Load the tensors whose keys `wanted` accepts into `network` (every other tensor keeps its
    /// value); returns the keys loaded, in module order. Keys must exist with the right shapes
    /// (check first: [`StateDict::check_exact`] or [`Comparison`]).
    pub fn load_into(
        mut self,
        network: &mut Network,
        map: &KeyMap,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Vec<String>, InteropError> {
        let mut tensors = Vec::new();
        let mut loaded = Vec::new();
        for e in map.entries.iter().filter(|e| wanted(&e.key)) {
            if let Some(mut t) = self.tensors.remove(&e.key) {
                t.name = e.path.clone();
                tensors.push(t);
                loaded.push(e.key.clone());
            }
        }
        let result = network.apply(tensors, None, Some(Box::new(PyTorchToBurnAdapter)), true);
        if !result.errors.is_empty() || !result.unused.is_empty() {
            return Err(InteropError::Apply {
                path: self.path,
                reason: format!("the weights could not be applied: {result}"),
            });
        }
        Ok(loaded)
    }
}

fn unreadable(path: &Path, format: &'static str, reason: impl std::fmt::Display) -> InteropError {
    InteropError::Unreadable {
        path: path.to_path_buf(),
        format,
        reason: reason.to_string(),
    }
}
