//! Locally connected 2-D layer: a convolution without weight sharing.
//!
//! Every output position has its own filter bank, as in the locally connected layers L4–L6 of
//! DeepFace (Taigman, Yang, Ranzato & Wolf, "DeepFace: Closing the Gap to Human-Level Performance
//! in Face Verification", CVPR 2014), and as the lecture introduces them between fully connected
//! layers and convolutions: local receptive fields like a convolution, but no shared weights, so
//! the parameter count grows with the output area. Because the weights depend on the position,
//! the input size is fixed when the layer is built.
//!
//! # Shapes
//! - input: `[batch, c_in, h, w]` with `[h, w]` the configured `input_size`
//! - weight: `[out_h * out_w, c_out, c_in * kh * kw]` (one `[c_out, c_in·kh·kw]` matrix per output
//!   position, positions in row-major order, columns ordered like a Conv2d weight flattened)
//! - bias: `[c_out, out_h, out_w]` (one bias per output unit)
//! - output: `[batch, c_out, out_h, out_w]`, with `out = ⌊(n + 2·pad − k) / stride⌋ + 1`
//!
//! The forward pass unfolds the input into columns (the layout of `unfold4d`,
//! `[batch, c_in·kh·kw, L]`) and multiplies each position's column by that position's matrix in
//! one batched matmul.

use burn::config::Config;
use burn::module::{Module, Param};
use burn::nn::Initializer;
use burn::tensor::{Device, Tensor};

use super::error::{LayerError, check_non_zero, window_output_size};
use super::patches::patches;

const LAYER: &str = "LocallyConnected2d";

/// Configuration of a [`LocallyConnected2d`] layer.
#[derive(Config, Debug)]
pub struct LocallyConnected2dConfig {
    /// Input and output channels, `[c_in, c_out]`.
    pub channels: [usize; 2],
    /// Kernel size `[kh, kw]`.
    pub kernel_size: [usize; 2],
    /// Spatial size `[h, w]` of the inputs the layer accepts.
    pub input_size: [usize; 2],
    /// Stride `[sh, sw]`.
    #[config(default = "[1, 1]")]
    pub stride: [usize; 2],
    /// Zero padding on each side, `[ph, pw]`.
    #[config(default = "[0, 0]")]
    pub padding: [usize; 2],
    /// Whether each output unit has a bias.
    #[config(default = true)]
    pub bias: bool,
    /// Weight initialisation; the fans are those of the matching convolution
    /// (`fan_in = c_in·kh·kw`, `fan_out = c_out·kh·kw`), and the default is Conv2d's.
    #[config(default = "crate::layers::default_initializer()")]
    pub initializer: Initializer,
}

/// A 2-D convolution without weight sharing (see the module documentation).
#[derive(Module, Debug)]
pub struct LocallyConnected2d {
    /// `[out_h * out_w, c_out, c_in * kh * kw]`.
    pub weight: Param<Tensor<3>>,
    /// `[c_out, out_h, out_w]`.
    pub bias: Option<Param<Tensor<3>>>,
    /// Kernel size `[kh, kw]`.
    pub kernel_size: [usize; 2],
    /// Stride `[sh, sw]`.
    pub stride: [usize; 2],
    /// Zero padding `[ph, pw]` on each side.
    pub padding: [usize; 2],
    /// Input size `[h, w]`.
    pub input_size: [usize; 2],
    /// Output size `[out_h, out_w]`.
    pub output_size: [usize; 2],
}

impl LocallyConnected2dConfig {
    /// Output size `[out_h, out_w]` this configuration produces.
    pub fn output_size(&self) -> Result<[usize; 2], LayerError> {
        check_non_zero(LAYER, "kernel_size", &self.kernel_size)?;
        check_non_zero(LAYER, "stride", &self.stride)?;
        check_non_zero(LAYER, "input_size", &self.input_size)?;
        window_output_size(
            LAYER,
            self.input_size,
            self.kernel_size,
            self.stride,
            self.padding,
        )
    }

    /// Builds the layer, or says why the configuration describes no layer (a zero size, or an
    /// input smaller than the kernel).
    pub fn init(&self, device: &Device) -> Result<LocallyConnected2d, LayerError> {
        check_non_zero(LAYER, "channels", &self.channels)?;
        let output_size = self.output_size()?;
        let [c_in, c_out] = self.channels;
        let [kh, kw] = self.kernel_size;
        let positions = output_size[0] * output_size[1];
        let fan_in = c_in * kh * kw;
        let fan_out = c_out * kh * kw;
        let weight = self.initializer.init_with(
            [positions, c_out, fan_in],
            Some(fan_in),
            Some(fan_out),
            device,
        );
        let bias = self.bias.then(|| {
            self.initializer.init_with(
                [c_out, output_size[0], output_size[1]],
                Some(fan_in),
                Some(fan_out),
                device,
            )
        });
        Ok(LocallyConnected2d {
            weight,
            bias,
            kernel_size: self.kernel_size,
            stride: self.stride,
            padding: self.padding,
            input_size: self.input_size,
            output_size,
        })
    }
}

impl LocallyConnected2d {
    /// Applies the layer.
    ///
    /// # Shapes
    /// - input: `[batch, c_in, h, w]`
    /// - output: `[batch, c_out, out_h, out_w]`
    ///
    /// # Panics
    /// If the input's channels or spatial size differ from the configured ones.
    pub fn forward(&self, input: Tensor<4>) -> Tensor<4> {
        let [batch, c_in, h, w] = input.dims();
        let [positions, c_out, cols] = self.weight.dims();
        assert_eq!(
            [h, w],
            self.input_size,
            "{LAYER}: input size differs from the configured one"
        );
        assert_eq!(
            c_in * self.kernel_size[0] * self.kernel_size[1],
            cols,
            "{LAYER}: input has {c_in} channels, which does not match the weight"
        );
        let [out_h, out_w] = self.output_size;

        // [batch, c_in·kh·kw, L] -> [L, c_in·kh·kw, batch]
        let columns =
            patches(input, self.kernel_size, self.stride, self.padding).permute([2, 1, 0]);
        // [L, c_out, K] x [L, K, batch] = [L, c_out, batch] -> [batch, c_out, L]
        let output = self
            .weight
            .val()
            .matmul(columns)
            .permute([2, 1, 0])
            .reshape([batch, c_out, out_h, out_w]);
        debug_assert_eq!(positions, out_h * out_w);

        match &self.bias {
            Some(bias) => output + bias.val().unsqueeze_dim(0),
            None => output,
        }
    }
}
