//! Shared by the segmentation-network tests: a scene of bright rectangles with their masks, and a
//! loop that fits a network to it and counts the pixels it then labels right in evaluation mode.

use burn::module::Module;
use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Int, Tensor, TensorData};

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
