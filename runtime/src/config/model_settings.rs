//! What the config says about one model: limits and prices that add to or
//! override the built-in model table (`provider.<id>.models.<model>`).

use serde::Deserialize;

/// One model's entry under `provider.<id>.models`. Every field is optional:
/// what is given overrides the built-in table, the rest is kept.
///
/// ```json
/// { "contextWindow": 131072, "maxOutput": 8192,
///   "cost": { "input": 0.59, "output": 0.79, "cacheRead": 0.3 } }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ModelSettings {
    /// The most tokens of conversation the model takes.
    pub context_window: Option<u32>,
    /// The most tokens the model writes in one answer.
    pub max_output: Option<u32>,
    /// Its prices.
    pub cost: Option<ModelCost>,
}

/// A model's prices in US dollars per million tokens, as the config gives them.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelCost {
    /// Per million input tokens.
    pub input: f64,
    /// Per million output tokens.
    pub output: f64,
    /// Per million input tokens read from the provider's cache; the input
    /// price when unset.
    #[serde(default, alias = "cache_read")]
    pub cache_read: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn models_are_read_under_their_provider() {
        let config: Config = serde_json::from_str(
            r#"{"provider":{"groq":{"models":{
                "llama-3.3-70b-versatile":{"contextWindow":131072,"cost":{"input":0.59,"output":0.79}},
                "tiny":{"maxOutput":512,"cost":{"input":1,"output":2,"cacheRead":0.5}}
            }}}}"#,
        )
        .unwrap();
        let models = config.provider_settings("groq").models;
        let llama = &models["llama-3.3-70b-versatile"];
        assert_eq!(llama.context_window, Some(131_072));
        assert_eq!(llama.max_output, None);
        assert_eq!(
            llama.cost,
            Some(ModelCost {
                input: 0.59,
                output: 0.79,
                cache_read: None
            })
        );
        assert_eq!(models["tiny"].cost.and_then(|c| c.cache_read), Some(0.5));
    }

    #[test]
    fn a_cost_without_its_output_price_is_refused() {
        let result = serde_json::from_str::<Config>(
            r#"{"provider":{"groq":{"models":{"m":{"cost":{"input":1}}}}}}"#,
        );
        assert!(result.unwrap_err().to_string().contains("output"));
    }
}
