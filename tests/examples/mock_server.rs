//! A mock LLM server to try `code-mesh` by hand:
//!
//! ```sh
//! cargo run -p code-mesh-test-support --example mock_server -- script.json
//! OPENAI_BASE_URL=<printed URL> code-mesh run -m openai/mock "…"
//! ```
//!
//! The script is a JSON array answered in order, one item per model request:
//! `{"text": "…"}` for an answer, `{"tool_calls": [{"id", "name", "arguments"}],
//! "text": "…"}` for tool calls, `{"error": 401, "message": "…"}` for an HTTP
//! error. Any item may add `"when": "…"` (answer only a request whose first
//! user message contains that text, for agents asking at once) and
//! `"delay_ms": n` (wait before answering). The server runs until interrupted.
//!
//! For scripts (`scripts/test-npm.sh`, the browser example's test): the base
//! URL is the first line of stdout, alone and flushed at once; nothing else
//! is printed there. Every answer allows any origin (CORS), so a web page can
//! use the server too.

use anyhow::{Context, bail};
use code_mesh_test_support::{MockLlmServer, MockResponse, MockToolCall};
use serde_json::Value;

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .context("usage: mock_server <script.json>")?;
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    let items: Vec<Value> = serde_json::from_str(&text).with_context(|| path.clone())?;
    let script = items
        .iter()
        .map(response)
        .collect::<anyhow::Result<Vec<_>>>()?;
    let server = MockLlmServer::try_start(script)?;
    println!("{}", server.base_url());
    loop {
        std::thread::park();
    }
}

/// One script item as a scripted response, routed and delayed as it says.
fn response(item: &Value) -> anyhow::Result<MockResponse> {
    let mut response = content(item)?;
    if let Some(asked) = item["when"].as_str() {
        response = response.when_asked(asked);
    }
    if let Some(delay) = item["delay_ms"].as_u64() {
        response = response.with_delay(std::time::Duration::from_millis(delay));
    }
    Ok(response)
}

/// What a script item answers: text, tool calls, or an error.
fn content(item: &Value) -> anyhow::Result<MockResponse> {
    let text = item["text"].as_str().unwrap_or_default();
    if let Some(status) = item["error"].as_u64() {
        let message = item["message"].as_str().unwrap_or("mock error");
        return Ok(MockResponse::error(u16::try_from(status)?, message));
    }
    let Some(calls) = item["tool_calls"].as_array() else {
        if item.get("text").is_none() {
            bail!("script item needs text, tool_calls or error: {item}");
        }
        return Ok(MockResponse::text(text));
    };
    let calls = calls
        .iter()
        .map(|c| {
            MockToolCall::new(
                c["id"].as_str().unwrap_or("call"),
                c["name"].as_str().unwrap_or_default(),
                c["arguments"].clone(),
            )
        })
        .collect();
    Ok(MockResponse::text_then_tool_calls(text, calls))
}
