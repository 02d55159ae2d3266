//! The experiments' network: a plain fully connected stack whose activation, initialisation,
//! batch-norm placement and dropout are the knobs under study, and whose forward pass returns
//! every hidden layer's output so that statistics can be taken per layer.
//!
//! Activations: logistic sigmoid and tanh (LeCun et al. 1998), ReLU (Nair & Hinton 2010; Glorot,
//! Bordes & Bengio 2011), leaky ReLU (Maas et al. 2013), ELU (Clevert et al. 2016) and maxout
//! (Goodfellow et al. 2013, two pieces). Batch norm: Ioffe & Szegedy 2015, placed before or after
//! the non-linearity. Dropout: Srivastava et al. 2014 (inverted: kept units are scaled by 1/(1−p)
//! in training, nothing changes at test time).

use burn::module::Module;
use burn::nn::{BatchNorm, BatchNormConfig, Linear};
use burn::tensor::activation;
use burn::tensor::{Device, Distribution, Tensor};
use model::builders::linear;
use model::init::InitScheme;
use model::layers::MaxoutConfig;

/// The non-linearity of every hidden layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Act {
    /// 1 / (1 + e^−x).
    Sigmoid,
    /// tanh x.
    Tanh,
    /// max(0, x).
    Relu,
    /// max(0.01·x, x).
    LeakyRelu,
    /// x for x > 0, e^x − 1 otherwise.
    Elu,
    /// The maximum of two linear pieces (the layer computes twice the width).
    Maxout,
    /// No non-linearity (a linear network).
    Identity,
}

impl Act {
    /// The name used in tables and legends.
    pub fn name(&self) -> &'static str {
        match self {
            Act::Sigmoid => "sigmoid",
            Act::Tanh => "tanh",
            Act::Relu => "relu",
            Act::LeakyRelu => "leaky-relu",
            Act::Elu => "elu",
            Act::Maxout => "maxout",
            Act::Identity => "linear",
        }
    }

    fn pieces(&self) -> usize {
        if *self == Act::Maxout { 2 } else { 1 }
    }

    fn apply(&self, x: Tensor<2>) -> Tensor<2> {
        match self {
            Act::Sigmoid => activation::sigmoid(x),
            Act::Tanh => activation::tanh(x),
            Act::Relu => activation::relu(x),
            Act::LeakyRelu => activation::leaky_relu(x, 0.01),
            Act::Elu => {
                // e^min(x,0) − 1 on the negative side, x on the positive side.
                let neg = x.clone().clamp_max(0.0).exp().sub_scalar(1.0);
                activation::relu(x).add(neg)
            }
            Act::Maxout => match MaxoutConfig::new(2).init() {
                Ok(m) => m.forward(x),
                Err(_) => x,
            },
            Act::Identity => x,
        }
    }
}

/// Where batch normalisation sits in each hidden layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BnPlace {
    /// No batch norm.
    None,
    /// Linear → BN → activation (the paper's placement).
    Before,
    /// Linear → activation → BN.
    After,
}

/// The shape and knobs of one network.
#[derive(Debug, Clone, Copy)]
pub struct MlpSpec {
    /// Input values per image.
    pub input: usize,
    /// Units per hidden layer.
    pub width: usize,
    /// Hidden layers.
    pub depth: usize,
    /// Output classes.
    pub classes: usize,
    /// Hidden non-linearity.
    pub act: Act,
    /// Weight initialisation of every layer (biases zero).
    pub init: InitScheme,
    /// Batch-norm placement.
    pub bn: BnPlace,
    /// Dropout probability after each hidden layer (0 = none).
    pub dropout: f64,
}

impl MlpSpec {
    /// A `depth`-layer ReLU network of `width` units with He initialisation and no BN/dropout.
    pub fn new(input: usize, width: usize, depth: usize, classes: usize) -> Self {
        Self {
            input,
            width,
            depth,
            classes,
            act: Act::Relu,
            init: InitScheme::He,
            bn: BnPlace::None,
            dropout: 0.0,
        }
    }

    /// The setup line of the network: `"2 hidden ReLU layers of 256 units, He initialisation"`.
    pub fn describe(&self) -> String {
        let act = match self.act {
            Act::Relu => "ReLU",
            other => other.name(),
        };
        let layers = if self.depth == 1 { "layer" } else { "layers" };
        let init = match self.init {
            InitScheme::He => "He".to_string(),
            other => format!("{other:?}"),
        };
        let (depth, width) = (self.depth, self.width);
        format!("{depth} hidden {act} {layers} of {width} units, {init} initialisation")
    }

    /// Draws the network's weights on `device`.
    pub fn init(&self, device: &Device) -> Mlp {
        let k = self.act.pieces();
        let mut hidden = Vec::with_capacity(self.depth);
        let mut norms = Vec::new();
        let mut d_in = self.input;
        for _ in 0..self.depth {
            hidden.push(linear(d_in, self.width * k, self.init, device));
            if self.bn != BnPlace::None {
                let features = if self.bn == BnPlace::Before {
                    self.width * k
                } else {
                    self.width
                };
                norms.push(BatchNormConfig::new(features).init(device));
            }
            d_in = self.width;
        }
        Mlp {
            hidden,
            norms,
            head: linear(d_in, self.classes, self.init, device),
        }
    }
}

/// The network's parameters (its knobs live in the [`MlpSpec`] passed to `forward`).
#[derive(Module, Debug)]
pub struct Mlp {
    /// Hidden layers.
    pub hidden: Vec<Linear>,
    /// One batch norm per hidden layer, or none.
    pub norms: Vec<BatchNorm>,
    /// The classifier.
    pub head: Linear,
}

impl Mlp {
    /// Logits and every hidden layer's output (after activation, BN and dropout).
    ///
    /// `train` turns dropout on (batch norm follows the device and the module's mode).
    pub fn forward_traced(
        &self,
        spec: &MlpSpec,
        x: Tensor<2>,
        train: bool,
    ) -> (Tensor<2>, Vec<Tensor<2>>) {
        let mut h = x;
        let mut outputs = Vec::with_capacity(self.hidden.len());
        for (i, layer) in self.hidden.iter().enumerate() {
            h = layer.forward(h);
            let bn = self.norms.get(i);
            if let (BnPlace::Before, Some(bn)) = (spec.bn, bn) {
                h = bn.forward(h);
            }
            h = spec.act.apply(h);
            if let (BnPlace::After, Some(bn)) = (spec.bn, bn) {
                h = bn.forward(h);
            }
            if train && spec.dropout > 0.0 {
                let keep = 1.0 - spec.dropout;
                let mask = h.random_like(Distribution::Bernoulli(keep));
                h = h.mul(mask).div_scalar(keep);
            }
            outputs.push(h.clone());
        }
        (self.head.forward(h), outputs)
    }

    /// Logits only.
    pub fn forward(&self, spec: &MlpSpec, x: Tensor<2>, train: bool) -> Tensor<2> {
        self.forward_traced(spec, x, train).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_names_depth_width_activation_and_initialisation() {
        let spec = MlpSpec::new(784, 256, 2, 10);
        assert_eq!(
            spec.describe(),
            "2 hidden ReLU layers of 256 units, He initialisation"
        );
        let one = MlpSpec {
            act: Act::Tanh,
            init: InitScheme::XavierFanIn,
            ..MlpSpec::new(784, 64, 1, 10)
        };
        assert_eq!(
            one.describe(),
            "1 hidden tanh layer of 64 units, XavierFanIn initialisation"
        );
    }
}
