//! Weight initialisation schemes, as taught in the lecture and used by the papers.
//!
//! | scheme | weight distribution | source |
//! | --- | --- | --- |
//! | `Gaussian { std }` | N(0, σ²) | LeCun et al. 1998; Krizhevsky et al. 2012 (σ = 0.01) |
//! | `XavierFanIn` | N(0, 1/n_in) | Glorot & Bengio 2010, the "1/n_in" form |
//! | `XavierAvg` | N(0, 2/(n_in + n_out)) | Glorot & Bengio 2010, the averaged form |
//! | `He` | N(0, 2/n_in) | He et al. 2015 |
//! | `HeFanOut` | N(0, 2/n_out) | torchvision's ResNet/VGG convolutions |
//! | `Default` | Burn's default (Kaiming-uniform, gain 1/√3, like PyTorch) | |
//!
//! For a convolution `n_in = c_in·k_h·k_w / groups` and `n_out = c_out·k_h·k_w / groups`.
//! Every scheme except `Default` initialises biases to zero.

use burn::nn::Initializer;
use serde::{Deserialize, Serialize};

/// How the weights of a convolution or linear layer are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "scheme", rename_all = "snake_case")]
pub enum InitScheme {
    /// Burn's default initialiser (PyTorch's default for Conv2d and Linear); biases follow it.
    #[default]
    Default,
    /// Small Gaussian with the given standard deviation.
    Gaussian {
        /// Standard deviation σ.
        std: f64,
    },
    /// Xavier/Glorot, Var = 1/n_in.
    XavierFanIn,
    /// Xavier/Glorot, Var = 2/(n_in + n_out).
    XavierAvg,
    /// He/Kaiming for ReLU, Var = 2/n_in.
    He,
    /// He/Kaiming in fan-out mode, Var = 2/n_out (torchvision's choice for convolutions).
    HeFanOut,
}

impl InitScheme {
    /// The Burn initialiser that draws weights with this scheme's variance.
    pub fn initializer(&self) -> Option<Initializer> {
        let sqrt2 = std::f64::consts::SQRT_2;
        match *self {
            InitScheme::Default => None,
            InitScheme::Gaussian { std } => Some(Initializer::Normal { mean: 0.0, std }),
            InitScheme::XavierFanIn => Some(Initializer::KaimingNormal {
                gain: 1.0,
                fan_out_only: false,
            }),
            InitScheme::XavierAvg => Some(Initializer::XavierNormal { gain: 1.0 }),
            InitScheme::He => Some(Initializer::KaimingNormal {
                gain: sqrt2,
                fan_out_only: false,
            }),
            InitScheme::HeFanOut => Some(Initializer::KaimingNormal {
                gain: sqrt2,
                fan_out_only: true,
            }),
        }
    }

    /// Whether biases are set to zero after the weights are drawn.
    pub fn zero_bias(&self) -> bool {
        !matches!(self, InitScheme::Default)
    }
}
