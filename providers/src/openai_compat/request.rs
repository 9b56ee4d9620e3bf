//! From a [`ModelRequest`] to a streaming chat-completions request.

use async_openai::types::chat::{
    ChatCompletionMessageToolCall, ChatCompletionMessageToolCalls,
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestAssistantMessageContent,
    ChatCompletionRequestMessage, ChatCompletionRequestSystemMessage,
    ChatCompletionRequestToolMessage, ChatCompletionRequestUserMessage,
    ChatCompletionStreamOptions, ChatCompletionTool, ChatCompletionTools,
    CreateChatCompletionRequest, FunctionCall, FunctionObject,
};
use code_mesh_runtime::model::{ChatMessage, ModelRequest, ToolCall, ToolSpec};

/// Which field carries the output-token limit.
///
/// OpenAI replaced `max_tokens` with `max_completion_tokens` and rejects the
/// old one for reasoning models; many compatible servers (older vLLM,
/// llama.cpp, Ollama) only know `max_tokens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MaxTokensField {
    /// `max_completion_tokens`, for api.openai.com.
    MaxCompletionTokens,
    /// `max_tokens`, for everyone else.
    MaxTokens,
}

/// The request body: streamed, with usage on the last chunk.
///
/// Takes the request by value and moves its text and schemas into the
/// body: the conversation is re-sent every turn, and copying it (tool
/// schemas included) was a fifth of each turn's work in the 100-turn bench.
pub(crate) fn chat_request(
    request: ModelRequest,
    max_tokens_field: MaxTokensField,
) -> CreateChatCompletionRequest {
    let ModelRequest {
        model,
        messages,
        tools,
        max_output_tokens,
        temperature,
        ..
    } = request;
    let mut body = CreateChatCompletionRequest {
        model,
        messages: messages.into_iter().filter_map(message).collect(),
        // An empty `tools` array is rejected by some servers: leave it out.
        tools: (!tools.is_empty()).then(|| tools.into_iter().map(tool).collect()),
        temperature,
        stream: Some(true),
        stream_options: Some(ChatCompletionStreamOptions {
            include_usage: Some(true),
            include_obfuscation: None,
        }),
        ..CreateChatCompletionRequest::default()
    };
    match max_tokens_field {
        MaxTokensField::MaxCompletionTokens => {
            body.max_completion_tokens = max_output_tokens;
        }
        MaxTokensField::MaxTokens => {
            #[expect(deprecated, reason = "compatible servers only know max_tokens")]
            {
                body.max_tokens = max_output_tokens;
            }
        }
    }
    body
}

fn message(message: ChatMessage) -> Option<ChatCompletionRequestMessage> {
    Some(match message {
        ChatMessage::System { content } => {
            ChatCompletionRequestMessage::System(ChatCompletionRequestSystemMessage {
                content: content.into(),
                name: None,
            })
        }
        ChatMessage::User { content } => {
            ChatCompletionRequestMessage::User(ChatCompletionRequestUserMessage {
                content: content.into(),
                name: None,
            })
        }
        ChatMessage::Assistant {
            content,
            tool_calls,
        } => ChatCompletionRequestMessage::Assistant(ChatCompletionRequestAssistantMessage {
            // OpenAI wants `content` left out, not empty, beside tool calls.
            content: (!content.is_empty() || tool_calls.is_empty())
                .then_some(ChatCompletionRequestAssistantMessageContent::Text(content)),
            tool_calls: (!tool_calls.is_empty())
                .then(|| tool_calls.into_iter().map(assistant_tool_call).collect()),
            ..ChatCompletionRequestAssistantMessage::default()
        }),
        ChatMessage::Tool { call_id, content } => {
            ChatCompletionRequestMessage::Tool(ChatCompletionRequestToolMessage {
                content: content.into(),
                tool_call_id: call_id,
            })
        }
        // Chat completions take no reasoning back.
        ChatMessage::Reasoning(_) => return None,
    })
}

fn assistant_tool_call(call: ToolCall) -> ChatCompletionMessageToolCalls {
    ChatCompletionMessageToolCalls::Function(ChatCompletionMessageToolCall {
        id: call.id,
        function: FunctionCall {
            name: call.name,
            arguments: call.arguments,
        },
    })
}

fn tool(spec: ToolSpec) -> ChatCompletionTools {
    ChatCompletionTools::Function(ChatCompletionTool {
        function: FunctionObject {
            name: spec.name,
            description: Some(spec.description),
            parameters: Some(spec.parameters),
            strict: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn body(request: &ModelRequest, field: MaxTokensField) -> Value {
        serde_json::to_value(chat_request(request.clone(), field)).unwrap()
    }

    fn conversation() -> ModelRequest {
        ModelRequest {
            model: "gpt-4o".into(),
            messages: vec![
                ChatMessage::System {
                    content: "Be brief.".into(),
                },
                ChatMessage::User {
                    content: "Read a.rs".into(),
                },
                ChatMessage::Assistant {
                    content: String::new(),
                    tool_calls: vec![ToolCall {
                        id: "call_1".into(),
                        name: "read".into(),
                        arguments: r#"{"filePath":"a.rs"}"#.into(),
                    }],
                },
                ChatMessage::Tool {
                    call_id: "call_1".into(),
                    content: "fn main() {}".into(),
                },
            ],
            tools: vec![ToolSpec {
                name: "read".into(),
                description: "Read a file".into(),
                parameters: json!({"type": "object", "properties": {"filePath": {"type": "string"}}}),
            }],
            max_output_tokens: Some(256),
            temperature: Some(0.2),
        }
    }

    #[test]
    fn messages_tools_and_streaming_options_are_in_openai_shape() {
        let body = body(&conversation(), MaxTokensField::MaxCompletionTokens);
        assert_eq!(body["stream"], true);
        assert_eq!(body["stream_options"], json!({"include_usage": true}));
        assert_eq!(body["max_completion_tokens"], 256);
        assert!(body.get("max_tokens").is_none());
        let messages = body["messages"].as_array().unwrap();
        assert_eq!(
            messages[0],
            json!({"role": "system", "content": "Be brief."})
        );
        assert_eq!(messages[1], json!({"role": "user", "content": "Read a.rs"}));
        assert_eq!(
            messages[2],
            json!({"role": "assistant", "tool_calls": [{
                "id": "call_1", "type": "function",
                "function": {"name": "read", "arguments": "{\"filePath\":\"a.rs\"}"},
            }]})
        );
        assert_eq!(
            messages[3],
            json!({"role": "tool", "content": "fn main() {}", "tool_call_id": "call_1"})
        );
        assert_eq!(body["tools"][0]["type"], "function");
        assert_eq!(body["tools"][0]["function"]["name"], "read");
        assert_eq!(body["tools"][0]["function"]["parameters"]["type"], "object");
    }

    #[test]
    fn compatible_servers_get_max_tokens_and_no_empty_tools() {
        let mut request = conversation();
        request.tools.clear();
        let body = body(&request, MaxTokensField::MaxTokens);
        assert_eq!(body["max_tokens"], 256);
        assert!(body.get("max_completion_tokens").is_none());
        assert!(body.get("tools").is_none());
    }

    #[test]
    fn assistant_text_without_tool_calls_keeps_its_content() {
        let request = ModelRequest {
            messages: vec![ChatMessage::Assistant {
                content: "Done.".into(),
                tool_calls: Vec::new(),
            }],
            ..ModelRequest::default()
        };
        let body = body(&request, MaxTokensField::MaxTokens);
        assert_eq!(
            body["messages"][0],
            json!({"role": "assistant", "content": "Done."})
        );
    }
}
