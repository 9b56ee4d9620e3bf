//! [`ModelCatalog`]: the built-in model table with the config's overrides
//! and additions laid over it.

use super::{BUILTIN_MODELS, ModelInfo};
use code_mesh_runtime::config::{Config, ModelSettings};
use code_mesh_runtime::context_window::ContextWindows;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::pricing::{ModelPrice, PriceList};
use std::borrow::Cow;

/// Every model Code Mesh knows limits or prices for, grouped by provider.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelCatalog {
    models: Vec<ModelInfo>,
}

impl Default for ModelCatalog {
    fn default() -> Self {
        Self::builtin()
    }
}

impl ModelCatalog {
    /// The built-in table alone.
    pub fn builtin() -> Self {
        Self {
            models: BUILTIN_MODELS.to_vec(),
        }
    }

    /// The built-in table with `provider.<id>.models` from `config` over it:
    /// a model the table knows (by id or alias) takes the fields the config
    /// gives; any other is added after its provider's models.
    pub fn from_config(config: &Config) -> Self {
        let mut catalog = Self::builtin();
        for (provider, settings) in &config.provider {
            for (model, overrides) in &settings.models {
                catalog.apply(provider, model, overrides);
            }
        }
        catalog
    }

    /// What is known about `model`, matched by id or alias.
    pub fn get(&self, model: &ModelRef) -> Option<&ModelInfo> {
        self.models
            .iter()
            .find(|info| info.is(&model.provider, &model.model))
    }

    /// Every known model, grouped by provider.
    pub fn models(&self) -> &[ModelInfo] {
        &self.models
    }

    /// The known models of `provider`.
    pub fn models_of<'a>(&'a self, provider: &'a str) -> impl Iterator<Item = &'a ModelInfo> {
        self.models
            .iter()
            .filter(move |info| info.provider == provider)
    }

    fn apply(&mut self, provider: &str, model: &str, overrides: &ModelSettings) {
        let index = match self.models.iter().position(|m| m.is(provider, model)) {
            Some(index) => index,
            None => {
                let after_siblings = self
                    .models
                    .iter()
                    .rposition(|m| m.provider == provider)
                    .map_or(self.models.len(), |last| last + 1);
                self.models.insert(
                    after_siblings,
                    ModelInfo {
                        provider: Cow::Owned(provider.to_string()),
                        model: Cow::Owned(model.to_string()),
                        aliases: &[],
                        context_window: None,
                        max_output: None,
                        price: None,
                    },
                );
                after_siblings
            }
        };
        let Some(info) = self.models.get_mut(index) else {
            return;
        };
        if let Some(context_window) = overrides.context_window {
            info.context_window = Some(context_window);
        }
        if let Some(max_output) = overrides.max_output {
            info.max_output = Some(max_output);
        }
        if let Some(cost) = overrides.cost {
            info.price = Some(ModelPrice {
                input: cost.input,
                output: cost.output,
                cached_input: cost.cache_read,
            });
        }
    }
}

impl ContextWindows for ModelCatalog {
    fn context_window(&self, model: &ModelRef) -> Option<u32> {
        self.get(model).and_then(|info| info.context_window)
    }
}

impl PriceList for ModelCatalog {
    fn price(&self, model: &ModelRef) -> Option<ModelPrice> {
        self.get(model).and_then(|info| info.price)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(id: &str) -> ModelRef {
        ModelRef::parse(id).unwrap()
    }

    fn config(json: &str) -> Config {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn well_known_models_have_limits_and_prices() {
        let catalog = ModelCatalog::builtin();
        let gpt4o = catalog.get(&model("openai/gpt-4o")).unwrap();
        assert_eq!(gpt4o.context_window, Some(128_000));
        assert_eq!(gpt4o.max_output, Some(16_384));
        assert_eq!(
            catalog.context_window(&model("openai/gpt-4o")),
            Some(128_000)
        );
        let price = catalog.price(&model("openai/gpt-4o")).unwrap();
        assert_eq!((price.input, price.output), (2.5, 10.0));
        assert_eq!(price.cached_input, Some(1.25));
        for id in [
            "openai/gpt-4o-mini",
            "openai/gpt-4.1",
            "openai/o3",
            "openai/o4-mini",
            "anthropic/claude-opus-4-20250514",
            "anthropic/claude-3-5-haiku-20241022",
            "openrouter/anthropic/claude-sonnet-4",
            "groq/llama-3.3-70b-versatile",
            "deepseek/deepseek-chat",
            "mistral/codestral-latest",
        ] {
            assert!(catalog.price(&model(id)).is_some(), "{id}");
        }
    }

    #[test]
    fn aliases_find_the_same_model() {
        let catalog = ModelCatalog::builtin();
        let dated = catalog.get(&model("anthropic/claude-sonnet-4-20250514"));
        assert!(dated.is_some());
        assert_eq!(catalog.get(&model("anthropic/claude-sonnet-4-0")), dated);
        assert_eq!(catalog.get(&model("anthropic/claude-sonnet-4")), dated);
    }

    #[test]
    fn unknown_models_have_no_price() {
        let catalog = ModelCatalog::builtin();
        assert_eq!(catalog.get(&model("openai/my-finetune")), None);
        assert_eq!(catalog.price(&model("ollama/qwen2.5-coder:7b")), None);
        // The model id, not the provider's, decides.
        assert_eq!(catalog.price(&model("groq/gpt-4o")), None);
    }

    #[test]
    fn config_overrides_only_the_fields_it_gives() {
        let catalog = ModelCatalog::from_config(&config(
            r#"{"provider":{"openai":{"models":{"gpt-4o":{"cost":{"input":1,"output":4}}}}}}"#,
        ));
        let gpt4o = catalog.get(&model("openai/gpt-4o")).unwrap();
        assert_eq!(gpt4o.context_window, Some(128_000));
        let price = gpt4o.price.unwrap();
        assert_eq!(
            (price.input, price.output, price.cached_input),
            (1.0, 4.0, None)
        );
        assert_eq!(catalog.models().len(), BUILTIN_MODELS.len());
    }

    #[test]
    fn config_override_through_an_alias_changes_the_known_model() {
        let catalog = ModelCatalog::from_config(&config(
            r#"{"provider":{"anthropic":{"models":{"claude-sonnet-4-0":{"maxOutput":8000}}}}}"#,
        ));
        let sonnet = catalog
            .get(&model("anthropic/claude-sonnet-4-20250514"))
            .unwrap();
        assert_eq!(sonnet.max_output, Some(8_000));
    }

    #[test]
    fn config_adds_models_after_their_providers_known_ones() {
        let catalog = ModelCatalog::from_config(&config(
            r#"{"provider":{
                "groq":{"models":{"qwen-qwq-32b":{"contextWindow":131072,"cost":{"input":0.29,"output":0.39}}}},
                "gateway":{"baseURL":"http://gw/v1","models":{"house-model":{"contextWindow":32000}}}
            }}"#,
        ));
        let qwq = catalog.get(&model("groq/qwen-qwq-32b")).unwrap();
        assert_eq!(qwq.context_window, Some(131_072));
        assert_eq!(qwq.max_output, None);
        assert!(catalog.price(&model("groq/qwen-qwq-32b")).is_some());
        let groq: Vec<_> = catalog
            .models_of("groq")
            .map(|m| m.model.as_ref())
            .collect();
        assert_eq!(groq.last(), Some(&"qwen-qwq-32b"));
        let house = catalog.get(&model("gateway/house-model")).unwrap();
        assert_eq!(house.price, None);
        assert_eq!(catalog.models().last(), Some(house));
    }
}
