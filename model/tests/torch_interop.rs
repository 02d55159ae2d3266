//! PyTorch interoperability against the fixtures `xtask/scripts/torch_fixtures.py` wrote into
//! `fixtures/torch/` (PyTorch is not needed here): logits of every family's twin after import,
//! the key lists of the full-size torchvision models, the export → import round trip, and bad
//! files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use burn::tensor::{Device, Tensor, TensorData};
use model::interop::{self, InteropError, KeyMap, StateDict};
use model::registry::{self, ModelArgs};
use model::{Network, NetworkConfig};
use serde_json::{Map, Value};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/torch")
}

fn manifest() -> Map<String, Value> {
    let text = std::fs::read_to_string(fixtures().join("manifest.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The registry config of a fixture with its reduced widths.
fn fixture_config(entry: &Value) -> (String, NetworkConfig) {
    let model = entry["model"].as_str().unwrap().to_string();
    let args = ModelArgs {
        num_classes: entry["num_classes"].as_u64().unwrap() as usize,
        in_channels: entry
            .get("in_channels")
            .and_then(Value::as_u64)
            .unwrap_or(3) as usize,
        input_size: entry["input_size"].as_u64().unwrap() as usize,
    };
    let mut changes = Map::new();
    for key in ["width_divisor", "widths", "hidden", "dropout"] {
        if let Some(v) = entry.get(key) {
            changes.insert(key.into(), v.clone());
        }
    }
    let base = registry::config(&model, args).unwrap();
    (model, interop::config_with(&base, &changes).unwrap())
}

fn tensor4(dict: &StateDict, key: &str, device: &Device) -> Tensor<4> {
    let (values, shape) = dict.floats(key).unwrap();
    let shape: [usize; 4] = shape.try_into().unwrap();
    Tensor::from_data(TensorData::new(values, shape), device)
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

fn import_fixture(name: &str, device: &Device) -> (String, NetworkConfig, Network) {
    let entry = &manifest()[name];
    let (model, config) = fixture_config(entry);
    let weights = fixtures().join(entry["weights"].as_str().unwrap());
    let (net, loaded) = interop::import(&model, &config, &weights, device).unwrap();
    assert!(loaded > 0);
    (model, config, net)
}

#[test]
fn every_family_matches_pytorch_logits_after_import() {
    let device = Device::flex();
    let mut report = Vec::new();
    for (name, entry) in manifest() {
        let (_, _, net) = import_fixture(&name, &device);
        let io = StateDict::read(&fixtures().join(entry["io"].as_str().unwrap())).unwrap();
        let logits = net.forward(tensor4(&io, "input", &device));
        let ours = logits.into_data().try_to_vec::<f32>().unwrap();
        let (theirs, _) = io.floats("logits").unwrap();
        let diff = max_diff(&ours, &theirs);
        report.push(format!("{name}: max |logit difference| {diff:.2e}"));
        assert!(diff < 1e-4, "{name}: logits differ by {diff}");
    }
    eprintln!("{}", report.join("\n"));
    assert_eq!(report.len(), 8);
}

/// The registry name whose full-size network has the keys of torchvision's `name`.
fn registry_name(torchvision: &str) -> &str {
    // torchvision.models.googlenet() keeps its two auxiliary heads (as the weight files do).
    if torchvision == "googlenet" {
        "googlenet_aux"
    } else {
        torchvision
    }
}

#[test]
fn mapping_covers_every_key_of_the_full_size_torchvision_models() {
    let device = Device::flex();
    let mut checked = 0;
    let mut files: Vec<_> = std::fs::read_dir(fixtures().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let theirs: BTreeSet<String> = std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        let model = registry_name(&name);
        let entry = registry::lookup(model).unwrap();
        let config = entry.config(entry.default_args());
        let net = config.init(&device).unwrap();
        let map = KeyMap::of(model, &config, &net).unwrap();
        let mut ours: BTreeSet<String> = map.key_list().lines().map(str::to_string).collect();
        ours.extend(
            map.batch_norm_counters()
                .into_iter()
                .map(|k| format!("{k} scalar")),
        );
        let missing: Vec<_> = theirs.difference(&ours).take(5).collect();
        let extra: Vec<_> = ours.difference(&theirs).take(5).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{name}: torchvision keys not produced {missing:?}; ours not in torchvision {extra:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, 15, "alexnet, 8 VGGs, googlenet, 5 ResNets");
}

#[test]
fn export_then_import_is_bit_identical() {
    let device = Device::flex();
    let dir = tempfile::tempdir().unwrap();
    for name in ["resnet18_d32", "googlenet_d8", "vgg11_bn_d64", "lenet5"] {
        let (model, config, net) = import_fixture(name, &device);
        let original =
            StateDict::read(&fixtures().join(manifest()[name]["weights"].as_str().unwrap()))
                .unwrap();
        for ext in ["safetensors", "pth"] {
            let out = dir.path().join(format!("{name}.{ext}"));
            interop::export(&net, &model, &config, &out, None).unwrap();
            let written = StateDict::read(&out).unwrap();
            assert_eq!(
                written.shapes(),
                original.shapes(),
                "{name}.{ext}: keys or shapes"
            );
            for key in original.tensors.keys() {
                if key.ends_with("num_batches_tracked") {
                    continue;
                }
                let (a, _) = original.floats(key).unwrap();
                let (b, _) = written.floats(key).unwrap();
                let same = a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits());
                assert!(same && a.len() == b.len(), "{name}.{ext}: {key} changed");
            }
            // And back: the re-imported network exports the same bytes again.
            let (again, _) = interop::import(&model, &config, &out, &device).unwrap();
            let out2 = dir.path().join(format!("{name}-2.{ext}"));
            interop::export(&again, &model, &config, &out2, None).unwrap();
            assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&out2).unwrap());
        }
    }
}

/// A SafeTensors file of `tensors` (key, shape, values), written by hand.
fn write_safetensors(path: &Path, tensors: &[(String, Vec<usize>, Vec<f32>)]) {
    let mut header = Map::new();
    let mut offset = 0;
    for (key, shape, values) in tensors {
        let end = offset + 4 * values.len();
        header.insert(
            key.clone(),
            serde_json::json!({"dtype": "F32", "shape": shape, "data_offsets": [offset, end]}),
        );
        offset = end;
    }
    let text = Value::Object(header).to_string();
    let mut bytes = (text.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(text.as_bytes());
    for (_, _, values) in tensors {
        bytes.extend(values.iter().flat_map(|v| v.to_le_bytes()));
    }
    std::fs::write(path, bytes).unwrap();
}

/// The lenet5 fixture's tensors, changed by `edit`.
fn edited_lenet(
    edit: impl FnOnce(&mut Vec<(String, Vec<usize>, Vec<f32>)>),
) -> Vec<(String, Vec<usize>, Vec<f32>)> {
    let dict = StateDict::read(&fixtures().join("lenet5.pth")).unwrap();
    let mut tensors: Vec<_> = dict
        .tensors
        .keys()
        .map(|k| {
            let (v, s) = dict.floats(k).unwrap();
            (k.clone(), s, v)
        })
        .collect();
    edit(&mut tensors);
    tensors
}

fn import_error(model: &str, path: &Path) -> String {
    let entry = registry::lookup(model).unwrap();
    let mut args = entry.default_args();
    args.input_size = 32;
    let config = entry.config(args);
    match interop::import(model, &config, path, &Device::flex()) {
        Ok(_) => panic!("{} imported as {model}", path.display()),
        Err(e) => {
            let text = e.to_string();
            assert!(text.contains(&path.display().to_string()), "{text}");
            text
        }
    }
}

#[test]
fn bad_files_are_errors_naming_the_file_and_the_first_differing_keys() {
    let dir = tempfile::tempdir().unwrap();
    // Another architecture.
    let text = import_error("lenet5", &fixtures().join("resnet18_d32.pth"));
    assert!(text.contains("missing key(s): conv1.bias"), "{text}");
    assert!(text.contains("unexpected key(s): bn1.bias"), "{text}");
    // A missing key.
    let path = dir.path().join("missing.safetensors");
    write_safetensors(
        &path,
        &edited_lenet(|t| t.retain(|(k, _, _)| k != "fc2.bias")),
    );
    let text = import_error("lenet5", &path);
    assert!(text.contains("1 missing key(s): fc2.bias"), "{text}");
    // An extra key.
    let path = dir.path().join("extra.safetensors");
    write_safetensors(
        &path,
        &edited_lenet(|t| t.push(("fc4.weight".into(), vec![2], vec![0.0, 1.0]))),
    );
    let text = import_error("lenet5", &path);
    assert!(text.contains("1 unexpected key(s): fc4.weight"), "{text}");
    // A wrong shape.
    let path = dir.path().join("shape.safetensors");
    write_safetensors(
        &path,
        &edited_lenet(|t| {
            let fc3 = t.iter_mut().find(|(k, _, _)| k == "fc3.bias").unwrap();
            *fc3 = ("fc3.bias".into(), vec![11], vec![0.0; 11]);
        }),
    );
    let text = import_error("lenet5", &path);
    assert!(
        text.contains("fc3.bias: 11 in the file, 10 expected"),
        "{text}"
    );
    // A truncated checkpoint and a file that is no checkpoint at all.
    let bytes = std::fs::read(fixtures().join("lenet5.pth")).unwrap();
    let path = dir.path().join("truncated.pth");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let text = import_error("lenet5", &path);
    assert!(text.contains("not a readable PyTorch state dict"), "{text}");
    let path = dir.path().join("notes.pth");
    std::fs::write(&path, "these are not weights\n").unwrap();
    let text = import_error("lenet5", &path);
    assert!(text.contains("not a readable PyTorch state dict"), "{text}");
    let path = dir.path().join("garbage.safetensors");
    std::fs::write(&path, [0xffu8; 64]).unwrap();
    let text = import_error("lenet5", &path);
    assert!(text.contains("SafeTensors"), "{text}");
}

#[test]
fn forms_without_a_torchvision_twin_are_refused() {
    let entry = registry::lookup("alexnet_paper").unwrap();
    let config = entry.config(entry.default_args());
    let net = config.init(&Device::flex()).unwrap();
    let err = KeyMap::of("alexnet_paper", &config, &net).unwrap_err();
    assert!(matches!(err, InteropError::Unmapped { .. }), "{err}");
}

#[test]
fn summary_rows_name_the_real_module_paths() {
    let config = registry::config(
        "resnet18",
        ModelArgs {
            num_classes: 10,
            in_channels: 3,
            input_size: 64,
        },
    )
    .unwrap();
    let summary = model::summary::summarize(&config, [3, 64, 64], &Device::flex()).unwrap();
    let mut checked = 0;
    for row in summary.layers.iter().filter(|r| r.params > 0) {
        let module = row
            .module
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no module", row.name));
        // ResNet's trace names are torchvision's, so the mapping of the real path gives them back.
        let key = interop::names::torch_key(&config, &format!("{module}.weight")).unwrap();
        assert_eq!(key, format!("{}.weight", row.name), "{module}");
        checked += 1;
    }
    assert_eq!(checked, 20 + 20 + 1, "20 convolutions, 20 batch norms, fc");
    let first = summary
        .layers
        .iter()
        .find(|r| r.name == "layer2.0.downsample.0")
        .unwrap();
    assert_eq!(first.module.as_deref(), Some("stages.1.0.shortcut.conv"));
}
