//! A classification run's weights as one vector, to compare runs laid out differently (one
//! device, several, several MPI ranks): every float parameter of the network in the record
//! `file` of `run`, in the module's order (batch-norm running statistics included).

use std::path::Path;

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::Tensor;

use crate::error::TrainError;
use crate::run_dir::RunDir;

/// The weights of the record `file` (e.g. `last.bpk`) of the classification run `run`.
pub fn run_weights(run: &RunDir, file: &Path) -> Result<Vec<f32>, TrainError> {
    let config: model::NetworkConfig = run.network()?;
    let device = burn::tensor::Device::flex();
    let network = crate::load::load_network(&config, file, &device)?;
    let mut flat = Flat(Vec::new());
    network.visit(&mut flat);
    Ok(flat.0)
}

/// The largest absolute difference between two weight vectors (infinite when their lengths
/// differ).
pub fn max_abs_difference(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return f32::INFINITY;
    }
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

struct Flat(Vec<f32>);

impl ModuleVisitor for Flat {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if let Ok(values) = param
            .val()
            .into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
        {
            self.0.extend(values);
        }
    }
}
