//! Model summaries: per-layer output shape, trainable parameters and multiply-accumulates, with
//! totals — and the lecture's comparison of the first convolution against a fully connected layer
//! producing the same output from the same input.

use std::collections::HashMap;

use burn::module::{Module, ModuleVisitor, Param, ParamId};
use burn::tensor::{Device, Tensor};
use serde::Serialize;

use crate::error::ModelError;
use crate::interop::module_path::for_each_float;
use crate::network::NetworkConfig;
use crate::params::trainable_params;
use crate::trace::{LayerRow, Trace};

/// A whole-model summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Input `[C, H, W]`.
    pub input: [usize; 3],
    /// Output shape for a batch of one.
    pub output_shape: Vec<usize>,
    /// Every traced layer, in execution order.
    pub layers: Vec<LayerRow>,
    /// Trainable parameters of the whole model (running statistics excluded).
    pub total_params: usize,
    /// Multiply-accumulates per sample.
    pub total_macs: u64,
    /// The first convolution's weights and the weights a fully connected layer would need to map
    /// the same input to the same output.
    pub first_conv: Option<DenseComparison>,
}

/// Weight sharing made visible: a convolution against a dense layer of the same input and output.
#[derive(Debug, Clone, Serialize)]
pub struct DenseComparison {
    /// Layer name.
    pub layer: String,
    /// Parameters of the convolution.
    pub conv_params: usize,
    /// Weights of a fully connected layer from the whole input to the whole output.
    pub dense_weights: u128,
}

/// Summarise `config` for inputs of shape `input` (`[C, H, W]`) by tracing one forward pass of a
/// batch of one on `device`, in evaluation mode.
pub fn summarize(
    config: &NetworkConfig,
    input: [usize; 3],
    device: &Device,
) -> Result<Summary, ModelError> {
    let network = config.init(device)?.valid();
    Ok(summarize_module(&network, input, device, |n, x, tr| {
        n.forward_traced(x, tr).dims().to_vec()
    }))
}

/// Summarise any network: trace `forward` (returning the output shape) on zeros of one
/// `input`-shaped image (a segmentation network: output `[1, classes, H, W]`).
pub fn summarize_module<M: Module>(
    network: &M,
    input: [usize; 3],
    device: &Device,
    forward: impl FnOnce(&M, Tensor<4>, &mut Trace) -> Vec<usize>,
) -> Summary {
    let [c, h, w] = input;
    let mut trace = Trace::on();
    let output_shape = forward(network, Tensor::zeros([1, c, h, w], device), &mut trace);
    // Parameter id → the path of the module that owns it (its path without the parameter's name).
    let mut owner = HashMap::new();
    for_each_float(network, |at, id, _| {
        let names = at.names();
        let module = names[..names.len().saturating_sub(1)].join(".");
        owner.entry(id).or_insert(module);
    });
    let mut summary = assemble(input, output_shape, trace, trainable_params(network));
    for row in &mut summary.layers {
        row.module = row.param.and_then(|id| owner.get(&id).cloned());
    }
    summary
}

fn assemble(
    input: [usize; 3],
    output_shape: Vec<usize>,
    trace: Trace,
    total_params: usize,
) -> Summary {
    let [c, h, w] = input;
    let layers = trace.into_rows();
    let first_conv = layers
        .iter()
        .find(|row| row.kind == "Conv2d")
        .map(|row| DenseComparison {
            layer: row.name.clone(),
            conv_params: row.params,
            dense_weights: (c * h * w) as u128 * row.output_shape.iter().product::<usize>() as u128,
        });
    Summary {
        input,
        output_shape,
        total_params,
        total_macs: layers.iter().map(|row| row.macs).sum(),
        layers,
        first_conv,
    }
}

/// The id of `module`'s first float parameter.
pub fn first_param<M: Module>(module: &M) -> Option<ParamId> {
    struct First(Option<ParamId>);
    impl ModuleVisitor for First {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.get_or_insert(param.id);
        }
    }
    let mut first = First(None);
    module.visit(&mut first);
    first.0
}
