//! Counting trainable parameters the way PyTorch's `sum(p.numel() for p in m.parameters())` does,
//! and walking them ([`visit_trainable`]) for anything else that must skip the same buffers
//! (the training crate's L1/L2 penalties).
//!
//! Burn's `Module::num_params` also counts batch-norm running statistics (`running_mean`,
//! `running_var`), which PyTorch keeps as buffers. Published parameter counts (torchvision's model
//! cards, the papers) exclude them, so the walk skips those fields.

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::Tensor;

/// Field names of running statistics, which are state but not trainable parameters.
pub const RUNNING_STATS: [&str; 2] = ["running_mean", "running_var"];

/// What [`visit_trainable`] does with each trainable float parameter.
pub trait TrainableVisitor {
    /// Called once per float parameter that is not a running statistic.
    fn visit<const D: usize>(&mut self, param: &Param<Tensor<D>>);
}

/// Keeps the field path of the walk so that running statistics can be told apart.
struct SkipRunningStats<'a, V> {
    path: Vec<String>,
    inner: &'a mut V,
}

impl<V: TrainableVisitor> ModuleVisitor for SkipRunningStats<'_, V> {
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
            self.inner.visit(param);
        }
    }
}

/// Hands `visitor` every float parameter of `module` except batch-norm running statistics.
pub fn visit_trainable<M: Module, V: TrainableVisitor>(module: &M, visitor: &mut V) {
    module.visit(&mut SkipRunningStats {
        path: Vec::new(),
        inner: visitor,
    });
}

struct TrainableCounter(usize);

impl TrainableVisitor for TrainableCounter {
    fn visit<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.0 += param.lazy_shape().num_elements();
    }
}

/// Number of trainable scalars in `module` (weights and biases; no running statistics).
pub fn trainable_params<M: Module>(module: &M) -> usize {
    let mut counter = TrainableCounter(0);
    visit_trainable(module, &mut counter);
    counter.0
}
