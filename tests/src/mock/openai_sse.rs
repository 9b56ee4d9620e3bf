//! OpenAI's chat-completions wire format: scripted responses rendered as
//! `chat.completion.chunk` server-sent events (or one `chat.completion`
//! object when the request did not ask to stream), and errors as
//! `{"error":{"message","type","param","code"}}` bodies.
//!
//! The chunks follow what api.openai.com sends: a first chunk with
//! `delta.role = "assistant"`, text in several `delta.content` pieces, each
//! tool call opened by a chunk carrying `index`, `id`, `type` and
//! `function.name` with empty arguments and continued by chunks carrying
//! only `index` and an arguments fragment, a chunk with the
//! `finish_reason`, a usage chunk with no choices when
//! `stream_options.include_usage` was asked for, then `data: [DONE]`.

use super::pieces::{json_fragments, text_pieces};
use super::script::{MockAnswer, MockResponse, ResponseKind};
use super::sse_body::{Json, sse_response};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The paths this format answers on.
pub(crate) const PATHS: [&str; 2] = ["/v1/chat/completions", "/chat/completions"];

/// The `created` timestamp every mock chunk carries.
const CREATED: u64 = 1_700_000_000;

/// Renders `response` as the answer to a chat-completions request whose JSON
/// body was `request`; `sequence` numbers the model requests from 1.
pub(crate) fn respond(request: &Value, response: MockResponse, sequence: usize) -> Response {
    let chunks = ChunkWriter::new(request, sequence);
    match response.kind {
        ResponseKind::Error { status, message } => error_response(status, &message),
        ResponseKind::Answer(answer) if request["stream"] == Value::Bool(true) => {
            sse_response(chunks.answer(&answer), false)
        }
        ResponseKind::Answer(answer) => Json(chunks.completion(&answer)).into_response(),
        ResponseKind::DropMidStream { text } => sse_response(chunks.partial(&text), true),
    }
}

/// An OpenAI-style error response with `status` and `message`.
pub(crate) fn error_response(status: u16, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (kind, code) = error_type_and_code(status);
    let body = json!({
        "error": { "message": message, "type": kind, "param": null, "code": code }
    });
    (status, Json(body)).into_response()
}

/// The `type` and `code` OpenAI gives errors of each status.
fn error_type_and_code(status: StatusCode) -> (&'static str, Value) {
    match status.as_u16() {
        401 => ("invalid_request_error", json!("invalid_api_key")),
        403 => ("permission_error", Value::Null),
        404 => ("invalid_request_error", json!("model_not_found")),
        429 => ("requests", json!("rate_limit_exceeded")),
        400..=499 => ("invalid_request_error", Value::Null),
        _ => ("server_error", Value::Null),
    }
}

/// Builds the chunks of one completion, all sharing id, timestamp and model.
struct ChunkWriter {
    id: String,
    model: String,
    include_usage: bool,
}

impl ChunkWriter {
    fn new(request: &Value, sequence: usize) -> Self {
        Self {
            id: format!("chatcmpl-mock{sequence}"),
            model: request["model"]
                .as_str()
                .unwrap_or("mock-model")
                .to_string(),
            include_usage: request["stream_options"]["include_usage"] == Value::Bool(true),
        }
    }

    /// The events of a complete streamed answer, `[DONE]` included.
    fn answer(&self, answer: &MockAnswer) -> Vec<String> {
        let mut events = vec![self.role_chunk(&answer.text)];
        for piece in text_pieces(&answer.text) {
            events.push(self.delta_chunk(json!({ "content": piece }), None));
        }
        for (index, call) in answer.tool_calls.iter().enumerate() {
            let opening = json!({ "tool_calls": [{
                "index": index,
                "id": call.id,
                "type": "function",
                "function": { "name": call.name, "arguments": "" },
            }]});
            events.push(self.delta_chunk(opening, None));
            for fragment in json_fragments(&call.arguments) {
                let more = json!({ "tool_calls": [{
                    "index": index,
                    "function": { "arguments": fragment },
                }]});
                events.push(self.delta_chunk(more, None));
            }
        }
        events.push(self.delta_chunk(json!({}), Some(finish_reason(answer))));
        if self.include_usage {
            events.push(self.usage_chunk(answer));
        }
        events.push("data: [DONE]\n\n".to_string());
        events
    }

    /// The first events of a streamed text answer: the role and about half
    /// of the text (at least one piece), with no finish and no `[DONE]`.
    fn partial(&self, text: &str) -> Vec<String> {
        let pieces = text_pieces(text);
        let sent = pieces.len().div_ceil(2);
        let mut events = vec![self.role_chunk(text)];
        for piece in pieces.into_iter().take(sent) {
            events.push(self.delta_chunk(json!({ "content": piece }), None));
        }
        events
    }

    /// A non-streamed `chat.completion` object.
    fn completion(&self, answer: &MockAnswer) -> Value {
        let content = if answer.text.is_empty() {
            Value::Null
        } else {
            json!(answer.text)
        };
        let mut message = json!({ "role": "assistant", "content": content, "refusal": null });
        if !answer.tool_calls.is_empty() {
            message["tool_calls"] = answer
                .tool_calls
                .iter()
                .map(|call| {
                    json!({
                        "id": call.id,
                        "type": "function",
                        "function": { "name": call.name, "arguments": call.arguments },
                    })
                })
                .collect();
        }
        json!({
            "id": self.id,
            "object": "chat.completion",
            "created": CREATED,
            "model": self.model,
            "choices": [{
                "index": 0,
                "message": message,
                "logprobs": null,
                "finish_reason": finish_reason(answer),
            }],
            "usage": usage_json(answer),
            "system_fingerprint": "fp_mock",
        })
    }

    /// OpenAI's first chunk: the role, with empty content when text follows
    /// and `null` content when only tool calls do.
    fn role_chunk(&self, text: &str) -> String {
        let content = if text.is_empty() {
            Value::Null
        } else {
            json!("")
        };
        self.delta_chunk(
            json!({ "role": "assistant", "content": content, "refusal": null }),
            None,
        )
    }

    fn delta_chunk(&self, delta: Value, finish_reason: Option<&str>) -> String {
        let choice = json!({
            "index": 0,
            "delta": delta,
            "logprobs": null,
            "finish_reason": finish_reason,
        });
        self.event(vec![choice], Value::Null)
    }

    fn usage_chunk(&self, answer: &MockAnswer) -> String {
        self.event(Vec::new(), usage_json(answer))
    }

    /// One `data:` event. With `include_usage`, OpenAI sends `"usage": null`
    /// on every chunk but the last.
    fn event(&self, choices: Vec<Value>, usage: Value) -> String {
        let mut chunk = json!({
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": self.model,
            "system_fingerprint": "fp_mock",
            "choices": choices,
        });
        if self.include_usage {
            chunk["usage"] = usage;
        }
        format!("data: {chunk}\n\n")
    }
}

fn finish_reason(answer: &MockAnswer) -> &str {
    match &answer.finish_reason {
        Some(reason) => reason,
        None if answer.tool_calls.is_empty() => "stop",
        None => "tool_calls",
    }
}

fn usage_json(answer: &MockAnswer) -> Value {
    let usage = answer.usage;
    json!({
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.prompt_tokens + usage.completion_tokens,
        "prompt_tokens_details": { "cached_tokens": usage.cached_tokens, "audio_tokens": 0 },
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    })
}
