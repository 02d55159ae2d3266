//! Several devices of one host with Burn's multi-device strategy
//! (`ExecutionStrategy::MultiDevice`, `MultiDeviceOptim::OptimMainDevice`): Burn cuts the
//! training loader into one contiguous slice per device (each shuffled on its own), runs a worker
//! thread per device, moves every device's gradients to the first device, sums them there and
//! steps the optimiser once. The replicas' losses are scaled by `1/N` ([`super::loss_scale`]) so
//! that the sum is the mean gradient over the global batch.

use burn::tensor::Device;
use burn::train::{ExecutionStrategy, LearnerModel, MultiDeviceOptim, SupervisedTraining};
use model::backend::BackendKind;

use crate::error::TrainError;

/// The training devices `indices` of `backend`: GPU indices for wgpu; on the CPU backends, which
/// have one device, a worker slot of it per index.
pub fn devices(backend: BackendKind, indices: &[usize]) -> Result<Vec<Device>, TrainError> {
    indices
        .iter()
        .map(|&i| device(backend, i).map(|d| d.autodiff()))
        .collect()
}

fn device(backend: BackendKind, index: usize) -> Result<Device, TrainError> {
    match backend {
        #[cfg(feature = "wgpu")]
        BackendKind::Wgpu => Ok(Device::wgpu(burn::tensor::DeviceKind::DiscreteGpu(index))),
        _ => {
            let _ = index;
            Ok(backend.device()?)
        }
    }
}

/// Give `training` Burn's multi-device strategy over the devices `indices` of `backend`.
pub fn attach<M: LearnerModel>(
    training: SupervisedTraining<M>,
    backend: BackendKind,
    indices: &[usize],
) -> Result<SupervisedTraining<M>, TrainError> {
    let devices = devices(backend, indices)?;
    println!(
        "data parallel on {} {backend} devices ({indices:?}), gradients summed on the first",
        devices.len()
    );
    Ok(training.with_training_strategy(
        ExecutionStrategy::multi(devices, MultiDeviceOptim::OptimMainDevice).into(),
    ))
}
