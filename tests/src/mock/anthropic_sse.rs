//! Anthropic's Messages wire format: scripted responses rendered as the
//! server-sent events of a streamed message (or one `message` object when
//! the request did not ask to stream), and errors as
//! `{"type":"error","error":{"type","message"}}` bodies.
//!
//! The events follow what api.anthropic.com sends, each as
//! `event: <type>\ndata: <json>\n\n`: `message_start` (the prompt's token
//! counts, cache reads included), a `ping`, then one content block per
//! piece of the answer — scripted thinking as `thinking_delta`s and a
//! `signature_delta`, text as `text_delta`s, each tool call as a
//! `tool_use` block opened with its id and name and continued by
//! `input_json_delta` fragments cut anywhere (inside keys and strings too)
//! — each closed by `content_block_stop`, then `message_delta` with the
//! `stop_reason` and output tokens, and `message_stop`.

use super::pieces::{json_fragments, text_pieces};
use super::script::{MockAnswer, MockResponse, MockToolCall, MockUsage, ResponseKind};
use super::sse_body::{Json, sse_response};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The paths this format answers on: `{base}/v1/messages`, and
/// `{base}/messages` for clients given a base URL ending in `/v1`.
pub(crate) const PATHS: [&str; 2] = ["/v1/messages", "/messages"];

/// Renders `response` as the answer to a Messages request whose JSON body
/// was `request`; `sequence` numbers the model requests from 1.
pub(crate) fn respond(request: &Value, response: MockResponse, sequence: usize) -> Response {
    let events = EventWriter::new(request, sequence);
    match response.kind {
        ResponseKind::Error { status, message } => error_response(status, &message),
        ResponseKind::Answer(answer) if request["stream"] == Value::Bool(true) => {
            sse_response(events.answer(&answer), false)
        }
        ResponseKind::Answer(answer) => Json(events.message(&answer)).into_response(),
        ResponseKind::DropMidStream { text } => sse_response(events.partial(&text), true),
    }
}

/// An Anthropic-style error response with `status` and `message`.
pub(crate) fn error_response(status: u16, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = json!({
        "type": "error",
        "error": { "type": error_type(status), "message": message },
    });
    (status, Json(body)).into_response()
}

/// The error `type` Anthropic gives each status.
fn error_type(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 => "overloaded_error",
        _ if status.is_client_error() => "invalid_request_error",
        _ => "api_error",
    }
}

/// Builds the events of one message, all sharing its id and model.
struct EventWriter {
    id: String,
    model: String,
    /// What scripted thinking is signed with.
    signature: String,
}

impl EventWriter {
    fn new(request: &Value, sequence: usize) -> Self {
        Self {
            id: format!("msg_mock{sequence}"),
            signature: format!("mock-signature-{sequence}"),
            model: request["model"]
                .as_str()
                .unwrap_or("mock-model")
                .to_string(),
        }
    }

    /// The events of a complete streamed answer.
    fn answer(&self, answer: &MockAnswer) -> Vec<String> {
        let mut events = vec![
            self.message_start(answer.usage),
            event(&json!({"type": "ping"})),
        ];
        let mut index = 0;
        if let Some(thinking) = &answer.thinking {
            events.extend(thinking_block(index, thinking, &self.signature));
            index += 1;
        }
        if !answer.text.is_empty() {
            events.extend(text_block(index, text_pieces(&answer.text)));
            index += 1;
        }
        for call in &answer.tool_calls {
            events.extend(tool_use_block(index, call));
            index += 1;
        }
        events.push(event(&json!({
            "type": "message_delta",
            "delta": { "stop_reason": stop_reason(answer), "stop_sequence": null },
            "usage": { "output_tokens": answer.usage.completion_tokens },
        })));
        events.push(event(&json!({"type": "message_stop"})));
        events
    }

    /// The first events of a streamed text answer: the start and about half
    /// of the text (at least one piece), with no block stop, no stop reason
    /// and no `message_stop`.
    fn partial(&self, text: &str) -> Vec<String> {
        let pieces = text_pieces(text);
        let sent = pieces.len().div_ceil(2);
        let mut events = vec![self.message_start(MockUsage::default())];
        let mut block = text_block(0, pieces.into_iter().take(sent).collect());
        // Without its `content_block_stop`.
        block.pop();
        events.extend(block);
        events
    }

    /// A non-streamed `message` object.
    fn message(&self, answer: &MockAnswer) -> Value {
        let mut content = Vec::new();
        if let Some(thinking) = &answer.thinking {
            content.push(json!({
                "type": "thinking",
                "thinking": thinking,
                "signature": self.signature,
            }));
        }
        if !answer.text.is_empty() {
            content.push(json!({ "type": "text", "text": answer.text }));
        }
        for call in &answer.tool_calls {
            content.push(json!({
                "type": "tool_use",
                "id": call.id,
                "name": call.name,
                "input": input_object(call),
            }));
        }
        let mut message = self.message_head(answer.usage);
        message["content"] = Value::Array(content);
        message["stop_reason"] = json!(stop_reason(answer));
        message["usage"]["output_tokens"] = json!(answer.usage.completion_tokens);
        message
    }

    fn message_start(&self, usage: MockUsage) -> String {
        event(&json!({ "type": "message_start", "message": self.message_head(usage) }))
    }

    /// The message as `message_start` carries it: no content yet, the
    /// prompt's tokens split into uncached and cache reads.
    fn message_head(&self, usage: MockUsage) -> Value {
        json!({
            "id": self.id,
            "type": "message",
            "role": "assistant",
            "model": self.model,
            "content": [],
            "stop_reason": null,
            "stop_sequence": null,
            "usage": {
                "input_tokens": usage.prompt_tokens.saturating_sub(usage.cached_tokens),
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": usage.cached_tokens,
                "output_tokens": 1,
            },
        })
    }
}

/// A text block at `index` streaming `pieces`, closed.
fn text_block(index: usize, pieces: Vec<String>) -> Vec<String> {
    let mut events = vec![event(&json!({
        "type": "content_block_start",
        "index": index,
        "content_block": { "type": "text", "text": "" },
    }))];
    for piece in pieces {
        events.push(event(&json!({
            "type": "content_block_delta",
            "index": index,
            "delta": { "type": "text_delta", "text": piece },
        })));
    }
    events.push(block_stop(index));
    events
}

/// A `thinking` block at `index` streaming `thinking`, then its
/// `signature`, closed.
fn thinking_block(index: usize, thinking: &str, signature: &str) -> Vec<String> {
    let mut events = vec![event(&json!({
        "type": "content_block_start",
        "index": index,
        "content_block": { "type": "thinking", "thinking": "", "signature": "" },
    }))];
    for piece in text_pieces(thinking) {
        events.push(event(&json!({
            "type": "content_block_delta",
            "index": index,
            "delta": { "type": "thinking_delta", "thinking": piece },
        })));
    }
    events.push(event(&json!({
        "type": "content_block_delta",
        "index": index,
        "delta": { "type": "signature_delta", "signature": signature },
    })));
    events.push(block_stop(index));
    events
}

/// A `tool_use` block at `index`: opened with the call's id and name and
/// an empty input, then the input's JSON in fragments (the first empty, as
/// Anthropic sends it), closed.
fn tool_use_block(index: usize, call: &MockToolCall) -> Vec<String> {
    let mut events = vec![event(&json!({
        "type": "content_block_start",
        "index": index,
        "content_block": { "type": "tool_use", "id": call.id, "name": call.name, "input": {} },
    }))];
    let fragments = std::iter::once(String::new()).chain(json_fragments(&call.arguments));
    for fragment in fragments {
        events.push(event(&json!({
            "type": "content_block_delta",
            "index": index,
            "delta": { "type": "input_json_delta", "partial_json": fragment },
        })));
    }
    events.push(block_stop(index));
    events
}

fn block_stop(index: usize) -> String {
    event(&json!({ "type": "content_block_stop", "index": index }))
}

/// One server-sent event, named by its data's `type` as Anthropic does.
fn event(data: &Value) -> String {
    let kind = data["type"].as_str().unwrap_or("message");
    format!("event: {kind}\ndata: {data}\n\n")
}

/// Anthropic's stop reason: the scripted override (OpenAI's names are
/// translated, Anthropic's own pass through), else `end_turn` or `tool_use`.
fn stop_reason(answer: &MockAnswer) -> &str {
    match answer.finish_reason.as_deref() {
        Some("stop") => "end_turn",
        Some("tool_calls") => "tool_use",
        Some("length") => "max_tokens",
        Some("content_filter") => "refusal",
        Some(reason) => reason,
        None if answer.tool_calls.is_empty() => "end_turn",
        None => "tool_use",
    }
}

/// A call's arguments as the object a whole `tool_use` block carries;
/// arguments that are not a JSON object become `{}`.
fn input_object(call: &MockToolCall) -> Value {
    match serde_json::from_str(&call.arguments) {
        Ok(Value::Object(input)) => Value::Object(input),
        _ => json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer() -> EventWriter {
        EventWriter::new(&json!({"model": "claude-test"}), 1)
    }

    /// The `data` of each event, parsed.
    fn datas(events: &[String]) -> Vec<Value> {
        events
            .iter()
            .map(|event| {
                let (name, data) = event
                    .strip_suffix("\n\n")
                    .and_then(|event| event.split_once('\n'))
                    .unwrap();
                let data: Value =
                    serde_json::from_str(data.strip_prefix("data: ").unwrap()).unwrap();
                assert_eq!(name, format!("event: {}", data["type"].as_str().unwrap()));
                data
            })
            .collect()
    }

    fn answer_of(response: MockResponse) -> MockAnswer {
        match response.kind {
            ResponseKind::Answer(answer) => answer,
            other => panic!("not an answer: {other:?}"),
        }
    }

    #[test]
    fn text_then_tool_call_is_two_blocks_and_tool_use_stop() {
        let answer = answer_of(MockResponse::text_then_tool_calls(
            "Looking.",
            vec![MockToolCall::new(
                "toolu_1",
                "read",
                json!({"filePath": "a.rs"}),
            )],
        ));
        let events = datas(&writer().answer(&answer));
        let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(types[..3], ["message_start", "ping", "content_block_start"]);
        assert_eq!(types[types.len() - 2..], ["message_delta", "message_stop"]);

        let text: String = events
            .iter()
            .filter(|e| e["delta"]["type"] == "text_delta")
            .map(|e| e["delta"]["text"].as_str().unwrap())
            .collect();
        assert_eq!(text, "Looking.");
        let opening = events
            .iter()
            .find(|e| e["content_block"]["type"] == "tool_use")
            .unwrap();
        assert_eq!(opening["index"], 1);
        assert_eq!(opening["content_block"]["id"], "toolu_1");
        let input: Vec<&str> = events
            .iter()
            .filter(|e| e["delta"]["type"] == "input_json_delta")
            .map(|e| e["delta"]["partial_json"].as_str().unwrap())
            .collect();
        assert!(input.len() > 2, "{input:?}");
        assert_eq!(input.concat(), r#"{"filePath":"a.rs"}"#);
        assert_eq!(events[events.len() - 2]["delta"]["stop_reason"], "tool_use");
    }

    #[test]
    fn usage_splits_the_prompt_into_uncached_and_cache_reads() {
        let usage = MockUsage {
            prompt_tokens: 100,
            completion_tokens: 5,
            cached_tokens: 60,
        };
        let start = &datas(&[writer().message_start(usage)])[0];
        assert_eq!(start["message"]["usage"]["input_tokens"], 40);
        assert_eq!(start["message"]["usage"]["cache_read_input_tokens"], 60);
    }

    #[test]
    fn openai_finish_reasons_are_translated() {
        let length = answer_of(MockResponse::text("a").with_finish_reason("length"));
        assert_eq!(stop_reason(&length), "max_tokens");
        let own = answer_of(MockResponse::text("a").with_finish_reason("stop_sequence"));
        assert_eq!(stop_reason(&own), "stop_sequence");
    }

    #[test]
    fn partial_answer_has_no_stop() {
        let events = datas(&writer().partial("one two three four five six"));
        assert!(events.iter().all(|e| e["type"] != "message_stop"
            && e["type"] != "message_delta"
            && e["type"] != "content_block_stop"));
    }
}
