//! The JSON of the Messages API's streamed events, read leniently: only the
//! fields we use, optional where Anthropic may leave them out, and unknown
//! event, block and delta types accepted (and ignored) so a new kind of
//! block does not break every answer.

use serde::Deserialize;
use serde_json::Value;

/// One server-sent event's `data`, by its `type`.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum StreamEvent {
    /// The answer begins; carries the prompt's token counts.
    MessageStart {
        /// The message so far (empty content).
        message: MessageStart,
    },
    /// A content block opens at `index`.
    ContentBlockStart {
        /// The block's position in the message.
        index: u32,
        /// The block as it opens (empty text, a tool's id and name, …).
        content_block: ContentBlock,
    },
    /// More of the block at `index`.
    ContentBlockDelta {
        /// The block's position in the message.
        index: u32,
        /// What it adds.
        delta: BlockDelta,
    },
    /// The block at `index` is complete.
    ContentBlockStop {
        /// The block's position in the message.
        index: u32,
    },
    /// Top-level changes near the end: the stop reason and output tokens.
    MessageDelta {
        /// The stop reason.
        delta: MessageDelta,
        /// Token counts so far (cumulative).
        #[serde(default)]
        usage: Option<WireUsage>,
    },
    /// The answer is complete.
    MessageStop,
    /// Keeps the connection alive.
    Ping,
    /// The server failed mid-answer (`overloaded_error`, `api_error`, …).
    Error {
        /// What failed.
        error: ApiError,
    },
    /// An event type this version does not know.
    #[serde(other)]
    Unknown,
}

/// The `message` of `message_start`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct MessageStart {
    /// The prompt's token counts.
    #[serde(default)]
    pub(crate) usage: Option<WireUsage>,
}

/// A content block as `content_block_start` opens it.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ContentBlock {
    /// Text, streamed in `text_delta`s.
    Text {},
    /// A tool call; its input streams as `input_json_delta` fragments.
    ToolUse {
        /// The model's id for the call.
        id: String,
        /// The tool's name.
        name: String,
        /// The input when sent whole (streaming sends `{}` here).
        #[serde(default)]
        input: Option<Value>,
    },
    /// Extended thinking, streamed in `thinking_delta`s and a `signature_delta`.
    Thinking {
        /// Thinking sent with the opening, if any.
        #[serde(default)]
        thinking: String,
        /// Its signature, if sent with the opening.
        #[serde(default)]
        signature: String,
    },
    /// Thinking the safety systems hid, sent encrypted.
    RedactedThinking {
        /// The encrypted thinking, to send back verbatim.
        data: String,
    },
    /// Server tools' blocks and anything newer.
    #[serde(other)]
    Other,
}

/// What a `content_block_delta` adds.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum BlockDelta {
    /// More text.
    TextDelta {
        /// The text.
        text: String,
    },
    /// A fragment of a tool call's input JSON, cut anywhere.
    InputJsonDelta {
        /// The fragment.
        partial_json: String,
    },
    /// More thinking.
    ThinkingDelta {
        /// The thinking.
        thinking: String,
    },
    /// The thinking block's signature.
    SignatureDelta {
        /// The signature.
        signature: String,
    },
    /// Citations and anything newer.
    #[serde(other)]
    Other,
}

/// The `delta` of `message_delta`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct MessageDelta {
    /// Why the model stopped (`end_turn`, `tool_use`, `max_tokens`, …).
    #[serde(default)]
    pub(crate) stop_reason: Option<String>,
}

/// Token counts, as `message_start` and `message_delta` carry them. Input
/// tokens exclude those read from or written to the prompt cache.
#[derive(Debug, Default, Clone, Copy, Deserialize)]
pub(crate) struct WireUsage {
    /// Prompt tokens neither read from nor written to the cache.
    #[serde(default)]
    pub(crate) input_tokens: Option<u64>,
    /// Output tokens so far.
    #[serde(default)]
    pub(crate) output_tokens: Option<u64>,
    /// Prompt tokens written to the cache.
    #[serde(default)]
    pub(crate) cache_creation_input_tokens: Option<u64>,
    /// Prompt tokens read from the cache.
    #[serde(default)]
    pub(crate) cache_read_input_tokens: Option<u64>,
}

impl WireUsage {
    /// These counts, updated by the ones `later` carries.
    pub(crate) fn updated(self, later: WireUsage) -> WireUsage {
        WireUsage {
            input_tokens: later.input_tokens.or(self.input_tokens),
            output_tokens: later.output_tokens.or(self.output_tokens),
            cache_creation_input_tokens: later
                .cache_creation_input_tokens
                .or(self.cache_creation_input_tokens),
            cache_read_input_tokens: later
                .cache_read_input_tokens
                .or(self.cache_read_input_tokens),
        }
    }
}

/// The `error` of an `error` event or an error response body.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ApiError {
    /// `overloaded_error`, `rate_limit_error`, `not_found_error`, …
    #[serde(default, rename = "type")]
    pub(crate) kind: String,
    /// The server's own words.
    #[serde(default)]
    pub(crate) message: String,
}
