//! Max unpooling with switches.
//!
//! Zeiler & Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014, invert max
//! pooling approximately by recording the location of each window's maximum (the *switches*)
//! and putting each pooled value back at its switch, zeros elsewhere; Noh, Hong & Han,
//! "Learning Deconvolution Network for Semantic Segmentation", ICCV 2015 (and SegNet) use the
//! same unpooling in the decoder of a segmentation network.
//!
//! The switches are the indices returned by `burn::tensor::module::max_pool2d_with_indices`: for
//! each pooled value the flat index `row · W + col` into its channel's `H × W` input plane. The
//! layer scatters the values into a zero tensor `[batch, channels, H·W]` and reshapes it. The
//! gradient of an unpooled position flows back to the pooled value whose switch it is; every
//! other position gets none. With overlapping windows two pooled values may share a switch (they
//! are then equal, being the same input element); as in PyTorch's `MaxUnpool2d`, one of them is
//! written.
//!
//! # Shapes
//! - input and switches: `[batch, channels, h, w]` (values `Float`, switches `Int`)
//! - output: `[batch, channels, H, W]`; by default `H = (h − 1)·stride − 2·pad + kernel`, or any
//!   size given to [`MaxUnpool2d::forward_with_output_size`] (pass the pooled input's size when
//!   the pooling dropped rows or columns).

use burn::config::Config;
use burn::module::Module;
use burn::tensor::ops::IndexingUpdateOp;
use burn::tensor::{Int, Tensor};

use super::error::{LayerError, check_non_zero};

const LAYER: &str = "MaxUnpool2d";

/// Configuration of a [`MaxUnpool2d`] layer: the window of the max pooling it inverts.
#[derive(Config, Debug)]
pub struct MaxUnpool2dConfig {
    /// Window size `[kh, kw]` of the pooling.
    pub kernel_size: [usize; 2],
    /// Stride `[sh, sw]` of the pooling; defaults to the window size.
    #[config(default = "kernel_size")]
    pub strides: [usize; 2],
    /// Padding `[ph, pw]` of the pooling on each side.
    #[config(default = "[0, 0]")]
    pub padding: [usize; 2],
}

/// Puts pooled values back at their switches (see the module documentation).
#[derive(Module, Debug)]
pub struct MaxUnpool2d {
    /// Window size `[kh, kw]` of the pooling.
    pub kernel_size: [usize; 2],
    /// Stride `[sh, sw]` of the pooling.
    pub stride: [usize; 2],
    /// Padding `[ph, pw]` of the pooling.
    pub padding: [usize; 2],
}

impl MaxUnpool2dConfig {
    /// Builds the layer, or rejects a zero kernel or stride.
    pub fn init(&self) -> Result<MaxUnpool2d, LayerError> {
        check_non_zero(LAYER, "kernel_size", &self.kernel_size)?;
        check_non_zero(LAYER, "strides", &self.strides)?;
        Ok(MaxUnpool2d {
            kernel_size: self.kernel_size,
            stride: self.strides,
            padding: self.padding,
        })
    }
}

impl MaxUnpool2d {
    /// Default output size for a pooled size `[h, w]`: `(h − 1)·stride − 2·pad + kernel`
    /// (saturating at 0).
    pub fn output_size(&self, pooled: [usize; 2]) -> [usize; 2] {
        let mut out = [0; 2];
        for (i, o) in out.iter_mut().enumerate() {
            *o = (pooled[i].saturating_sub(1) * self.stride[i] + self.kernel_size[i])
                .saturating_sub(2 * self.padding[i]);
        }
        out
    }

    /// Unpools to the default output size ([`MaxUnpool2d::output_size`]).
    ///
    /// # Shapes
    /// - input, switches: `[batch, channels, h, w]`
    /// - output: `[batch, channels, H, W]`
    pub fn forward(&self, input: Tensor<4>, switches: Tensor<4, Int>) -> Tensor<4> {
        let [_, _, h, w] = input.dims();
        self.forward_with_output_size(input, switches, self.output_size([h, w]))
    }

    /// Unpools to an explicit output size `[H, W]`, normally the size of the tensor that was
    /// pooled.
    ///
    /// # Panics
    /// If the switches' shape differs from the input's. A switch outside `0..H·W` is not
    /// checked here (backends differ on out-of-range scatters).
    pub fn forward_with_output_size(
        &self,
        input: Tensor<4>,
        switches: Tensor<4, Int>,
        output_size: [usize; 2],
    ) -> Tensor<4> {
        max_unpool2d(input, switches, output_size)
    }
}

/// Places each value of `input` at the flat index `switches` holds for it in a zero plane of
/// size `output_size`, per batch element and channel.
///
/// # Shapes
/// - input, switches: `[batch, channels, h, w]`
/// - output: `[batch, channels, output_size[0], output_size[1]]`
///
/// # Panics
/// If the switches' shape differs from the input's.
pub fn max_unpool2d(
    input: Tensor<4>,
    switches: Tensor<4, Int>,
    output_size: [usize; 2],
) -> Tensor<4> {
    let [batch, channels, h, w] = input.dims();
    assert_eq!(
        switches.dims(),
        input.dims(),
        "{LAYER}: the switches must have the input's shape"
    );
    let [out_h, out_w] = output_size;
    let zeros = Tensor::<3>::zeros(
        [batch, channels, out_h * out_w],
        (&input.device(), input.dtype()),
    );
    zeros
        .scatter(
            2,
            switches.reshape([batch, channels, h * w]),
            input.reshape([batch, channels, h * w]),
            IndexingUpdateOp::Assign,
        )
        .reshape([batch, channels, out_h, out_w])
}
