//! One streamed `chat.completion.chunk`, read leniently.
//!
//! async-openai's own chunk type is exact about OpenAI's schema: an unknown
//! `finish_reason` (`"eos"`, `"end_turn"`), a tool-call delta without
//! `index`, or a chunk without `created` or `object` fails to parse, and the
//! whole answer with it. OpenAI-compatible servers send all of these, so we
//! stream into these types instead (async-openai's `byot` feature) and keep
//! only the fields we use, all optional.

use serde::Deserialize;
use serde_json::Value;

/// A `chat.completion.chunk`, or an error some servers send mid-stream.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChatChunk {
    /// One choice per `n`; we ask for one.
    #[serde(default)]
    pub(crate) choices: Option<Vec<ChunkChoice>>,
    /// Present (non-null) on the last chunk when `include_usage` was asked.
    #[serde(default)]
    pub(crate) usage: Option<ChunkUsage>,
    /// `{"error": {...}}` sent instead of a chunk by OpenRouter, vLLM, …
    #[serde(default)]
    pub(crate) error: Option<Value>,
}

/// One choice of a chunk.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChunkChoice {
    /// What this chunk adds; some servers omit it on the final chunk.
    #[serde(default)]
    pub(crate) delta: Option<ChunkDelta>,
    /// Set on the chunk that ends the answer.
    #[serde(default)]
    pub(crate) finish_reason: Option<String>,
}

/// The new text and tool-call fragments of a chunk.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChunkDelta {
    /// The next piece of text.
    #[serde(default)]
    pub(crate) content: Option<String>,
    /// Fragments of tool calls, by index.
    #[serde(default)]
    pub(crate) tool_calls: Option<Vec<ToolCallDelta>>,
}

/// A fragment of one tool call.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ToolCallDelta {
    /// Which call this continues; only the first fragment carries the id.
    #[serde(default)]
    pub(crate) index: Option<u32>,
    /// The model's id for the call.
    #[serde(default)]
    pub(crate) id: Option<String>,
    /// Name and arguments fragment.
    #[serde(default)]
    pub(crate) function: Option<FunctionDelta>,
}

/// The function part of a tool-call fragment.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct FunctionDelta {
    /// The tool's name, on the first fragment.
    #[serde(default)]
    pub(crate) name: Option<String>,
    /// The next piece of the arguments' JSON text. A few servers send the
    /// whole arguments as a JSON object instead of text.
    #[serde(default)]
    pub(crate) arguments: Option<Value>,
}

impl FunctionDelta {
    /// The arguments fragment as text.
    pub(crate) fn arguments_text(&self) -> Option<String> {
        match &self.arguments {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => Some(other.to_string()),
        }
    }
}

/// Token counts of the whole request.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChunkUsage {
    /// Prompt tokens.
    #[serde(default)]
    pub(crate) prompt_tokens: Option<u64>,
    /// Completion tokens.
    #[serde(default)]
    pub(crate) completion_tokens: Option<u64>,
    /// Cache details.
    #[serde(default)]
    pub(crate) prompt_tokens_details: Option<PromptTokensDetails>,
}

/// The prompt-token breakdown.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PromptTokensDetails {
    /// Prompt tokens served from the provider's cache.
    #[serde(default)]
    pub(crate) cached_tokens: Option<u64>,
}
