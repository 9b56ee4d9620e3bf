//! What the mock server answers, one scripted [`MockResponse`] per request.
//!
//! A response says what the model "does" (writes text, calls tools, fails,
//! breaks off), not how it is encoded: each wire format (`openai_sse`,
//! `anthropic_sse`) renders the same script in its own shape. Extra
//! headers and a stalled connection are the same in every format: the
//! server applies them to the rendered answer (`delivery`).
//!
//! Concurrent agents ask in no fixed order, so a response may also say
//! which request it is for ([`MockResponse::when_asked`]) and how long the
//! model "thinks" before answering ([`MockResponse::with_delay`]).

use std::time::Duration;

/// One scripted answer, used for the next model request the server receives.
///
/// Besides what the model does, a response may carry extra HTTP headers
/// ([`with_header`](Self::with_header)) and may leave the connection open
/// in silence ([`stall_after`](Self::stall_after)); the server applies
/// both whatever the wire format.
#[derive(Debug, Clone, PartialEq)]
pub struct MockResponse {
    pub(crate) kind: ResponseKind,
    /// Extra response headers, by name and value.
    pub(crate) headers: Vec<(String, String)>,
    /// After sending its body (or the part of it sent before a cut), the
    /// server holds the connection open and sends nothing more.
    pub(crate) stall: bool,
    /// How long the server waits before it starts answering.
    pub(crate) delay: Option<Duration>,
    /// Only a request whose first user message contains this text takes it.
    pub(crate) when_asked: Option<String>,
}

/// The three things a scripted model can do.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ResponseKind {
    /// A complete answer: text, tool calls, or both (text first).
    Answer(MockAnswer),
    /// An HTTP error status with a provider-style error body.
    Error {
        /// The HTTP status.
        status: u16,
        /// The error's message.
        message: String,
    },
    /// Part of a streamed text answer, then the connection is cut.
    DropMidStream {
        /// The whole text; only its first half is sent.
        text: String,
    },
}

/// The content of a complete answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MockAnswer {
    pub(crate) text: String,
    pub(crate) tool_calls: Vec<MockToolCall>,
    pub(crate) usage: MockUsage,
    /// Overrides the finish reason the wire format would pick.
    pub(crate) finish_reason: Option<String>,
    /// Reasoning shown before the answer, in formats that stream it.
    pub(crate) thinking: Option<String>,
}

impl MockAnswer {
    fn new(text: String, tool_calls: Vec<MockToolCall>) -> Self {
        Self {
            text,
            tool_calls,
            usage: MockUsage::default(),
            finish_reason: None,
            thinking: None,
        }
    }
}

impl MockResponse {
    /// A final text answer, streamed as several deltas; finishes with `stop`.
    pub fn text(text: impl Into<String>) -> Self {
        Self::answer(MockAnswer::new(text.into(), Vec::new()))
    }

    /// Tool calls and no text; finishes with `tool_calls`. Each call's
    /// arguments are streamed in small fragments.
    pub fn tool_calls(calls: Vec<MockToolCall>) -> Self {
        Self::answer(MockAnswer::new(String::new(), calls))
    }

    /// Some text ("Let me look at that file."), then tool calls.
    pub fn text_then_tool_calls(text: impl Into<String>, calls: Vec<MockToolCall>) -> Self {
        Self::answer(MockAnswer::new(text.into(), calls))
    }

    /// An HTTP error: the status with a provider-style error body carrying
    /// `message` (OpenAI's `{"error":{"message","type","code"}}`,
    /// Anthropic's `{"type":"error","error":{"type","message"}}`).
    pub fn error(status: u16, message: impl Into<String>) -> Self {
        Self::of(ResponseKind::Error {
            status,
            message: message.into(),
        })
    }

    /// Starts streaming `text`, sends about half of it, then closes the
    /// connection without a finish reason or `[DONE]`.
    pub fn drop_mid_stream(text: impl Into<String>) -> Self {
        Self::of(ResponseKind::DropMidStream { text: text.into() })
    }

    /// Starts streaming `text`, sends about half of it (as
    /// [`drop_mid_stream`](Self::drop_mid_stream) does), then sends nothing
    /// more while keeping the connection open: a server stuck mid-answer,
    /// for testing a client's idle timeout. The connection closes when the
    /// client gives up or the server is dropped.
    pub fn stall_after(text: impl Into<String>) -> Self {
        Self {
            stall: true,
            ..Self::drop_mid_stream(text)
        }
    }

    /// Sends the HTTP header `name: value` with the response, replacing
    /// one of the same name the wire format would send. A name or value
    /// HTTP does not allow is left out.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends `Retry-After: <seconds>`, as a rate-limited or overloaded
    /// server does: `MockResponse::error(429, "slow down").with_retry_after_secs(1)`.
    pub fn with_retry_after_secs(self, seconds: u64) -> Self {
        self.with_header("retry-after", seconds.to_string())
    }

    /// Waits `delay` before answering (before the status line is sent), as
    /// a model that takes its time does; other requests are answered
    /// meanwhile. Makes two agents' requests overlap in time on purpose.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers only a request whose first user message contains `text`
    /// (the task an agent was given, say). A request takes the first
    /// response in the script it may answer: one whose `when_asked` text it
    /// contains, or one without any. Lets one script serve agents that ask
    /// concurrently, in whatever order their requests arrive.
    pub fn when_asked(mut self, text: impl Into<String>) -> Self {
        self.when_asked = Some(text.into());
        self
    }

    /// Whether this response may answer a request with `body`.
    pub(crate) fn answers(&self, body: &serde_json::Value) -> bool {
        match &self.when_asked {
            None => true,
            Some(text) => first_user_text(body).is_some_and(|user| user.contains(text.as_str())),
        }
    }

    /// Reports these token counts instead of the defaults (see [`MockUsage`]).
    /// Only answers carry usage; errors and broken streams ignore it.
    pub fn with_usage(mut self, usage: MockUsage) -> Self {
        if let ResponseKind::Answer(answer) = &mut self.kind {
            answer.usage = usage;
        }
        self
    }

    /// Finishes with this reason (`"length"`, `"content_filter"`, …) instead
    /// of `stop` / `tool_calls`. Only answers carry one.
    pub fn with_finish_reason(mut self, reason: impl Into<String>) -> Self {
        if let ResponseKind::Answer(answer) = &mut self.kind {
            answer.finish_reason = Some(reason.into());
        }
        self
    }

    /// Reasons with `thinking` before answering. Anthropic's format streams
    /// it as a `thinking` block signed `mock-signature-<n>` (`n` numbering
    /// the model requests from 1), which a client must send back unchanged;
    /// formats without reasoning leave it out. Only answers carry it.
    pub fn with_thinking(mut self, thinking: impl Into<String>) -> Self {
        if let ResponseKind::Answer(answer) = &mut self.kind {
            answer.thinking = Some(thinking.into());
        }
        self
    }

    fn answer(answer: MockAnswer) -> Self {
        Self::of(ResponseKind::Answer(answer))
    }

    fn of(kind: ResponseKind) -> Self {
        Self {
            kind,
            headers: Vec::new(),
            stall: false,
            delay: None,
            when_asked: None,
        }
    }
}

/// The text of a chat request's first user message, in either wire
/// format: a plain string, or the `text` of its content parts joined.
fn first_user_text(body: &serde_json::Value) -> Option<String> {
    let message = body["messages"]
        .as_array()?
        .iter()
        .find(|m| m["role"] == "user")?;
    match &message["content"] {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Array(parts) => Some(
            parts
                .iter()
                .filter_map(|part| part["text"].as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        _ => None,
    }
}

/// A tool call the scripted model makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockToolCall {
    /// The call's id (`call_1`); the tool result must carry it back.
    pub id: String,
    /// The tool's name (`read`, `edit`, …).
    pub name: String,
    /// The arguments as JSON text, exactly as they will be streamed.
    pub arguments: String,
}

impl MockToolCall {
    /// A call with well-formed JSON arguments.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        arguments: serde_json::Value,
    ) -> Self {
        Self::raw(id, name, arguments.to_string())
    }

    /// A call whose arguments are sent verbatim, e.g. malformed JSON such as
    /// `{"filePath": "a.rs"` to test how a client copes.
    pub fn raw(
        id: impl Into<String>,
        name: impl Into<String>,
        arguments: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            arguments: arguments.into(),
        }
    }
}

/// Token counts a scripted answer reports.
///
/// The default is 10 prompt tokens, 5 completion tokens, 0 cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MockUsage {
    /// Prompt (input) tokens.
    pub prompt_tokens: u64,
    /// Completion (output) tokens.
    pub completion_tokens: u64,
    /// Prompt tokens served from the provider's cache.
    pub cached_tokens: u64,
}

impl Default for MockUsage {
    fn default() -> Self {
        Self {
            prompt_tokens: 10,
            completion_tokens: 5,
            cached_tokens: 0,
        }
    }
}
