//! Building Burn's `ModuleOptimizer` from an [`OptimizerConfig`], setting every hyper-parameter
//! explicitly so that Burn's non-PyTorch defaults (see the [parent module](super)) never apply.

use burn::grad_clipping::GradientClippingConfig;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{
    AdaGradConfig, AdamConfig, AdamWConfig, ModuleOptimizer, RmsPropConfig, SgdConfig,
};

use super::{GradientClip, Method, OptimizerConfig, OptimizerError};

impl OptimizerConfig {
    /// Validates the configuration and builds Burn's optimiser for any module.
    ///
    /// Use it as `model = optim.step(lr, model, GradientsParams::from_grads(grads, &model))`.
    pub fn init(&self) -> Result<ModuleOptimizer, OptimizerError> {
        self.validate()?;
        let decay =
            (self.weight_decay > 0.0).then(|| WeightDecayConfig::new(self.weight_decay as f32));
        let clip = self.gradient_clipping.map(|clip| match clip {
            GradientClip::Norm(v) => GradientClippingConfig::Norm(v as f32),
            GradientClip::Value(v) => GradientClippingConfig::Value(v as f32),
        });
        let sgd = |momentum: Option<MomentumConfig>| {
            SgdConfig::new()
                .with_momentum(momentum)
                .with_weight_decay(decay.clone())
                .with_gradient_clipping(clip.clone())
                .init()
        };
        Ok(match self.method {
            Method::Sgd => sgd(None),
            Method::Momentum {
                momentum,
                dampening,
            } => sgd(Some(momentum_config(momentum, dampening, false))),
            Method::Nesterov { momentum } => sgd(Some(momentum_config(momentum, 0.0, true))),
            Method::Adam { beta1, beta2, eps } => AdamConfig::new()
                .with_beta_1(beta1 as f32)
                .with_beta_2(beta2 as f32)
                .with_epsilon(eps as f32)
                .with_weight_decay(decay)
                .with_grad_clipping(clip)
                .init(),
            Method::AdamW {
                beta1,
                beta2,
                eps,
                weight_decay,
            } => AdamWConfig::new()
                .with_beta_1(beta1 as f32)
                .with_beta_2(beta2 as f32)
                .with_epsilon(eps as f32)
                .with_weight_decay(weight_decay as f32)
                .with_grad_clipping(clip)
                .init(),
            Method::RmsProp {
                alpha,
                eps,
                momentum,
                centered,
            } => RmsPropConfig::new()
                .with_alpha(alpha as f32)
                .with_epsilon(eps as f32)
                .with_momentum(momentum as f32)
                .with_centered(centered)
                .with_weight_decay(decay)
                .with_grad_clipping(clip)
                .init(),
            Method::AdaGrad { lr_decay, eps } => AdaGradConfig::new()
                .with_lr_decay(lr_decay)
                .with_epsilon(eps as f32)
                .with_weight_decay(decay)
                .with_grad_clipping(clip)
                .init(),
        })
    }
}

fn momentum_config(momentum: f64, dampening: f64, nesterov: bool) -> MomentumConfig {
    MomentumConfig::new()
        .with_momentum(momentum)
        .with_dampening(dampening)
        .with_nesterov(nesterov)
}
