//! Layers the classic networks and the course use that Burn 0.22 does not provide.
//!
//! - [`LocallyConnected2d`]: convolution without weight sharing (Taigman et al. 2014).
//! - [`LpPool2d`]: Lp / L2-norm pooling (Sermanet et al. 2012).
//! - [`Maxout`], [`MaxoutLinear`]: maxout units (Goodfellow et al. 2013).
//! - [`MaxUnpool2d`]: max unpooling with switches (Zeiler & Fergus 2014; Noh et al. 2015).
//!
//! Configurations that cannot describe a layer are rejected with a [`LayerError`].

mod error;
mod locally_connected;
mod lp_pool;
mod max_unpool;
mod maxout;
mod patches;

pub use error::LayerError;

use burn::nn::Initializer;

/// The default weight initialisation of the layers here: Burn's (and PyTorch's) for `Linear` and
/// `Conv2d`, Kaiming-uniform with gain 1/√3 over the fan-in.
pub fn default_initializer() -> Initializer {
    Initializer::KaimingUniform {
        gain: 1.0 / 3.0f64.sqrt(),
        fan_out_only: false,
    }
}
pub use locally_connected::{LocallyConnected2d, LocallyConnected2dConfig};
pub use lp_pool::{LpPool2d, LpPool2dConfig};
pub use max_unpool::{MaxUnpool2d, MaxUnpool2dConfig, max_unpool2d};
pub use maxout::{Maxout, MaxoutConfig, MaxoutLinear, MaxoutLinearConfig};
