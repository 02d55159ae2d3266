//! Writing a zoo network as a torchvision state dict: SafeTensors (the format's 8-byte header
//! length, JSON header, raw little-endian data) or PyTorch's zip checkpoint (`archive/data.pkl`, a
//! protocol-2 pickle of an `OrderedDict` of `torch._utils._rebuild_tensor_v2` calls, one storage
//! file per tensor under `archive/data/`), so `torchvision.models.NAME().load_state_dict(...)`
//! takes it without renaming. Batch norms get the `num_batches_tracked` counters PyTorch expects.

use std::io::Write;
use std::path::Path;

use burn::store::{BurnToPyTorchAdapter, ModuleSnapshot};

use crate::interop::error::InteropError;
use crate::interop::keymap::KeyMap;
use crate::network::Network;

/// The element type of a written tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    F32,
    I64,
}

/// One tensor to write: torchvision key, element type, shape, little-endian bytes.
struct Entry {
    key: String,
    kind: Kind,
    shape: Vec<usize>,
    bytes: Vec<u8>,
}

/// The network's tensors under their torchvision keys, in module order, each batch norm followed
/// by its `num_batches_tracked` counter (0).
fn entries(network: &Network, map: &KeyMap, out: &Path) -> Result<Vec<Entry>, InteropError> {
    let keys = map.by_key();
    let by_path: std::collections::HashMap<&str, &str> = keys
        .values()
        .map(|e| (e.path.as_str(), e.key.as_str()))
        .collect();
    let mut list = Vec::new();
    for t in network.collect(None, Some(Box::new(BurnToPyTorchAdapter)), true) {
        let key = by_path
            .get(t.name.as_str())
            .ok_or_else(|| InteropError::Unmapped {
                model: map.model.clone(),
                path: t.name.clone(),
            })?
            .to_string();
        let shape = t.shape.to_vec();
        let bytes = t
            .to_bytes()
            .map_err(|e| write_error(out, format!("tensor {key}: {e}")))?
            .to_vec();
        let counter = key
            .strip_suffix("running_var")
            .map(|p| format!("{p}num_batches_tracked"));
        list.push(Entry {
            key,
            kind: Kind::F32,
            shape,
            bytes,
        });
        if let Some(key) = counter {
            list.push(Entry {
                key,
                kind: Kind::I64,
                shape: Vec::new(),
                bytes: 0i64.to_le_bytes().to_vec(),
            });
        }
    }
    Ok(list)
}

fn write_error(path: &Path, reason: impl std::fmt::Display) -> InteropError {
    InteropError::Write {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Write `network` (built from the config `map` was made for) as a SafeTensors file.
pub fn write_safetensors(network: &Network, map: &KeyMap, out: &Path) -> Result<(), InteropError> {
    let list = entries(network, map, out)?;
    let mut header = serde_json::Map::new();
    let mut offset = 0usize;
    for e in &list {
        let end = offset + e.bytes.len();
        header.insert(
            e.key.clone(),
            serde_json::json!({
                "dtype": if e.kind == Kind::F32 { "F32" } else { "I64" },
                "shape": e.shape,
                "data_offsets": [offset, end],
            }),
        );
        offset = end;
    }
    header.insert(
        "__metadata__".into(),
        serde_json::json!({ "format": "pt", "model": map.model }),
    );
    let mut text = serde_json::Value::Object(header).to_string().into_bytes();
    // The data section starts 8-byte aligned.
    while !text.len().is_multiple_of(8) {
        text.push(b' ');
    }
    let mut bytes = Vec::with_capacity(8 + text.len() + offset);
    bytes.extend_from_slice(&(text.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&text);
    for e in &list {
        bytes.extend_from_slice(&e.bytes);
    }
    std::fs::write(out, bytes).map_err(|e| write_error(out, e))
}

/// Write `network` as a PyTorch zip checkpoint (what `torch.save(model.state_dict(), out)` writes).
pub fn write_pth(network: &Network, map: &KeyMap, out: &Path) -> Result<(), InteropError> {
    let list = entries(network, map, out)?;
    let file = std::fs::File::create(out).map_err(|e| write_error(out, e))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(offset_needs_zip64(&list))
        .with_alignment(64);
    let mut put = |name: &str, data: &[u8]| -> Result<(), InteropError> {
        zip.start_file(format!("archive/{name}"), options)
            .map_err(|e| write_error(out, e))?;
        zip.write_all(data).map_err(|e| write_error(out, e))
    };
    put("data.pkl", &pickle(&list))?;
    put("byteorder", b"little")?;
    for (i, e) in list.iter().enumerate() {
        put(&format!("data/{i}"), &e.bytes)?;
    }
    put("version", b"3\n")?;
    zip.finish().map_err(|e| write_error(out, e))?;
    Ok(())
}

fn offset_needs_zip64(list: &[Entry]) -> bool {
    list.iter().map(|e| e.bytes.len() as u64).sum::<u64>() >= u32::MAX as u64 / 2
}

/// The protocol-2 pickle of the state dict's `OrderedDict`, storages referenced by index.
fn pickle(list: &[Entry]) -> Vec<u8> {
    let mut p = Pickle(vec![0x80, 2]);
    p.global("collections", "OrderedDict");
    p.0.extend_from_slice(b")R");
    for (i, e) in list.iter().enumerate() {
        p.string(&e.key);
        p.global("torch._utils", "_rebuild_tensor_v2");
        p.0.push(b'(');
        // Persistent id: ('storage', torch.XStorage, key, location, numel).
        p.0.push(b'(');
        p.string("storage");
        let storage = if e.kind == Kind::F32 {
            "FloatStorage"
        } else {
            "LongStorage"
        };
        p.global("torch", storage);
        p.string(&i.to_string());
        p.string("cpu");
        p.int(e.shape.iter().product::<usize>());
        p.0.extend_from_slice(b"tQ");
        p.int(0);
        p.tuple(&e.shape);
        let mut strides = vec![1usize; e.shape.len()];
        for d in (0..e.shape.len().saturating_sub(1)).rev() {
            strides[d] = strides[d + 1] * e.shape[d + 1];
        }
        p.tuple(&strides);
        p.0.push(0x89); // False: requires_grad
        p.global("collections", "OrderedDict");
        p.0.extend_from_slice(b")R");
        p.0.extend_from_slice(b"tRs");
    }
    p.0.push(b'.');
    p.0
}

/// A pickle being written.
struct Pickle(Vec<u8>);

impl Pickle {
    fn global(&mut self, module: &str, name: &str) {
        self.0.push(b'c');
        self.0.extend_from_slice(module.as_bytes());
        self.0.push(b'\n');
        self.0.extend_from_slice(name.as_bytes());
        self.0.push(b'\n');
    }

    fn string(&mut self, s: &str) {
        self.0.push(b'X');
        self.0.extend_from_slice(&(s.len() as u32).to_le_bytes());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn int(&mut self, v: usize) {
        match i32::try_from(v) {
            Ok(small) => {
                self.0.push(b'J');
                self.0.extend_from_slice(&small.to_le_bytes());
            }
            Err(_) => {
                // LONG1: little-endian two's complement, 8 bytes (non-negative, top bit clear).
                self.0.extend_from_slice(&[0x8a, 8]);
                self.0.extend_from_slice(&(v as u64).to_le_bytes());
            }
        }
    }

    fn tuple(&mut self, values: &[usize]) {
        if values.is_empty() {
            self.0.push(b')');
            return;
        }
        self.0.push(b'(');
        for &v in values {
            self.int(v);
        }
        self.0.push(b't');
    }
}
