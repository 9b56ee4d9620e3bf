//! The requests the mock server received, kept for assertions.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// One HTTP request as the mock server received it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// `POST`, `GET`, …
    pub method: String,
    /// The path without the query, e.g. `/v1/chat/completions`.
    pub path: String,
    /// Headers by lowercased name; repeated headers are joined with `, `.
    pub headers: BTreeMap<String, String>,
    /// The body parsed as JSON; a body that is not JSON is kept as a JSON
    /// string, and an empty body is `null`.
    pub body: serde_json::Value,
    /// When the server began handling the request: its head had arrived
    /// (the body is read after this).
    pub received_at: Instant,
    /// When the last byte of the response body was handed to the
    /// connection; `None` while the response is still being sent, or when
    /// it never finished (a stream cut on purpose, a client that hung up).
    pub responded_at: Option<Instant>,
}

impl RecordedRequest {
    /// The value of header `name` (any case), if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// How long the server took from receiving the request to sending the
    /// last byte of its response, once it has.
    pub fn response_time(&self) -> Option<Duration> {
        self.responded_at
            .map(|sent| sent.saturating_duration_since(self.received_at))
    }

    /// The messages of a chat request (`body.messages`), or an empty list.
    pub fn messages(&self) -> Vec<serde_json::Value> {
        self.body["messages"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The content of the tool result for `call_id` in a chat-completions
    /// request (a `tool` message), if the request carries one.
    pub fn tool_result(&self, call_id: &str) -> Option<String> {
        self.messages()
            .iter()
            .find(|m| m["role"] == "tool" && m["tool_call_id"] == call_id)
            .and_then(|m| m["content"].as_str().map(str::to_string))
    }
}
