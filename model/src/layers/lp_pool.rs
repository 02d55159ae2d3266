//! Lp pooling, L2 pooling as the special case p = 2.
//!
//! Sermanet, Chintala & LeCun, "Convolutional Neural Networks Applied to House Numbers Digit
//! Classification", ICPR 2012, pool each window with its Lp norm,
//! `y = (Σ_{i ∈ window} |x_i|^p)^(1/p)`, which is the sum pooling of `|x|` for p = 1, the
//! L2-norm pooling of the lecture for p = 2, and tends to max pooling of `|x|` as p → ∞.
//!
//! Convention: the window is **summed**, not averaged, exactly as PyTorch's `LPPool2d` does
//! (a mean would only scale the output by `(kh·kw)^(-1/p)`). Zero padding, when configured,
//! adds zeros to the sum.
//!
//! Numerics: the norm is computed as `m · (Σ (|x_i| / m)^p)^(1/p)` with `m` the window's largest
//! `|x_i|`, so large p neither overflows nor underflows, and an all-zero window gives 0 with a
//! zero (not NaN) gradient.
//!
//! # Shapes
//! - input: `[batch, channels, h, w]`
//! - output: `[batch, channels, out_h, out_w]`, `out = ⌊(n + 2·pad − k) / stride⌋ + 1`

use burn::config::Config;
use burn::module::Module;
use burn::tensor::Tensor;

use super::error::{LayerError, check_non_zero, window_output_size};
use super::patches::patches;

const LAYER: &str = "LpPool2d";

/// Configuration of an [`LpPool2d`] layer.
#[derive(Config, Debug)]
pub struct LpPool2dConfig {
    /// Norm order p, finite and at least 1 (2 gives L2 pooling).
    pub p: f64,
    /// Window size `[kh, kw]`.
    pub kernel_size: [usize; 2],
    /// Stride `[sh, sw]`; defaults to the window size (non-overlapping windows).
    #[config(default = "kernel_size")]
    pub strides: [usize; 2],
    /// Zero padding on each side, `[ph, pw]`.
    #[config(default = "[0, 0]")]
    pub padding: [usize; 2],
}

/// Lp-norm pooling over 2-D windows (see the module documentation).
#[derive(Module, Debug)]
pub struct LpPool2d {
    /// Norm order p.
    pub p: f64,
    /// Window size `[kh, kw]`.
    pub kernel_size: [usize; 2],
    /// Stride `[sh, sw]`.
    pub stride: [usize; 2],
    /// Zero padding `[ph, pw]` on each side.
    pub padding: [usize; 2],
}

impl LpPool2dConfig {
    /// Builds the layer, or says why the configuration is invalid (p < 1 or not finite, a zero
    /// kernel or stride).
    pub fn init(&self) -> Result<LpPool2d, LayerError> {
        if !(self.p.is_finite() && self.p >= 1.0) {
            return Err(LayerError::InvalidNorm {
                layer: LAYER,
                p: self.p,
            });
        }
        check_non_zero(LAYER, "kernel_size", &self.kernel_size)?;
        check_non_zero(LAYER, "strides", &self.strides)?;
        Ok(LpPool2d {
            p: self.p,
            kernel_size: self.kernel_size,
            stride: self.strides,
            padding: self.padding,
        })
    }
}

impl LpPool2d {
    /// Output size `[out_h, out_w]` for an input of spatial size `[h, w]`.
    pub fn output_size(&self, input: [usize; 2]) -> Result<[usize; 2], LayerError> {
        window_output_size(LAYER, input, self.kernel_size, self.stride, self.padding)
    }

    /// Applies Lp pooling.
    ///
    /// # Shapes
    /// - input: `[batch, channels, h, w]`
    /// - output: `[batch, channels, out_h, out_w]`
    ///
    /// # Panics
    /// If the padded input is smaller than the window.
    pub fn forward(&self, input: Tensor<4>) -> Tensor<4> {
        let [batch, channels, h, w] = input.dims();
        let [out_h, out_w] = match self.output_size([h, w]) {
            Ok(size) => size,
            Err(err) => panic!("{err}"),
        };
        let window = self.kernel_size[0] * self.kernel_size[1];

        // [batch, channels·kh·kw, L] -> [batch, channels, kh·kw, L]; channel-major like Conv2d.
        let columns: Tensor<4> = patches(input.abs(), self.kernel_size, self.stride, self.padding)
            .reshape([batch, channels, window, out_h * out_w]);

        let max = columns.clone().max_dim(2); // [batch, channels, 1, L]
        let empty = max.clone().equal_elem(0.0f32);
        let scale = max.clone().mask_fill(empty.clone(), 1.0f32);
        let sum = (columns / scale)
            .powf_scalar(self.p)
            .sum_dim(2)
            .mask_fill(empty, 1.0f32);
        (max * sum.powf_scalar(1.0 / self.p)).reshape([batch, channels, out_h, out_w])
    }
}
