//! The small image networks of the `pooling` and `layers` experiments. Rows of the data subset
//! are reshaped to `[n, 1, side, side]`.
//!
//! - [`PoolNet`]: conv 5×5 (16) → pool 2 → conv 5×5 (32) → pool 2 → linear, with max pooling
//!   (Ranzato et al. 2007), average pooling (LeCun et al. 1998) or L2 pooling (Hyvärinen &
//!   Köster 2007; Sermanet, Chintala & LeCun 2012) at both pooling stages.
//! - [`LayerNet`]: one hidden stage producing 8 maps of (side − 4)² units from 5×5 windows — a
//!   convolution (shared weights), a locally connected layer (same windows, no sharing; Taigman
//!   et al. 2014) or a fully connected layer to the same number of units — then ReLU, 2×2 max
//!   pooling and a linear classifier.

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{AvgPool2d, AvgPool2dConfig, MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, LinearConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use model::layers::{LocallyConnected2d, LocallyConnected2dConfig, LpPool2d, LpPool2dConfig};

use super::error::LabError;

/// A pooling operator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pool {
    /// Maximum of each 2×2 window.
    Max,
    /// Mean of each 2×2 window.
    Avg,
    /// √(Σ x²) of each 2×2 window.
    L2,
}

impl Pool {
    /// Its name.
    pub fn name(&self) -> &'static str {
        match self {
            Pool::Max => "max",
            Pool::Avg => "average",
            Pool::L2 => "L2",
        }
    }
}

fn layer_err(e: model::layers::LayerError) -> LabError {
    LabError::Config(e.to_string())
}

/// Two conv + pool stages and a classifier.
#[derive(Module, Debug)]
pub struct PoolNet {
    c1: Conv2d,
    c2: Conv2d,
    head: Linear,
    max: MaxPool2d,
    avg: AvgPool2d,
    lp: LpPool2d,
    side: usize,
}

impl PoolNet {
    /// The network for `side`×`side` grey images and `classes` classes.
    pub fn new(side: usize, classes: usize, device: &Device) -> Result<Self, LabError> {
        let after = ((side - 4) / 2 - 4) / 2;
        Ok(Self {
            c1: Conv2dConfig::new([1, 16], [5, 5]).init(device),
            c2: Conv2dConfig::new([16, 32], [5, 5]).init(device),
            head: LinearConfig::new(32 * after * after, classes).init(device),
            max: MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
            avg: AvgPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
            lp: LpPool2dConfig::new(2.0, [2, 2]).init().map_err(layer_err)?,
            side,
        })
    }

    fn pool(&self, kind: Pool, x: Tensor<4>) -> Tensor<4> {
        match kind {
            Pool::Max => self.max.forward(x),
            Pool::Avg => self.avg.forward(x),
            Pool::L2 => self.lp.forward(x),
        }
    }

    /// Logits of a `[n, side²]` batch.
    pub fn forward(&self, kind: Pool, x: Tensor<2>) -> Tensor<2> {
        let n = x.dims()[0];
        let x = x.reshape([n, 1, self.side, self.side]);
        let x = self.pool(kind, relu(self.c1.forward(x)));
        let x = self.pool(kind, relu(self.c2.forward(x)));
        self.head.forward(x.flatten(1, 3))
    }
}

/// The hidden stage compared by the `layers` experiment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stage {
    /// Fully connected to 8·(side − 4)² units.
    Dense,
    /// Locally connected, 5×5 windows, 8 maps.
    Local,
    /// Convolution, 5×5, 8 maps.
    Conv,
}

impl Stage {
    /// Its name.
    pub fn name(&self) -> &'static str {
        match self {
            Stage::Dense => "fully connected",
            Stage::Local => "locally connected",
            Stage::Conv => "convolutional",
        }
    }
}

/// One hidden stage (exactly one of the three is present), pooling and a classifier.
#[derive(Module, Debug)]
pub struct LayerNet {
    dense: Option<Linear>,
    local: Option<LocallyConnected2d>,
    conv: Option<Conv2d>,
    pool: MaxPool2d,
    head: Linear,
    side: usize,
}

/// Maps of the hidden stage.
pub const MAPS: usize = 8;

impl LayerNet {
    /// The network with hidden `stage` for `side`×`side` grey images.
    pub fn new(
        stage: Stage,
        side: usize,
        classes: usize,
        device: &Device,
    ) -> Result<Self, LabError> {
        let out = side - 4;
        let units = MAPS * out * out;
        let local = match stage {
            Stage::Local => Some(
                LocallyConnected2dConfig::new([1, MAPS], [5, 5], [side, side])
                    .init(device)
                    .map_err(layer_err)?,
            ),
            _ => None,
        };
        Ok(Self {
            dense: (stage == Stage::Dense)
                .then(|| LinearConfig::new(side * side, units).init(device)),
            local,
            conv: (stage == Stage::Conv).then(|| Conv2dConfig::new([1, MAPS], [5, 5]).init(device)),
            pool: MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
            head: LinearConfig::new(units / 4, classes).init(device),
            side,
        })
    }

    /// Logits of a `[n, side²]` batch.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let n = x.dims()[0];
        let (s, out) = (self.side, self.side - 4);
        let h = if let Some(dense) = &self.dense {
            dense.forward(x).reshape([n, MAPS, out, out])
        } else {
            let img = x.reshape([n, 1, s, s]);
            match (&self.local, &self.conv) {
                (Some(local), _) => local.forward(img),
                (_, Some(conv)) => conv.forward(img),
                _ => img,
            }
        };
        self.head.forward(self.pool.forward(relu(h)).flatten(1, 3))
    }
}
