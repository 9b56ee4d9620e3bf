//! Streamed answers as the servers send them, byte for byte, in each wire
//! format: for decoder tests (any split of the bytes must decode to the same
//! events) and the SSE parsing benches.
//!
//! Both recordings carry the same answer: about 3.5 KB of Markdown (a code
//! block, `—`, `“”`, `ë`, `日本語`, `🚀`: characters of two to four bytes)
//! streamed in small deltas, then an `edit` tool call whose arguments
//! arrive in fragments cut anywhere. Their events are shaped like the
//! services' own (event names, field order, delta sizes, usage); the
//! answer is written for the purpose.

/// The answer's text, as both recordings stream it.
pub const RECORDED_ANSWER_TEXT: &str = include_str!("../fixtures/recorded_answer.txt");

/// The `edit` call's arguments (JSON), as both recordings stream them.
pub const RECORDED_EDIT_ARGUMENTS: &str = include_str!("../fixtures/recorded_edit_arguments.json");

/// Anthropic's Messages API: `message_start` (usage with cache reads and
/// writes), a `thinking` block with its signature, a `ping`, the text
/// block, a `tool_use` block (`toolu_01T1x1fJ34qAmk2tNTrN7Up6`, `edit`) in
/// `input_json_delta` fragments, `message_delta` (`tool_use`, 1187 output
/// tokens) and `message_stop`.
pub const ANTHROPIC_MESSAGES_SSE: &str = include_str!("../fixtures/anthropic_messages.sse");

/// OpenAI's chat completions: a role chunk, one chunk per text delta, a
/// tool call (`call_DdmO9pD3xa9XTPNJ32zg2hcA`, `edit`) opened with its id
/// and continued in argument fragments, a `tool_calls` finish, a usage
/// chunk (18 432 cached prompt tokens) and `[DONE]`.
pub const OPENAI_CHAT_SSE: &str = include_str!("../fixtures/openai_chat.sse");
