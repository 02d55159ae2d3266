//! The one training loop every variant goes through: same data, same batch order, same seed,
//! same budget; only the knob under study differs. A loss that becomes non-finite or whose mean
//! over the last 10 steps exceeds [`DIVERGED_LOSS`] ends the variant early and is recorded as a result ("diverged at iteration
//! i"), not raised as an error.

use std::time::Instant;

use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor};

use super::data::{LabData, Split, epoch_batches};
use super::error::LabError;
use super::mlp::{Mlp, MlpSpec};
use crate::optimizer::OptimizerConfig;
use crate::regularization::Regularization;
use crate::schedule::{ScheduleConfig, lr_at_iteration};

/// A training loss above this, averaged over the last 10 steps (ln 10 ≈ 2.3 is chance on ten
/// classes), counts as divergence.
pub const DIVERGED_LOSS: f64 = 50.0;

/// The budget and the update rule of one variant.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct FitConfig {
    /// Passes over the training subset.
    pub epochs: usize,
    /// Images per step.
    pub batch: usize,
    /// The optimiser.
    pub optimizer: OptimizerConfig,
    /// The learning rate over iterations.
    pub schedule: ScheduleConfig,
    /// L1/L2 penalty added to the loss.
    pub reg: Regularization,
    /// Seed of the weights and of the batch order.
    pub seed: u64,
}

/// The measurements after one epoch.
#[derive(Debug, Clone, Copy)]
pub struct EpochPoint {
    /// 1-based epoch.
    pub epoch: usize,
    /// Mean training loss over the epoch's steps (data term only).
    pub train_loss: f64,
    /// Loss on (up to 2,000 images of) the training subset, evaluation mode.
    pub train_eval_loss: f64,
    /// Accuracy on (up to 2,000 images of) the training subset, evaluation mode.
    pub train_acc: f64,
    /// Loss on the test subset, evaluation mode.
    pub test_loss: f64,
    /// Accuracy on the test subset.
    pub test_acc: f64,
    /// Learning rate of the epoch's last step.
    pub lr: f64,
    /// Wall seconds since training started.
    pub seconds: f64,
}

/// A network's forward pass: logits of a `[n, dim]` batch, `train` turning dropout on.
pub type Forward<'a, M> = &'a dyn Fn(&M, Tensor<2>, bool) -> Tensor<2>;

/// What one variant's training produced.
#[derive(Debug)]
pub struct Fitted<M = Mlp> {
    /// The trained network (training-mode copy on the training device).
    pub model: M,
    /// One point per completed epoch.
    pub epochs: Vec<EpochPoint>,
    /// The data loss of every step.
    pub iter_loss: Vec<f64>,
    /// The 0-based step at which the loss diverged, if it did.
    pub diverged_at: Option<usize>,
}

impl<M> Fitted<M> {
    /// The last epoch's point, if any epoch completed.
    pub fn last(&self) -> Option<&EpochPoint> {
        self.epochs.last()
    }

    /// `value` of the last epoch's point, NaN when no epoch completed.
    pub fn final_value(&self, value: impl Fn(&EpochPoint) -> f64) -> f64 {
        self.last().map_or(f64::NAN, value)
    }

    /// The last epoch's training and test accuracy, 0 when no epoch completed.
    pub fn final_accs(&self) -> (f64, f64) {
        self.last()
            .map_or((0.0, 0.0), |p| (p.train_acc, p.test_acc))
    }

    /// Final test accuracy (0 for a run that diverged before its first epoch ended).
    pub fn test_acc(&self) -> f64 {
        if self.diverged_at.is_some() {
            return 0.0;
        }
        self.last().map_or(0.0, |p| p.test_acc)
    }
}

/// Loss and accuracy of `model` on `split` (at most `limit` images), in evaluation mode.
pub fn evaluate(model: &Mlp, spec: &MlpSpec, split: &Split, limit: usize) -> (f64, f64) {
    let device = model.head.weight.val().device().without_autodiff();
    evaluate_with(
        model,
        &|m: &Mlp, x, t| m.forward(spec, x, t),
        split,
        limit,
        &device,
    )
}

/// Loss and accuracy of any network `model` with forward pass `forward` on `split` (at most
/// `limit` images), in evaluation mode on the plain `device`.
pub fn evaluate_with<M: Module>(
    model: &M,
    forward: Forward<M>,
    split: &Split,
    limit: usize,
    device: &Device,
) -> (f64, f64) {
    let model = model.valid();
    let device = device.clone();
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let n = split.len().min(limit);
    let idx: Vec<usize> = (0..n).collect();
    let (mut loss, mut correct) = (0.0, 0.0);
    for chunk in idx.chunks(1000) {
        let (x, y) = split.batch(chunk, &device);
        let logits = forward(&model, x, false);
        let l = loss_fn
            .forward(logits.clone(), y.clone())
            .into_scalar::<f32>() as f64;
        loss += l * chunk.len() as f64;
        let pred = logits.argmax(1).squeeze_dim::<1>(1);
        correct += pred.equal(y).int().sum().into_scalar::<i64>() as f64;
    }
    let n = n.max(1) as f64;
    (loss / n, correct / n)
}

/// Trains a fresh `spec` network on `data` under `cfg` on the autodiff `device`.
pub fn fit(
    spec: &MlpSpec,
    data: &LabData,
    cfg: &FitConfig,
    device: &Device,
) -> Result<Fitted, LabError> {
    device.seed(cfg.seed);
    let model = spec.init(device);
    fit_from(model, spec, data, cfg, device)
}

/// Trains `model` (already initialised) with forward pass `spec`'s on `data` under `cfg`.
pub fn fit_from(
    model: Mlp,
    spec: &MlpSpec,
    data: &LabData,
    cfg: &FitConfig,
    device: &Device,
) -> Result<Fitted, LabError> {
    fit_with(
        model,
        &|m: &Mlp, x, t| m.forward(spec, x, t),
        data,
        cfg,
        device,
    )
}

/// Trains any network `model` (already initialised) with forward pass `forward` on `data`
/// under `cfg`.
pub fn fit_with<M: Module>(
    model: M,
    forward: Forward<M>,
    data: &LabData,
    cfg: &FitConfig,
    device: &Device,
) -> Result<Fitted<M>, LabError> {
    fit_augmented(model, forward, data, None, cfg, device)
}

/// A fresh training split for each (0-based) epoch, e.g. an augmented copy of the subset.
pub type EpochData<'a> = Option<&'a dyn Fn(usize) -> Split>;

/// As [`fit_with`], training epoch `e` on `augment(e)` when given (same length as `data.train`,
/// same order) instead of `data.train`; evaluation always uses `data`.
pub fn fit_augmented<M: Module>(
    mut model: M,
    forward: Forward<M>,
    data: &LabData,
    augment: EpochData,
    cfg: &FitConfig,
    device: &Device,
) -> Result<Fitted<M>, LabError> {
    cfg.schedule
        .validate()
        .map_err(|e| LabError::Config(e.to_string()))?;
    cfg.reg
        .validate()
        .map_err(|e| LabError::Config(e.to_string()))?;
    let mut optim = cfg
        .optimizer
        .init()
        .map_err(|e| LabError::Config(e.to_string()))?;
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let per_epoch = data.train.len().div_ceil(cfg.batch.max(1)) as u64;
    let start = Instant::now();
    let mut epochs = Vec::new();
    let mut iter_loss = Vec::new();
    let mut diverged_at = None;
    let mut step = 0u64;
    let mut lr = cfg.schedule.lr0;
    'train: for epoch in 0..cfg.epochs {
        let mut sum = 0.0;
        let batches = epoch_batches(data.train.len(), cfg.batch, cfg.seed, epoch);
        let augmented = augment.map(|f| f(epoch));
        let train = augmented.as_ref().unwrap_or(&data.train);
        for idx in &batches {
            let (x, y) = train.batch(idx, device);
            let data_loss = loss_fn.forward(forward(&model, x, true), y);
            let value = data_loss.clone().into_scalar::<f32>() as f64;
            iter_loss.push(value);
            let recent = &iter_loss[iter_loss.len().saturating_sub(10)..];
            let recent_mean = recent.iter().sum::<f64>() / recent.len() as f64;
            if !value.is_finite() || recent_mean > DIVERGED_LOSS {
                diverged_at = Some(step as usize);
                break 'train;
            }
            sum += value;
            let loss = if cfg.reg.is_none() {
                data_loss
            } else {
                data_loss + cfg.reg.penalty(&model, device)
            };
            lr = lr_at_iteration(&cfg.schedule, step, per_epoch);
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optim.step(lr, model, grads);
            step += 1;
        }
        let plain = device.clone().without_autodiff();
        let (train_eval_loss, train_acc) =
            evaluate_with(&model, forward, &data.train, 2000, &plain);
        let (test_loss, test_acc) = evaluate_with(&model, forward, &data.test, usize::MAX, &plain);
        epochs.push(EpochPoint {
            epoch: epoch + 1,
            train_loss: sum / batches.len().max(1) as f64,
            train_eval_loss,
            train_acc,
            test_loss,
            test_acc,
            lr,
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    Ok(Fitted {
        model,
        epochs,
        iter_loss,
        diverged_at,
    })
}
