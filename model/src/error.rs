//! Errors raised while building or describing a network.

use thiserror::Error;

/// What can go wrong when a network is looked up or built.
#[derive(Debug, Error)]
pub enum ModelError {
    /// The registry has no model of that name.
    #[error("unknown model `{name}`; valid models: {}", valid.join(", "))]
    UnknownModel {
        /// The name that was asked for.
        name: String,
        /// Every registered name.
        valid: Vec<String>,
    },
    /// A configuration that cannot be built (e.g. an input too small for the network's pooling).
    #[error("invalid configuration for {model}: {reason}")]
    InvalidConfig {
        /// The network family.
        model: &'static str,
        /// What is wrong, in words.
        reason: String,
    },
}

impl ModelError {
    pub(crate) fn invalid(model: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidConfig {
            model,
            reason: reason.into(),
        }
    }
}
