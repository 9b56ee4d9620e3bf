//! [`ModelInfo`]: what is known about one model.

use code_mesh_runtime::pricing::ModelPrice;
use std::borrow::Cow;

/// One model's limits and price.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    /// The provider's id (`openai`).
    pub provider: Cow<'static, str>,
    /// The model's id within the provider (`gpt-4o`).
    pub model: Cow<'static, str>,
    /// Other ids the provider accepts for the same model
    /// (`claude-sonnet-4-0` for `claude-sonnet-4-20250514`).
    pub aliases: &'static [&'static str],
    /// The most tokens of conversation the model takes, when known.
    pub context_window: Option<u32>,
    /// The most tokens it writes in one answer, when known.
    pub max_output: Option<u32>,
    /// Its price, when known.
    pub price: Option<ModelPrice>,
}

impl ModelInfo {
    /// The full id, `provider/model`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.provider, self.model)
    }

    /// Whether `provider`/`model` names this model, by its id or an alias.
    pub fn is(&self, provider: &str, model: &str) -> bool {
        self.provider == provider && (self.model == model || self.aliases.contains(&model))
    }
}
