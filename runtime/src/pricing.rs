//! What model requests cost: a model's [`ModelPrice`] and the [`PriceList`]
//! a front end gives the Supervisor so that usage events carry a cost.
//!
//! The runtime knows no prices itself: the front end passes a list (the
//! providers crate's model catalogue, say) to
//! [`SupervisorBuilder::prices`](crate::SupervisorBuilder::prices), and
//! agents report usage through
//! [`AgentContext::record_usage`](crate::role::AgentContext::record_usage).

use crate::model::{ModelRef, Usage};
use serde::{Deserialize, Serialize};

/// A model's prices in US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ModelPrice {
    /// Per million input (prompt) tokens.
    pub input: f64,
    /// Per million output (completion) tokens.
    pub output: f64,
    /// Per million input tokens served from the provider's cache; the input
    /// price when the provider gives no discount.
    pub cached_input: Option<f64>,
}

impl ModelPrice {
    /// What `usage` costs, in USD. Cached tokens are counted within
    /// `input_tokens` (see [`Usage`]) and charged the cached price.
    pub fn cost(&self, usage: &Usage) -> f64 {
        let cached = usage.cached_input_tokens.min(usage.input_tokens);
        let uncached = usage.input_tokens - cached;
        let per_token = |tokens: u64, per_million: f64| tokens as f64 * per_million / 1_000_000.0;
        per_token(uncached, self.input)
            + per_token(cached, self.cached_input.unwrap_or(self.input))
            + per_token(usage.output_tokens, self.output)
    }
}

/// Where the Supervisor looks up the price of the model its agents use.
pub trait PriceList {
    /// The price of `model`, or `None` when it is not known; usage is then
    /// reported without a cost.
    fn price(&self, model: &ModelRef) -> Option<ModelPrice>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_tokens_are_charged_the_cached_price() {
        let price = ModelPrice {
            input: 2.0,
            output: 8.0,
            cached_input: Some(0.5),
        };
        let usage = Usage {
            input_tokens: 1_000_000,
            output_tokens: 500_000,
            cached_input_tokens: 400_000,
        };
        // 600k × $2 + 400k × $0.50 + 500k × $8, per million.
        assert!((price.cost(&usage) - (1.2 + 0.2 + 4.0)).abs() < 1e-9);
    }

    #[test]
    fn without_a_cached_price_cached_tokens_cost_the_input_price() {
        let price = ModelPrice {
            input: 3.0,
            output: 15.0,
            cached_input: None,
        };
        let usage = Usage {
            input_tokens: 2_000,
            output_tokens: 0,
            cached_input_tokens: 1_000,
        };
        assert!((price.cost(&usage) - 0.006).abs() < 1e-12);
    }
}
