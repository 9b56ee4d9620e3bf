//! The built-in model table: limits and list prices (USD per million tokens)
//! of well-known models, as the providers published them in 2025. Prices
//! change; `provider.<id>.models.<model>.cost` in the config overrides them.

use super::ModelInfo;
use code_mesh_runtime::pricing::ModelPrice;
use std::borrow::Cow;

/// Well-known models, grouped by provider.
#[rustfmt::skip]
pub const BUILTIN_MODELS: &[ModelInfo] = &[
    // OpenAI.
    model("openai", "gpt-5", 400_000, Some(128_000), (1.25, 10.0, Some(0.125))),
    model("openai", "gpt-5-mini", 400_000, Some(128_000), (0.25, 2.0, Some(0.025))),
    model("openai", "gpt-5-nano", 400_000, Some(128_000), (0.05, 0.40, Some(0.005))),
    model("openai", "gpt-4.1", 1_047_576, Some(32_768), (2.0, 8.0, Some(0.50))),
    model("openai", "gpt-4.1-mini", 1_047_576, Some(32_768), (0.40, 1.60, Some(0.10))),
    model("openai", "gpt-4.1-nano", 1_047_576, Some(32_768), (0.10, 0.40, Some(0.025))),
    model("openai", "gpt-4o", 128_000, Some(16_384), (2.50, 10.0, Some(1.25))),
    model("openai", "gpt-4o-mini", 128_000, Some(16_384), (0.15, 0.60, Some(0.075))),
    model("openai", "o3", 200_000, Some(100_000), (2.0, 8.0, Some(0.50))),
    model("openai", "o3-mini", 200_000, Some(100_000), (1.10, 4.40, Some(0.55))),
    model("openai", "o4-mini", 200_000, Some(100_000), (1.10, 4.40, Some(0.275))),
    // Anthropic: dated ids, with the aliases its API also accepts.
    aliased(
        model("anthropic", "claude-opus-4-1-20250805", 200_000, Some(32_000), (15.0, 75.0, Some(1.50))),
        &["claude-opus-4-1"],
    ),
    aliased(
        model("anthropic", "claude-opus-4-20250514", 200_000, Some(32_000), (15.0, 75.0, Some(1.50))),
        &["claude-opus-4-0", "claude-opus-4"],
    ),
    aliased(
        model("anthropic", "claude-sonnet-4-5-20250929", 200_000, Some(64_000), (3.0, 15.0, Some(0.30))),
        &["claude-sonnet-4-5"],
    ),
    aliased(
        model("anthropic", "claude-sonnet-4-20250514", 200_000, Some(64_000), (3.0, 15.0, Some(0.30))),
        &["claude-sonnet-4-0", "claude-sonnet-4"],
    ),
    aliased(
        model("anthropic", "claude-3-7-sonnet-20250219", 200_000, Some(64_000), (3.0, 15.0, Some(0.30))),
        &["claude-3-7-sonnet-latest"],
    ),
    aliased(
        model("anthropic", "claude-haiku-4-5-20251001", 200_000, Some(64_000), (1.0, 5.0, Some(0.10))),
        &["claude-haiku-4-5"],
    ),
    aliased(
        model("anthropic", "claude-3-5-haiku-20241022", 200_000, Some(8_192), (0.80, 4.0, Some(0.08))),
        &["claude-3-5-haiku-latest"],
    ),
    // OpenRouter: other vendors' models under the vendor's name.
    model("openrouter", "anthropic/claude-sonnet-4", 200_000, Some(64_000), (3.0, 15.0, Some(0.30))),
    model("openrouter", "openai/gpt-4o", 128_000, Some(16_384), (2.50, 10.0, Some(1.25))),
    model("openrouter", "google/gemini-2.5-pro", 1_048_576, Some(65_536), (1.25, 10.0, Some(0.31))),
    // Groq.
    model("groq", "llama-3.3-70b-versatile", 131_072, Some(32_768), (0.59, 0.79, None)),
    model("groq", "llama-3.1-8b-instant", 131_072, Some(131_072), (0.05, 0.08, None)),
    // DeepSeek: cache hits are charged the cached price.
    model("deepseek", "deepseek-chat", 128_000, Some(8_192), (0.28, 0.42, Some(0.028))),
    model("deepseek", "deepseek-reasoner", 128_000, Some(65_536), (0.28, 0.42, Some(0.028))),
    // Mistral: no separate output limit is published.
    model("mistral", "mistral-large-latest", 128_000, None, (2.0, 6.0, None)),
    model("mistral", "mistral-medium-latest", 128_000, None, (0.40, 2.0, None)),
    model("mistral", "codestral-latest", 256_000, None, (0.30, 0.90, None)),
];

/// A row: context window, max output, and (input, output, cached input)
/// prices per million tokens.
const fn model(
    provider: &'static str,
    model: &'static str,
    context_window: u32,
    max_output: Option<u32>,
    (input, output, cached_input): (f64, f64, Option<f64>),
) -> ModelInfo {
    ModelInfo {
        provider: Cow::Borrowed(provider),
        model: Cow::Borrowed(model),
        aliases: &[],
        context_window: Some(context_window),
        max_output,
        price: Some(ModelPrice {
            input,
            output,
            cached_input,
        }),
    }
}

/// `info` with other ids for the same model.
const fn aliased(mut info: ModelInfo, aliases: &'static [&'static str]) -> ModelInfo {
    info.aliases = aliases;
    info
}
