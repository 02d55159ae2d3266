//! Shared by the model tests: which trainable parameters lack a finite gradient after a backward
//! pass; a scene of bright rectangles with their masks, and a loop that fits a segmentation network
//! to it and counts the pixels it then labels right in evaluation mode.

// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Gradients, Int, Tensor, TensorData};

struct GradCheck<'a> {
    grads: &'a Gradients,
    path: Vec<String>,
    missing: Vec<String>,
    checked: usize,
}

impl ModuleVisitor for GradCheck<'_> {
    fn enter_module(&mut self, name: &str, _: &str) {
        self.path.push(name.to_string());
    }
    fn exit_module(&mut self, _: &str, _: &str) {
        self.path.pop();
    }
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let name = self.path.join(".");
        if name.ends_with("running_mean") || name.ends_with("running_var") {
            return;
        }
        self.checked += 1;
        match param.val().grad(self.grads) {
            Some(g) if g.clone().abs().sum().into_scalar::<f32>().is_finite() => {}
            _ => self.missing.push(name),
        }
    }
}

/// The number of trainable parameters of `module` (batch-norm running statistics excluded) and the
/// paths of those without a finite gradient in `grads`.
pub fn missing_gradients<M: Module>(module: &M, grads: &Gradients) -> (usize, Vec<String>) {
    let mut check = GradCheck {
        grads,
        path: Vec::new(),
        missing: Vec::new(),
        checked: 0,
    };
    module.visit(&mut check);
    (check.checked, check.missing)
}

/// `n` grey `h×w` images, image `i` holding the rectangle `rects[i]` = (top, left, height, width) at
/// intensity 1 on 0, and masks labelling the rectangle 1 and the rest 0.
pub fn rectangles(
    h: usize,
    w: usize,
    rects: &[(usize, usize, usize, usize)],
    device: &Device,
) -> (Tensor<4>, Tensor<3, Int>, Vec<i64>) {
    let n = rects.len();
    let mut img = vec![0.0f32; n * h * w];
    let mut mask = vec![0i64; n * h * w];
    for (i, &(top, left, rh, rw)) in rects.iter().enumerate() {
        for y in top..top + rh {
            for x in left..left + rw {
                img[i * h * w + y * w + x] = 1.0;
                mask[i * h * w + y * w + x] = 1;
            }
        }
    }
    let images = Tensor::<4>::from_data(TensorData::new(img, [n, 1, h, w]), device);
    let targets = Tensor::<3, Int>::from_data(TensorData::new(mask.clone(), [n, h, w]), device);
    (images, targets, mask)
}

/// Mean pixel cross-entropy (no ignore id: the model crate does not depend on `train`).
pub fn pixel_ce(logits: Tensor<4>, targets: Tensor<3, Int>) -> Tensor<1> {
    let [b, c, h, w] = logits.dims();
    let log_p = log_softmax(logits.permute([0, 2, 3, 1]).reshape([b * h * w, c]), 1);
    log_p
        .gather(1, targets.reshape([b * h * w, 1]))
        .mean()
        .neg()
}

/// Fit `net` to the scene with Adam (lr 0.01) for `steps` steps, then return how many pixels its
/// evaluation-mode predictions get right.
pub fn fit_and_count<M: Module>(
    mut net: M,
    forward: impl Fn(&M, Tensor<4>) -> Tensor<4>,
    scene: (Tensor<4>, Tensor<3, Int>, Vec<i64>),
    steps: usize,
) -> usize {
    let (images, targets, mask) = scene;
    let mut optim = burn::optim::AdamConfig::new().init();
    for _ in 0..steps {
        let loss = pixel_ce(forward(&net, images.clone()), targets.clone());
        let grads = burn::optim::GradientsParams::from_grads(loss.backward(), &net);
        net = optim.step(0.01, net, grads);
    }
    let pred: Vec<f32> = forward(&net.valid(), images.inner())
        .argmax(1)
        .float()
        .into_data()
        .try_to_vec()
        .unwrap_or_default();
    pred.iter()
        .zip(&mask)
        .filter(|(p, m)| **p as i64 == **m)
        .count()
}

/// Burn seeds a device's random generator per process, so tests of one binary running at the same
/// time draw from one stream; a seeded test holds this lock to get the same weights every run.
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
