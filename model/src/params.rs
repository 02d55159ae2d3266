//! Counting trainable parameters the way PyTorch's `sum(p.numel() for p in m.parameters())` does.
//!
//! Burn's `Module::num_params` also counts batch-norm running statistics (`running_mean`,
//! `running_var`), which PyTorch keeps as buffers. Published parameter counts (torchvision's model
//! cards, the papers) exclude them, so this visitor skips those fields.

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::Tensor;

/// Field names of running statistics, which are state but not trainable parameters.
const RUNNING_STATS: [&str; 2] = ["running_mean", "running_var"];

#[derive(Default)]
struct TrainableCounter {
    path: Vec<String>,
    count: usize,
}

impl ModuleVisitor for TrainableCounter {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let is_running_stat = self
            .path
            .last()
            .is_some_and(|name| RUNNING_STATS.contains(&name.as_str()));
        if !is_running_stat {
            self.count += param.lazy_shape().num_elements();
        }
    }
}

/// Number of trainable scalars in `module` (weights and biases; no running statistics).
pub fn trainable_params<M: Module>(module: &M) -> usize {
    let mut counter = TrainableCounter::default();
    module.visit(&mut counter);
    counter.count
}
