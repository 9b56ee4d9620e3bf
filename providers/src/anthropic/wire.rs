//! The JSON of the Messages API's streamed events, read leniently: only the
//! fields we use, optional where Anthropic may leave them out, and unknown
//! event, block and delta types accepted (and ignored) so a new kind of
//! block does not break every answer.

use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;

/// One server-sent event's `data`. One flat struct for every event `type`
/// rather than an enum tagged by it: serde reads a tagged enum into an
/// intermediate tree first, which doubled the cost of the small, frequent
/// `content_block_delta`s. Strings are borrowed from the event where they
/// have no escapes.
#[derive(Debug, Deserialize)]
pub(crate) struct StreamEvent<'a> {
    /// `message_start`, `content_block_start`, `content_block_delta`,
    /// `content_block_stop`, `message_delta`, `message_stop`, `ping`,
    /// `error`, or a type this version does not know.
    #[serde(rename = "type", borrow)]
    pub(crate) kind: Cow<'a, str>,
    /// The block a `content_block_*` event is about.
    #[serde(default)]
    pub(crate) index: u32,
    /// What `content_block_delta` adds to its block, or the stop reason of
    /// `message_delta`.
    #[serde(default, borrow)]
    pub(crate) delta: Option<Delta<'a>>,
    /// The block `content_block_start` opens.
    #[serde(default)]
    pub(crate) content_block: Option<ContentBlock>,
    /// The message as `message_start` begins it.
    #[serde(default)]
    pub(crate) message: Option<MessageStart>,
    /// Token counts so far, on `message_delta` (cumulative).
    #[serde(default)]
    pub(crate) usage: Option<WireUsage>,
    /// What failed, on `error`.
    #[serde(default)]
    pub(crate) error: Option<ApiError>,
}

/// The `delta` of `content_block_delta` (by its `type`: `text_delta`,
/// `input_json_delta`, `thinking_delta`, `signature_delta`, …) or of
/// `message_delta` (no type; the stop reason).
#[derive(Debug, Deserialize)]
pub(crate) struct Delta<'a> {
    /// The delta's type; absent on `message_delta`.
    #[serde(rename = "type", default, borrow)]
    pub(crate) kind: Option<Cow<'a, str>>,
    /// More text (`text_delta`).
    #[serde(default, borrow)]
    pub(crate) text: Option<Cow<'a, str>>,
    /// A fragment of a tool call's input JSON, cut anywhere
    /// (`input_json_delta`).
    #[serde(default, borrow)]
    pub(crate) partial_json: Option<Cow<'a, str>>,
    /// More thinking (`thinking_delta`).
    #[serde(default, borrow)]
    pub(crate) thinking: Option<Cow<'a, str>>,
    /// The thinking block's signature (`signature_delta`).
    #[serde(default, borrow)]
    pub(crate) signature: Option<Cow<'a, str>>,
    /// Why the model stopped (`end_turn`, `tool_use`, `max_tokens`, …),
    /// on `message_delta`.
    #[serde(default)]
    pub(crate) stop_reason: Option<String>,
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
