//! Run-time backend selection: every binary takes `--backend flex|ndarray|wgpu` and turns it into a
//! Burn [`Device`]. Models never name a backend.
//!
//! `flex` (pure Rust, SIMD + rayon) and `ndarray` are always compiled in; `wgpu` only with the
//! `wgpu` cargo feature, because it doubles the build. Asking for a backend that was not compiled in
//! is an error that lists the ones that were.

use std::fmt;
use std::str::FromStr;

use burn::tensor::Device;
use thiserror::Error;

/// A Burn backend chosen by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackendKind {
    /// burn-flex, the pure-Rust CPU backend.
    Flex,
    /// burn-ndarray, the older CPU backend (deprecated upstream in 0.22).
    Ndarray,
    /// burn-wgpu on the first discrete GPU (Vulkan, Metal or DirectX).
    Wgpu,
}

/// A backend name that is unknown or not compiled into this binary.
#[derive(Debug, Error)]
pub enum BackendError {
    /// Not a backend name at all.
    #[error("unknown backend `{0}`; compiled in: {list}", list = compiled_backends().join(", "))]
    Unknown(String),
    /// A real backend that this binary was built without.
    #[error("backend `{0}` is not compiled into this binary (compiled in: {list}); rebuild with `--features wgpu`", list = compiled_backends().join(", "))]
    NotCompiled(BackendKind),
}

/// Names of the backends this binary can use.
pub fn compiled_backends() -> Vec<&'static str> {
    let mut names = vec!["flex", "ndarray"];
    if cfg!(feature = "wgpu") {
        names.push("wgpu");
    }
    names
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BackendKind::Flex => "flex",
            BackendKind::Ndarray => "ndarray",
            BackendKind::Wgpu => "wgpu",
        })
    }
}

impl FromStr for BackendKind {
    type Err = BackendError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "flex" => Ok(BackendKind::Flex),
            "ndarray" => Ok(BackendKind::Ndarray),
            "wgpu" => Ok(BackendKind::Wgpu),
            _ => Err(BackendError::Unknown(s.to_string())),
        }
    }
}

impl BackendKind {
    /// The inference device of this backend (no autodiff).
    pub fn device(&self) -> Result<Device, BackendError> {
        match self {
            BackendKind::Flex => Ok(Device::flex()),
            #[allow(deprecated)]
            BackendKind::Ndarray => Ok(Device::ndarray()),
            BackendKind::Wgpu => wgpu_device(),
        }
    }

    /// The training device of this backend (with autodiff).
    pub fn autodiff_device(&self) -> Result<Device, BackendError> {
        Ok(self.device()?.autodiff())
    }
}

#[cfg(feature = "wgpu")]
fn wgpu_device() -> Result<Device, BackendError> {
    Ok(Device::wgpu(burn::tensor::DeviceKind::DefaultDevice))
}

#[cfg(not(feature = "wgpu"))]
fn wgpu_device() -> Result<Device, BackendError> {
    Err(BackendError::NotCompiled(BackendKind::Wgpu))
}
