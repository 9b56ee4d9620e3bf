//! The conversation a model sees, independent of any provider's wire format.
//! Providers translate these to and from OpenAI, Anthropic, … requests.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum ChatMessage {
    /// Instructions for the model.
    System {
        /// The text.
        content: String,
    },
    /// What the person (or the Supervisor, for a task) asks.
    User {
        /// The text.
        content: String,
    },
    /// What the model answered: text, tool calls, or both.
    Assistant {
        /// The text (may be empty when the model only called tools).
        content: String,
        /// The tool calls it made, in order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tool_calls: Vec<ToolCall>,
    },
    /// The result of one tool call, tied to it by `call_id`.
    Tool {
        /// The id the model gave the call.
        call_id: String,
        /// What the tool returned, or the error it reported.
        content: String,
    },
    /// Reasoning the model did before the assistant message that follows
    /// it, kept so it can be sent back unchanged (Anthropic rejects a tool
    /// result whose turn lost its thinking blocks). Providers whose API
    /// takes no reasoning back leave it out of their requests.
    Reasoning(Reasoning),
}

/// One piece of a model's reasoning, as the provider sent it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reasoning {
    /// What the model thought; empty when the provider hid it.
    #[serde(default)]
    pub text: String,
    /// The provider's proof that `text` is unaltered (Anthropic's
    /// `signature`), sent back verbatim.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub signature: String,
    /// Reasoning the provider hid and sent encrypted (Anthropic's
    /// `redacted_thinking` data), sent back verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redacted: Option<String>,
}

/// A tool call as the model made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCall {
    /// The model's id for the call; the result must carry it back.
    pub id: String,
    /// The tool's name.
    pub name: String,
    /// The arguments as raw JSON text, exactly as streamed (it may be malformed).
    pub arguments: String,
}

/// What a model is told about one tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolSpec {
    /// The name the model calls it by (`read`, `edit`, …).
    pub name: String,
    /// When and how to use it, for the model.
    pub description: String,
    /// JSON Schema of the arguments object.
    pub parameters: serde_json::Value,
}

/// One request to a model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelRequest {
    /// The model's id within its provider (`gpt-4o`, `llama3.1:8b`, …).
    pub model: String,
    /// The conversation so far, system message first.
    pub messages: Vec<ChatMessage>,
    /// The tools the model may call.
    pub tools: Vec<ToolSpec>,
    /// Upper bound on output tokens, when the caller wants one.
    pub max_output_tokens: Option<u32>,
    /// Sampling temperature, when the caller wants one.
    pub temperature: Option<f32>,
}

/// Tokens counted for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Usage {
    /// Prompt tokens.
    pub input_tokens: u64,
    /// Completion tokens.
    pub output_tokens: u64,
    /// Prompt tokens served from the provider's cache; counted within
    /// `input_tokens` too, as OpenAI counts them.
    #[serde(default)]
    pub cached_input_tokens: u64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, other: Self) {
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.cached_input_tokens += other.cached_input_tokens;
    }
}

/// Why a model stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    /// A final answer.
    Stop,
    /// It wants tool results.
    ToolCalls,
    /// It hit the output token limit.
    Length,
    /// The provider filtered the output.
    ContentFilter,
    /// Anything else the provider said.
    Other,
}

/// One item of a streamed model answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelEvent {
    /// The next piece of text.
    TextDelta(String),
    /// A complete tool call (providers assemble streamed fragments first).
    ToolCall(ToolCall),
    /// A complete piece of reasoning, to keep in the conversation as a
    /// [`ChatMessage::Reasoning`] before the answer's assistant message.
    Reasoning(Reasoning),
    /// Token counts, usually once near the end.
    Usage(Usage),
    /// The answer is complete.
    Finished(FinishReason),
}

/// A model named as `provider/model`, e.g. `openai/gpt-4o` or `ollama/qwen2.5-coder:7b`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ModelRef {
    /// The provider's id in the registry.
    pub provider: String,
    /// The model's id within the provider; may itself contain `/`.
    pub model: String,
}

impl ModelRef {
    /// Parses `provider/model`, splitting at the first `/`.
    pub fn parse(text: &str) -> Result<Self, ModelRefError> {
        match text.split_once('/') {
            Some((provider, model)) if !provider.is_empty() && !model.is_empty() => Ok(Self {
                provider: provider.to_string(),
                model: model.to_string(),
            }),
            _ => Err(ModelRefError(text.to_string())),
        }
    }
}

impl fmt::Display for ModelRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.provider, self.model)
    }
}

/// A model name that is not `provider/model`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("model `{0}` is not of the form provider/model (for example openai/gpt-4o)")]
pub struct ModelRefError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_ref_splits_at_first_slash() {
        let m = ModelRef::parse("openrouter/anthropic/claude-sonnet-4").unwrap();
        assert_eq!(m.provider, "openrouter");
        assert_eq!(m.model, "anthropic/claude-sonnet-4");
        assert_eq!(m.to_string(), "openrouter/anthropic/claude-sonnet-4");
    }

    #[test]
    fn model_ref_without_provider_is_an_error() {
        assert!(ModelRef::parse("gpt-4o").is_err());
        assert!(ModelRef::parse("/gpt-4o").is_err());
        assert!(ModelRef::parse("openai/").is_err());
    }
}
