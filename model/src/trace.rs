//! Layer-by-layer tracing of a forward pass, for model summaries.
//!
//! Every network's forward pass is written once, as `forward_traced(x, &mut Trace)`; the plain
//! `forward` passes [`Trace::off`], which records nothing. `cargo xtask summary` passes
//! [`Trace::on`] and gets, for every layer, its output shape, trainable parameter count and
//! multiply-accumulate operations (MACs) per sample.

use burn::module::Module;
use burn::nn::conv::{Conv2d, ConvTranspose2d};
use burn::nn::{BatchNorm, Linear};
use burn::tensor::Tensor;
use serde::Serialize;

use crate::params::trainable_params;

/// One row of a model summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LayerRow {
    /// Dotted path of the layer, e.g. `layer1.0.conv1` (torchvision-style, as the forward pass
    /// names it).
    pub name: String,
    /// The real module path of the layer's parameters in the network, e.g.
    /// `stages.0.0.layers.0.conv` (filled by [`crate::summary`]; none for parameter-free rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// The id of the layer's first parameter (how [`crate::summary`] finds its module path).
    #[serde(skip)]
    pub param: Option<burn::module::ParamId>,
    /// The layer type, e.g. `Conv2d`, `Linear`, `MaxPool2d`.
    pub kind: String,
    /// Output shape for a batch of one, `[1, C, H, W]` or `[1, N]`.
    pub output_shape: Vec<usize>,
    /// Trainable parameters of this layer alone.
    pub params: usize,
    /// Multiply-accumulate operations per sample.
    pub macs: u64,
}

/// Collects [`LayerRow`]s while a network runs forward; a disabled trace costs nothing.
#[derive(Debug, Default)]
pub struct Trace {
    enabled: bool,
    scope: Vec<String>,
    rows: Vec<LayerRow>,
}

impl Trace {
    /// A trace that records nothing (used by the plain `forward`).
    pub fn off() -> Self {
        Self::default()
    }

    /// A trace that records every layer.
    pub fn on() -> Self {
        Self {
            enabled: true,
            ..Self::default()
        }
    }

    /// The recorded rows, in execution order.
    pub fn rows(&self) -> &[LayerRow] {
        &self.rows
    }

    /// Consume the trace and return its rows.
    pub fn into_rows(self) -> Vec<LayerRow> {
        self.rows
    }

    /// Run `f` with `name` appended to the layer path (for blocks such as `layer1.0`).
    pub fn scope<T>(&mut self, name: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        if !self.enabled {
            return f(self);
        }
        self.scope.push(name.to_string());
        let out = f(self);
        self.scope.pop();
        out
    }

    fn push<const D: usize>(
        &mut self,
        name: &str,
        kind: &str,
        out: &Tensor<D>,
        params: usize,
        macs: u64,
    ) {
        let mut path = self.scope.join(".");
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(name);
        let mut output_shape = out.dims().to_vec();
        output_shape[0] = 1;
        self.rows.push(LayerRow {
            name: path,
            module: None,
            param: None,
            kind: kind.to_string(),
            output_shape,
            params,
            macs,
        });
    }

    /// Record a convolution's output; MACs = output elements × (c_in/groups · k_h · k_w).
    pub fn conv(&mut self, name: &str, conv: &Conv2d, out: Tensor<4>) -> Tensor<4> {
        if self.enabled {
            let [_, c_in_per_group, kh, kw] = conv.weight.lazy_shape().dims();
            let [_, c, h, w] = out.dims();
            let macs = (c * h * w * c_in_per_group * kh * kw) as u64;
            self.push(name, "Conv2d", &out, trainable_params(conv), macs);
            self.tag(conv.weight.id);
        }
        out
    }

    /// Record a fully connected layer's output; MACs = d_in · d_out.
    pub fn linear<const D: usize>(
        &mut self,
        name: &str,
        linear: &Linear,
        out: Tensor<D>,
    ) -> Tensor<D> {
        if self.enabled {
            let [d_in, d_out] = linear.weight.lazy_shape().dims();
            self.push(
                name,
                "Linear",
                &out,
                trainable_params(linear),
                (d_in * d_out) as u64,
            );
            self.tag(linear.weight.id);
        }
        out
    }

    /// Record a batch normalisation (2 parameters per channel, no MACs counted).
    pub fn batch_norm(&mut self, name: &str, bn: &BatchNorm, out: Tensor<4>) -> Tensor<4> {
        self.module(name, "BatchNorm", bn, 0, out)
    }

    /// Record a transposed convolution's output (its parameters; no MACs counted).
    pub fn conv_transpose(
        &mut self,
        name: &str,
        conv: &ConvTranspose2d,
        out: Tensor<4>,
    ) -> Tensor<4> {
        self.module(name, "ConvTranspose2d", conv, 0, out)
    }

    /// Record any other module: its trainable parameters and the given MACs per sample.
    pub fn module<M: Module, const D: usize>(
        &mut self,
        name: &str,
        kind: &str,
        module: &M,
        macs: u64,
        out: Tensor<D>,
    ) -> Tensor<D> {
        if self.enabled {
            self.push(name, kind, &out, trainable_params(module), macs);
            if let Some(id) = crate::summary::first_param(module) {
                self.tag(id);
            }
        }
        out
    }

    /// Record a parameter-free operation (activation, pooling, flatten, dropout, concatenation).
    /// Note the id of the last row's first parameter.
    fn tag(&mut self, id: burn::module::ParamId) {
        if let Some(row) = self.rows.last_mut() {
            row.param = Some(id);
        }
    }

    pub fn op<const D: usize>(&mut self, name: &str, kind: &str, out: Tensor<D>) -> Tensor<D> {
        if self.enabled {
            self.push(name, kind, &out, 0, 0);
        }
        out
    }
}
