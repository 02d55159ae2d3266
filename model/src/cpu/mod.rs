//! Our own CPU kernels for Burn's Flex backend: convolution and transposed convolution (forward,
//! input gradient, weight gradient as matrix products over the whole batch, bias gradient) and
//! batch normalisation fused with the ReLU and the residual addition that follow it in the
//! classic networks, and max pooling, each with its own backward pass under autodiff.
//!
//! Burn's Flex backend computes a convolution's weight gradient as a convolution with batch and
//! channels exchanged (many small products that re-pack the output gradient), and composes batch
//! norm out of about ten full passes forward and fifteen backward, each element-wise pass on one
//! thread. These kernels replace exactly those operations, through Burn's backend extensions, so
//! the networks keep one definition: [`crate::ops`] calls them on a Flex device and Burn's own
//! operations on every other device.
//!
//! `CNN_KERNELS=burn` in the environment switches them off (Burn's operations everywhere), for
//! comparisons and as a fallback. With them on, the process's allocator keeps freed memory for
//! reuse ([`allocator`]).

mod allocator;
pub mod batch_norm;
pub mod conv;
pub mod extension;
pub mod geometry;
pub mod pool;
mod reduce;
mod small_planes;

use std::sync::OnceLock;

use burn::tensor::Device;
use thiserror::Error;

/// A shape the kernels cannot compute.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum KernelError {
    /// Sizes, strides, padding or groups that describe no convolution.
    #[error("invalid convolution geometry: {0}")]
    Geometry(String),
}

/// Whether our kernels are enabled (they are, unless `CNN_KERNELS=burn`).
pub fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| {
        let on = !std::env::var("CNN_KERNELS").is_ok_and(|v| v.eq_ignore_ascii_case("burn"));
        if on {
            allocator::keep_memory();
        }
        on
    })
}

/// Run `f` compiled for the best SIMD instruction set of this processor (AVX-512, AVX2+FMA, …),
/// chosen at run time: the loops it calls are `#[inline(always)]`, so they are compiled again for
/// that set inside it.
#[inline(always)]
pub(crate) fn vectorized<R>(f: impl FnOnce() -> R) -> R {
    pulp::Arch::new().dispatch(f)
}

/// Whether `device` is the Flex CPU backend, with or without autodiff.
pub fn is_flex(device: &Device) -> bool {
    device.clone().without_autodiff() == Device::flex()
}
