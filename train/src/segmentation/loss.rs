//! Pixel-wise cross-entropy over `[B, C, H, W]` logits and `[B, H, W]` class ids that skips the
//! ignore id (255) and averages over the valid pixels only — PyTorch's `ignore_index` semantics.
//! (Burn's `CrossEntropyLoss` pad-token mask still divides by every element.) With class weights the
//! mean is weighted: `Σ w[yᵢ]·(−log pᵢ[yᵢ]) / Σ w[yᵢ]` over valid pixels, as PyTorch does.

use burn::tensor::activation::log_softmax;
use burn::tensor::{Int, Tensor};

/// Mean cross-entropy of `logits` `[B, C, H, W]` against `targets` `[B, H, W]`, ignoring pixels whose
/// target is `ignore`; `weights` (`[C]`) optionally weight each class. Returns a one-element tensor
/// (0 when no pixel is valid).
pub fn pixel_cross_entropy(
    logits: Tensor<4>,
    targets: Tensor<3, Int>,
    ignore: i64,
    weights: Option<Tensor<1>>,
) -> Tensor<1> {
    let [b, c, h, w] = logits.dims();
    // [B, C, H, W] -> [N, C] with N = B·H·W pixels.
    let flat = logits.permute([0, 2, 3, 1]).reshape([b * h * w, c]);
    let log_p = log_softmax(flat, 1);
    let targets = targets.reshape([b * h * w]);
    let valid = targets.clone().not_equal_elem(ignore);
    let safe = targets.mask_fill(valid.clone().bool_not(), 0);
    let picked = log_p
        .gather(1, safe.clone().reshape([b * h * w, 1]))
        .reshape([b * h * w]);
    let mut weight = valid.float();
    if let Some(wc) = weights {
        weight = weight * wc.select(0, safe);
    }
    let total = weight.clone().sum();
    let loss = (picked * weight).sum().neg();
    loss / total.clamp_min(1e-12)
}
