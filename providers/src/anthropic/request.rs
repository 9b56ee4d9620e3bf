//! From a [`ModelRequest`] to a streaming Messages API request.
//!
//! The shape Anthropic wants differs from ours in a few ways:
//!
//! - system messages go in the top-level `system`, not among the messages;
//! - each tool result is a `tool_result` block in a *user* message, and the
//!   results of one turn's calls share that message (they come first in it);
//! - an assistant's tool calls are `tool_use` blocks with the model's own ids
//!   and the input as a JSON object; its reasoning goes back as the
//!   `thinking` blocks it came as, before them;
//! - messages alternate between user and assistant and have no empty blocks.
//!
//! Prompt caching: the system prompt's last block and the last message's last
//! block carry `cache_control: {"type": "ephemeral"}`, so each request reads
//! the previous one's prefix (tools, system, conversation) from the cache.

use code_mesh_runtime::model::{ChatMessage, ModelRequest, Reasoning, ToolCall, ToolSpec};
use serde::Serialize;
use serde_json::{Map, Value};

/// A Messages API request body.
#[derive(Debug, Serialize)]
pub(crate) struct MessagesRequest<'a> {
    model: &'a str,
    max_tokens: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    system: Vec<Block<'a>>,
    messages: Vec<Message<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tools: Vec<Tool<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f32>,
    stream: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Role {
    User,
    Assistant,
}

#[derive(Debug, Serialize)]
struct Message<'a> {
    role: Role,
    content: Vec<Block<'a>>,
}

/// `{"type": "ephemeral"}`: cache the prompt up to and including this block.
#[derive(Debug, Clone, Copy, Serialize)]
struct CacheControl {
    #[serde(rename = "type")]
    kind: &'static str,
}

const EPHEMERAL: CacheControl = CacheControl { kind: "ephemeral" };

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Block<'a> {
    Text {
        text: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        cache_control: Option<CacheControl>,
    },
    ToolUse {
        id: &'a str,
        name: &'a str,
        input: Value,
        #[serde(skip_serializing_if = "Option::is_none")]
        cache_control: Option<CacheControl>,
    },
    ToolResult {
        tool_use_id: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        content: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        cache_control: Option<CacheControl>,
    },
    Thinking {
        thinking: &'a str,
        signature: &'a str,
    },
    RedactedThinking {
        data: &'a str,
    },
}

impl<'a> Block<'a> {
    fn text(text: &'a str) -> Self {
        Self::Text {
            text,
            cache_control: None,
        }
    }

    fn thinking(reasoning: &'a Reasoning) -> Self {
        match &reasoning.redacted {
            Some(data) => Self::RedactedThinking { data },
            None => Self::Thinking {
                thinking: &reasoning.text,
                signature: &reasoning.signature,
            },
        }
    }

    fn tool_use(call: &'a ToolCall) -> Self {
        Self::ToolUse {
            id: &call.id,
            name: &call.name,
            input: tool_input(&call.arguments),
            cache_control: None,
        }
    }

    /// Marks the prompt up to this block for caching; thinking blocks cannot
    /// carry the mark, and say so by returning `false`.
    fn mark_for_caching(&mut self) -> bool {
        match self {
            Self::Text { cache_control, .. }
            | Self::ToolUse { cache_control, .. }
            | Self::ToolResult { cache_control, .. } => {
                *cache_control = Some(EPHEMERAL);
                true
            }
            Self::Thinking { .. } | Self::RedactedThinking { .. } => false,
        }
    }

    fn is_tool_result(&self) -> bool {
        matches!(self, Self::ToolResult { .. })
    }
}

#[derive(Debug, Serialize)]
struct Tool<'a> {
    name: &'a str,
    description: &'a str,
    input_schema: &'a Value,
}

/// The request body for `request`, streamed, with `default_max_tokens`
/// when the request sets no limit.
pub(crate) fn messages_request(
    request: &ModelRequest,
    default_max_tokens: u32,
) -> MessagesRequest<'_> {
    let mut system = Vec::new();
    let mut conversation = Conversation::default();
    for message in &request.messages {
        match message {
            ChatMessage::System { content } if !content.is_empty() => {
                system.push(Block::text(content));
            }
            ChatMessage::System { .. } => {}
            ChatMessage::User { content } => {
                conversation.push(Role::User, non_empty_text(content));
            }
            ChatMessage::Tool { call_id, content } => conversation.push(
                Role::User,
                Some(Block::ToolResult {
                    tool_use_id: call_id,
                    content,
                    cache_control: None,
                }),
            ),
            ChatMessage::Reasoning(reasoning) => conversation.reasoning.push(reasoning),
            ChatMessage::Assistant {
                content,
                tool_calls,
            } => {
                let reasoning = std::mem::take(&mut conversation.reasoning);
                let blocks = reasoning
                    .into_iter()
                    .map(Block::thinking)
                    .chain(non_empty_text(content))
                    .chain(tool_calls.iter().map(Block::tool_use));
                conversation.push(Role::Assistant, blocks);
            }
        }
    }
    if let Some(last) = system.last_mut() {
        last.mark_for_caching();
    }
    let mut messages = conversation.messages;
    if let Some(last) = messages.last_mut() {
        mark_last_cacheable(&mut last.content);
    }
    MessagesRequest {
        model: &request.model,
        max_tokens: request.max_output_tokens.unwrap_or(default_max_tokens),
        system,
        messages,
        tools: request.tools.iter().map(tool).collect(),
        temperature: request.temperature,
        stream: true,
    }
}

/// Messages being assembled, alternating roles.
#[derive(Default)]
struct Conversation<'a> {
    messages: Vec<Message<'a>>,
    /// Reasoning waiting for the assistant message it preceded.
    reasoning: Vec<&'a Reasoning>,
}

impl<'a> Conversation<'a> {
    /// Adds `blocks` as a `role` message, or to the last message when it has
    /// the same role. A message with no blocks is left out.
    fn push(&mut self, role: Role, blocks: impl IntoIterator<Item = Block<'a>>) {
        if role == Role::User {
            // Reasoning only goes back with the answer it led to.
            self.reasoning.clear();
        }
        let mut blocks = blocks.into_iter().peekable();
        if blocks.peek().is_none() {
            return;
        }
        match self.messages.last_mut() {
            Some(last) if last.role == role => {
                last.content.extend(blocks);
                // Tool results must open the user message that carries them.
                if role == Role::User {
                    last.content.sort_by_key(|block| !block.is_tool_result());
                }
            }
            _ => self.messages.push(Message {
                role,
                content: blocks.collect(),
            }),
        }
    }
}

/// Marks the last block that can carry a cache mark.
fn mark_last_cacheable(blocks: &mut [Block<'_>]) {
    for block in blocks.iter_mut().rev() {
        if block.mark_for_caching() {
            return;
        }
    }
}

/// A text block, unless the text is empty (the API rejects empty ones).
fn non_empty_text(text: &str) -> Option<Block<'_>> {
    (!text.is_empty()).then(|| Block::text(text))
}

/// A call's arguments as the JSON object `tool_use.input` must be. Malformed
/// arguments (the model's own mistake, already answered with a tool error)
/// go back as `{}`.
fn tool_input(arguments: &str) -> Value {
    match serde_json::from_str(arguments) {
        Ok(Value::Object(input)) => Value::Object(input),
        _ => Value::Object(Map::new()),
    }
}

fn tool(spec: &ToolSpec) -> Tool<'_> {
    Tool {
        name: &spec.name,
        description: &spec.description,
        input_schema: &spec.parameters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(request: &ModelRequest) -> Value {
        serde_json::to_value(messages_request(request, 8192)).unwrap()
    }

    fn call(id: &str, name: &str, arguments: &str) -> ToolCall {
        ToolCall {
            id: id.into(),
            name: name.into(),
            arguments: arguments.into(),
        }
    }

    fn conversation() -> ModelRequest {
        ModelRequest {
            model: "claude-test".into(),
            messages: vec![
                ChatMessage::System {
                    content: "Be brief.".into(),
                },
                ChatMessage::User {
                    content: "Read a.rs and b.rs".into(),
                },
                ChatMessage::Assistant {
                    content: "Reading both.".into(),
                    tool_calls: vec![
                        call("toolu_a", "read", r#"{"filePath":"a.rs"}"#),
                        call("toolu_b", "read", r#"{"filePath":"b.rs"}"#),
                    ],
                },
                ChatMessage::Tool {
                    call_id: "toolu_a".into(),
                    content: "fn a() {}".into(),
                },
                ChatMessage::Tool {
                    call_id: "toolu_b".into(),
                    content: "fn b() {}".into(),
                },
            ],
            tools: vec![ToolSpec {
                name: "read".into(),
                description: "Read a file".into(),
                parameters: json!({"type": "object", "properties": {"filePath": {"type": "string"}}}),
            }],
            ..ModelRequest::default()
        }
    }

    #[test]
    fn system_goes_top_level_with_a_cache_mark() {
        let body = body(&conversation());
        assert_eq!(
            body["system"],
            json!([{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}])
        );
        assert!(
            body["messages"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["role"] != "system")
        );
    }

    #[test]
    fn tool_calls_become_tool_use_blocks_with_the_models_ids_and_object_input() {
        let body = body(&conversation());
        assert_eq!(
            body["messages"][1],
            json!({"role": "assistant", "content": [
                {"type": "text", "text": "Reading both."},
                {"type": "tool_use", "id": "toolu_a", "name": "read", "input": {"filePath": "a.rs"}},
                {"type": "tool_use", "id": "toolu_b", "name": "read", "input": {"filePath": "b.rs"}},
            ]})
        );
    }

    #[test]
    fn consecutive_tool_results_share_one_user_message_and_the_last_block_is_cached() {
        let body = body(&conversation());
        let messages = body["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 3);
        assert_eq!(
            messages[2],
            json!({"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_a", "content": "fn a() {}"},
                {"type": "tool_result", "tool_use_id": "toolu_b", "content": "fn b() {}",
                 "cache_control": {"type": "ephemeral"}},
            ]})
        );
    }

    #[test]
    fn tools_max_tokens_and_stream_are_set() {
        let body = body(&conversation());
        assert_eq!(
            body["tools"],
            json!([{"name": "read", "description": "Read a file",
                    "input_schema": {"type": "object", "properties": {"filePath": {"type": "string"}}}}])
        );
        assert_eq!(body["max_tokens"], 8192);
        assert_eq!(body["stream"], true);
        assert!(body.get("temperature").is_none());
        let limited = ModelRequest {
            max_output_tokens: Some(100),
            temperature: Some(0.5),
            ..conversation()
        };
        let limited = super::tests::body(&limited);
        assert_eq!(limited["max_tokens"], 100);
        assert_eq!(limited["temperature"], 0.5);
    }

    #[test]
    fn reasoning_goes_back_as_thinking_blocks_before_the_answer() {
        let mut request = conversation();
        request.messages.insert(
            2,
            ChatMessage::Reasoning(Reasoning {
                text: "Two files.".into(),
                signature: "sig".into(),
                redacted: None,
            }),
        );
        request.messages.insert(
            3,
            ChatMessage::Reasoning(Reasoning {
                redacted: Some("opaque".into()),
                ..Reasoning::default()
            }),
        );
        let body = body(&request);
        let content = &body["messages"][1]["content"];
        assert_eq!(
            content[0],
            json!({"type": "thinking", "thinking": "Two files.", "signature": "sig"})
        );
        assert_eq!(
            content[1],
            json!({"type": "redacted_thinking", "data": "opaque"})
        );
        assert_eq!(content[2]["type"], "text");
    }

    #[test]
    fn empty_texts_are_left_out_and_a_user_turn_after_results_joins_them() {
        let request = ModelRequest {
            model: "m".into(),
            messages: vec![
                ChatMessage::User {
                    content: "go".into(),
                },
                ChatMessage::Assistant {
                    content: String::new(),
                    tool_calls: vec![call("toolu_1", "list", "not json")],
                },
                ChatMessage::Tool {
                    call_id: "toolu_1".into(),
                    content: String::new(),
                },
                ChatMessage::User {
                    content: "and then?".into(),
                },
            ],
            ..ModelRequest::default()
        };
        let body = body(&request);
        assert_eq!(
            body["messages"][1]["content"],
            json!([{"type": "tool_use", "id": "toolu_1", "name": "list", "input": {}}])
        );
        assert_eq!(
            body["messages"][2]["content"],
            json!([
                {"type": "tool_result", "tool_use_id": "toolu_1"},
                {"type": "text", "text": "and then?", "cache_control": {"type": "ephemeral"}},
            ])
        );
        assert!(body.get("system").is_none());
        assert!(body.get("tools").is_none());
    }
}
