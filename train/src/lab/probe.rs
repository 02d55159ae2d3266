//! Measurements of an untrained or trained network: per-layer activation statistics on a batch
//! (Glorot & Bengio 2010, figure 6; He et al. 2015, section 2.2), per-layer weight-gradient
//! norms (the vanishing-gradient picture), weight magnitudes and sharpness.

use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::tensor::{Int, Tensor};

use super::error::LabError;
use super::mlp::{Mlp, MlpSpec};

/// Statistics of one hidden layer's output over a batch.
#[derive(Debug, Clone)]
pub struct LayerStat {
    /// Mean over all units and images.
    pub mean: f64,
    /// Standard deviation over all units and images.
    pub std: f64,
    /// Fraction of values with |a| > 0.99 (saturation of tanh and sigmoid).
    pub saturated: f64,
    /// Up to 4,000 of the values, for histograms.
    pub sample: Vec<f32>,
}

/// The values of a tensor as `f32`.
pub fn values<const D: usize>(t: Tensor<D>) -> Result<Vec<f32>, LabError> {
    t.into_data()
        .convert::<f32>()
        .try_to_vec::<f32>()
        .map_err(|e| LabError::Config(format!("tensor data: {e:?}")))
}

/// Per-layer statistics of `model`'s hidden outputs on `x` (evaluation mode, no gradients).
pub fn activation_stats(
    model: &Mlp,
    spec: &MlpSpec,
    x: Tensor<2>,
) -> Result<Vec<LayerStat>, LabError> {
    let model = model.valid();
    let x = x.to_device(&model.head.weight.val().device());
    let (_, outputs) = model.forward_traced(spec, x, false);
    outputs
        .into_iter()
        .map(|h| {
            let v = values(h)?;
            let n = v.len().max(1) as f64;
            let mean = v.iter().map(|&a| a as f64).sum::<f64>() / n;
            let var = v.iter().map(|&a| (a as f64 - mean).powi(2)).sum::<f64>() / n;
            let saturated = v.iter().filter(|a| a.abs() > 0.99).count() as f64 / n;
            let step = (v.len() / 4000).max(1);
            Ok(LayerStat {
                mean,
                std: var.sqrt(),
                saturated,
                sample: v.iter().step_by(step).copied().collect(),
            })
        })
        .collect()
}

/// The L2 norm of the loss gradient with respect to each hidden layer's weight matrix (then the
/// classifier's), on the batch `x`, `y`, with the model on the autodiff device.
pub fn weight_grad_norms(
    model: &Mlp,
    spec: &MlpSpec,
    x: Tensor<2>,
    y: Tensor<1, Int>,
) -> Result<Vec<f64>, LabError> {
    let device = model.head.weight.val().device();
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let loss = loss_fn.forward(model.forward(spec, x, false), y);
    let grads = loss.backward();
    let mut norms = Vec::new();
    let weights = model
        .hidden
        .iter()
        .map(|l| l.weight.val())
        .chain(std::iter::once(model.head.weight.val()));
    for w in weights {
        let norm = match w.grad(&grads) {
            Some(g) => g.square().sum().sqrt().into_scalar::<f32>() as f64,
            None => 0.0,
        };
        norms.push(norm);
    }
    Ok(norms)
}

/// All weights of the hidden layers and the classifier (biases left out).
pub fn weights(model: &Mlp) -> Result<Vec<f32>, LabError> {
    let mut out = Vec::new();
    for w in model
        .hidden
        .iter()
        .map(|l| l.weight.val())
        .chain(std::iter::once(model.head.weight.val()))
    {
        out.extend(values(w)?);
    }
    Ok(out)
}

/// `layer` with every weight moved by `eps · rms(W) · z`, z ~ N(0, 1) drawn on its device.
fn perturb(mut layer: burn::nn::Linear, eps: f64) -> burn::nn::Linear {
    layer.weight = layer.weight.map(|w| {
        let rms = w.clone().square().mean().sqrt().into_scalar::<f32>() as f64;
        let noise = w.random_like(burn::tensor::Distribution::Normal(0.0, 1.0));
        w + noise.mul_scalar(eps * rms)
    });
    layer
}

/// Sharpness: the mean increase of the loss on (up to 2,000 images of) `split` when every weight
/// matrix is perturbed by Gaussian noise of `eps` times its RMS, over `draws` draws (after
/// Keskar et al. 2017, "On large-batch training for deep learning: generalization gap and sharp
/// minima", who maximise over a box; a random draw measures the average curvature instead).
pub fn sharpness(
    model: &Mlp,
    spec: &MlpSpec,
    split: &super::data::Split,
    eps: f64,
    draws: usize,
    seed: u64,
) -> f64 {
    let base = model.valid();
    let (l0, _) = super::fit::evaluate(&base, spec, split, 2000);
    base.head.weight.val().device().seed(seed);
    let mut total = 0.0;
    for _ in 0..draws.max(1) {
        let mut m = base.clone();
        m.hidden = m.hidden.into_iter().map(|l| perturb(l, eps)).collect();
        m.head = perturb(m.head, eps);
        total += super::fit::evaluate(&m, spec, split, 2000).0 - l0;
    }
    total / draws.max(1) as f64
}
