//! Batched classification of image files: decode, convert as training did, run the network,
//! softmax, top-k. A bad file yields an error entry; it never stops the others.

use std::path::PathBuf;

use burn::tensor::activation::softmax;
use burn::tensor::{Device, Tensor};
use serde::Serialize;

use crate::run_folder::TrainedRun;

/// One class and its probability.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Prediction {
    /// Class index.
    pub index: usize,
    /// Class name from the run.
    pub class: String,
    /// Softmax probability.
    pub probability: f32,
}

/// The outcome for one file.
#[derive(Debug, Clone, Serialize)]
pub struct Classified {
    /// The file.
    pub path: PathBuf,
    /// Top-k predictions, most probable first (empty on error).
    pub top: Vec<Prediction>,
    /// Why the file could not be classified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The network's raw scores, one per class in label order (kept by `infer --logits`, to
    /// compare with PyTorch's output).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logits: Option<Vec<f32>>,
}

/// Classify `files` in batches of `batch_size`, reporting progress through `progress(done)`.
pub fn classify_files(
    run: &TrainedRun,
    files: &[PathBuf],
    top_k: usize,
    batch_size: usize,
    device: &Device,
    mut progress: impl FnMut(usize),
) -> Vec<Classified> {
    let classes = &run.preprocessing.classes;
    let mut out = Vec::with_capacity(files.len());
    for chunk in files.chunks(batch_size.max(1)) {
        let mut inputs = Vec::new();
        let mut slots = Vec::new();
        for path in chunk {
            match data::decode::decode_image_file(path) {
                Ok(img) => {
                    inputs.push(run.preprocessing.image_to_tensor(&img, device));
                    slots.push(out.len());
                    out.push(Classified {
                        path: path.clone(),
                        top: Vec::new(),
                        error: None,
                        logits: None,
                    });
                }
                Err(e) => out.push(Classified {
                    path: path.clone(),
                    top: Vec::new(),
                    error: Some(e.to_string()),
                    logits: None,
                }),
            }
        }
        if !inputs.is_empty() {
            let logits = run.model.forward(Tensor::cat(inputs, 0));
            let [n, k] = logits.dims();
            let raw = logits.clone().into_data().try_to_vec::<f32>().ok();
            match softmax(logits, 1).into_data().try_to_vec::<f32>() {
                Ok(probs) if probs.len() == n * k => {
                    for (row, &slot) in slots.iter().enumerate().take(n) {
                        let range = row * k..(row + 1) * k;
                        out[slot].top = top_predictions(&probs[range.clone()], classes, top_k);
                        out[slot].logits =
                            raw.as_ref().and_then(|r| r.get(range)).map(<[f32]>::to_vec);
                    }
                }
                // No probabilities to rank: every file of the batch says so instead of panicking.
                other => {
                    let why = match other {
                        Ok(p) => format!("the network returned {} scores for {n}×{k}", p.len()),
                        Err(e) => format!("reading the network's scores: {e:?}"),
                    };
                    for &slot in &slots {
                        out[slot].error = Some(why.clone());
                    }
                }
            }
        }
        progress(out.len());
    }
    out
}

/// The `top_k` (at least 1) most probable classes of one row of probabilities, most probable first.
pub fn top_predictions(probs: &[f32], classes: &[String], top_k: usize) -> Vec<Prediction> {
    let mut ranked: Vec<(usize, f32)> = probs.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked
        .into_iter()
        .take(top_k.max(1))
        .map(|(index, probability)| Prediction {
            index,
            class: classes
                .get(index)
                .cloned()
                .unwrap_or_else(|| index.to_string()),
            probability,
        })
        .collect()
}
