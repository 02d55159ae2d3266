//! Errors raised when a layer configuration cannot describe a valid layer.

use thiserror::Error;

/// Why a layer configuration was rejected by its `init`.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LayerError {
    /// A size that must be positive (kernel, stride, channels, input size, pieces) is zero.
    #[error("{layer}: {what} must be non-zero, got {value:?}")]
    ZeroSize {
        /// The layer whose configuration was rejected.
        layer: &'static str,
        /// The configuration field at fault.
        what: &'static str,
        /// The value given.
        value: Vec<usize>,
    },
    /// The norm order of an Lp pooling is below 1 or not finite.
    #[error("{layer}: the norm order p must be a finite number >= 1, got {p}")]
    InvalidNorm {
        /// The layer whose configuration was rejected.
        layer: &'static str,
        /// The order given.
        p: f64,
    },
    /// The (padded) input is smaller than the kernel, so there is no output position.
    #[error(
        "{layer}: input {input:?} with padding {padding:?} is smaller than the kernel {kernel:?}"
    )]
    InputTooSmall {
        /// The layer whose configuration was rejected.
        layer: &'static str,
        /// The input height and width.
        input: [usize; 2],
        /// The kernel height and width.
        kernel: [usize; 2],
        /// The padding on each side, height and width.
        padding: [usize; 2],
    },
}

/// Rejects any zero in `value`.
pub(crate) fn check_non_zero(
    layer: &'static str,
    what: &'static str,
    value: &[usize],
) -> Result<(), LayerError> {
    if value.contains(&0) {
        return Err(LayerError::ZeroSize {
            layer,
            what,
            value: value.to_vec(),
        });
    }
    Ok(())
}

/// The output size of a sliding window, ⌊(n + 2p − k) / s⌋ + 1 in each dimension, or an error
/// when the padded input is smaller than the kernel.
pub(crate) fn window_output_size(
    layer: &'static str,
    input: [usize; 2],
    kernel: [usize; 2],
    stride: [usize; 2],
    padding: [usize; 2],
) -> Result<[usize; 2], LayerError> {
    let mut out = [0; 2];
    for i in 0..2 {
        let padded = input[i] + 2 * padding[i];
        if padded < kernel[i] || stride[i] == 0 {
            return Err(LayerError::InputTooSmall {
                layer,
                input,
                kernel,
                padding,
            });
        }
        out[i] = (padded - kernel[i]) / stride[i] + 1;
    }
    Ok(out)
}
