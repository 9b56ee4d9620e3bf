//! The mock LLM server speaks OpenAI's chat-completions SSE the way
//! api.openai.com does, records what it receives, and fails the way it is
//! told to. Exercised with a plain HTTP client over real sockets.

// Test code: helpers outside #[test] fns fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_test_support::{MockLlmServer, MockResponse, MockToolCall, MockUsage};
use serde_json::{Value, json};

/// A streaming chat request, as a client would send it.
fn chat_request(include_usage: bool) -> Value {
    json!({
        "model": "gpt-4o",
        "stream": true,
        "stream_options": { "include_usage": include_usage },
        "messages": [{ "role": "user", "content": "hi" }],
    })
}

async fn post(server: &MockLlmServer, path: &str, body: &Value) -> reqwest::Response {
    let url = format!("http://{}{path}", server.addr());
    reqwest::Client::new()
        .post(url)
        .bearer_auth("sk-test")
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The `data:` payloads of an SSE body, in order.
fn data_events(body: &str) -> Vec<String> {
    body.split("\n\n")
        .filter_map(|event| event.strip_prefix("data: "))
        .map(str::to_string)
        .collect()
}

fn chunks(events: &[String]) -> Vec<Value> {
    events
        .iter()
        .filter(|data| *data != "[DONE]")
        .map(|data| serde_json::from_str(data).unwrap())
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn text_streams_as_several_content_deltas_between_role_and_done() {
    let server = MockLlmServer::start([MockResponse::text("The quick brown fox jumps.")]);

    let response = post(&server, "/v1/chat/completions", &chat_request(false)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let events = data_events(&response.text().await.unwrap());
    assert_eq!(events.last().unwrap(), "[DONE]");
    let chunks = chunks(&events);

    for chunk in &chunks {
        assert_eq!(chunk["object"], "chat.completion.chunk");
        assert_eq!(chunk["id"], chunks[0]["id"]);
        assert_eq!(chunk["model"], "gpt-4o");
        assert!(chunk["created"].is_u64());
        assert!(chunk.get("usage").is_none(), "usage was not asked for");
    }
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    let deltas: Vec<&str> = chunks[1..]
        .iter()
        .filter_map(|chunk| chunk["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert!(
        deltas.len() >= 3,
        "text should arrive in pieces: {deltas:?}"
    );
    assert_eq!(deltas.concat(), "The quick brown fox jumps.");
    let last = chunks.last().unwrap();
    assert_eq!(last["choices"][0]["finish_reason"], "stop");
    assert_eq!(last["choices"][0]["delta"], json!({}));
}

#[tokio::test(flavor = "current_thread")]
async fn tool_call_arguments_arrive_in_fragments_that_reassemble_to_the_json() {
    let args = json!({ "filePath": "src/main.rs", "offset": 10, "limit": 200 });
    let server = MockLlmServer::start([MockResponse::tool_calls(vec![
        MockToolCall::new("call_abc", "read", args.clone()),
        MockToolCall::new("call_def", "glob", json!({ "pattern": "**/*.rs" })),
    ])]);

    let response = post(&server, "/v1/chat/completions", &chat_request(false)).await;
    let chunks = chunks(&data_events(&response.text().await.unwrap()));

    let tool_chunks: Vec<&Value> = chunks
        .iter()
        .filter_map(|chunk| chunk["choices"][0]["delta"]["tool_calls"].get(0))
        .collect();
    let first_call: Vec<&&Value> = tool_chunks.iter().filter(|c| c["index"] == 0).collect();
    assert!(first_call.len() > 3, "arguments should be fragmented");

    let opening = first_call[0];
    assert_eq!(opening["id"], "call_abc");
    assert_eq!(opening["type"], "function");
    assert_eq!(opening["function"]["name"], "read");
    assert_eq!(opening["function"]["arguments"], "");
    for later in &first_call[1..] {
        // Sorted: with serde_json's `preserve_order` (the workspace's) keys
        // come in the order sent.
        let mut keys: Vec<&String> = later.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["function", "index"],
            "later chunks carry only index + arguments"
        );
        assert_eq!(later["function"].as_object().unwrap().len(), 1);
    }
    let joined: String = first_call
        .iter()
        .map(|c| c["function"]["arguments"].as_str().unwrap())
        .collect();
    assert_eq!(serde_json::from_str::<Value>(&joined).unwrap(), args);

    let second_opening = tool_chunks.iter().find(|c| c["index"] == 1).unwrap();
    assert_eq!(second_opening["id"], "call_def");
    assert_eq!(
        chunks.last().unwrap()["choices"][0]["finish_reason"],
        "tool_calls"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn malformed_raw_arguments_are_streamed_verbatim() {
    let server = MockLlmServer::start([MockResponse::text_then_tool_calls(
        "Let me look.",
        vec![MockToolCall::raw(
            "call_1",
            "read",
            r#"{"filePath": "a.rs""#,
        )],
    )]);

    let response = post(&server, "/chat/completions", &chat_request(false)).await;
    let chunks = chunks(&data_events(&response.text().await.unwrap()));

    let text: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(text, "Let me look.");
    let arguments: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"].as_str())
        .collect();
    assert_eq!(arguments, r#"{"filePath": "a.rs""#);
}

#[tokio::test(flavor = "current_thread")]
async fn usage_chunk_without_choices_follows_the_finish_when_include_usage_is_asked() {
    let usage = MockUsage {
        prompt_tokens: 120,
        completion_tokens: 30,
        cached_tokens: 64,
    };
    let server = MockLlmServer::start([MockResponse::text("Done.").with_usage(usage)]);

    let response = post(&server, "/v1/chat/completions", &chat_request(true)).await;
    let events = data_events(&response.text().await.unwrap());
    let chunks = chunks(&events);

    let (usage_chunk, others) = chunks.split_last().unwrap();
    assert_eq!(usage_chunk["choices"], json!([]));
    assert_eq!(usage_chunk["usage"]["prompt_tokens"], 120);
    assert_eq!(usage_chunk["usage"]["completion_tokens"], 30);
    assert_eq!(usage_chunk["usage"]["total_tokens"], 150);
    assert_eq!(
        usage_chunk["usage"]["prompt_tokens_details"]["cached_tokens"],
        64
    );
    assert!(others.iter().all(|chunk| chunk["usage"].is_null()));
    assert_eq!(
        others.last().unwrap()["choices"][0]["finish_reason"],
        "stop"
    );
    assert_eq!(events.last().unwrap(), "[DONE]");
}

#[tokio::test(flavor = "current_thread")]
async fn every_request_is_recorded_with_lowercased_headers_and_json_body() {
    let server = MockLlmServer::start([MockResponse::text("one"), MockResponse::text("two")]);

    let body = chat_request(true);
    post(&server, "/v1/chat/completions", &body)
        .await
        .text()
        .await
        .unwrap();
    post(&server, "/v1/chat/completions", &body)
        .await
        .text()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/v1/chat/completions");
    assert_eq!(requests[0].body, body);
    assert_eq!(requests[0].headers["authorization"], "Bearer sk-test");
    assert_eq!(requests[0].header("Content-Type"), Some("application/json"));
    assert_eq!(requests[0].messages()[0]["content"], "hi");
    assert_eq!(server.remaining(), 0);
}

#[tokio::test(flavor = "current_thread")]
async fn each_request_records_when_it_arrived_and_when_its_answer_was_sent() {
    let server = MockLlmServer::start([
        MockResponse::text("streamed"),
        MockResponse::text("not streamed"),
    ]);

    post(&server, "/v1/chat/completions", &chat_request(true))
        .await
        .text()
        .await
        .unwrap();
    let plain = json!({ "model": "gpt-4o", "messages": [{ "role": "user", "content": "hi" }] });
    let response = post(&server, "/v1/chat/completions", &plain).await;
    // A whole-body answer keeps its length: stamping does not make it chunked.
    assert!(response.headers().contains_key("content-length"));
    response.text().await.unwrap();

    let requests = server.requests();
    let (first, second) = (&requests[0], &requests[1]);
    let first_sent = first.responded_at.expect("the streamed answer was sent");
    let second_sent = second.responded_at.expect("the whole answer was sent");
    assert!(first.received_at <= first_sent);
    assert!(first_sent <= second.received_at);
    assert!(second.received_at <= second_sent);
    assert_eq!(first.response_time(), Some(first_sent - first.received_at));
}

#[tokio::test(flavor = "current_thread")]
async fn a_stream_cut_on_purpose_has_no_sent_time() {
    let server = MockLlmServer::start([MockResponse::drop_mid_stream("Never finished.")]);

    let mut response = post(&server, "/v1/chat/completions", &chat_request(true)).await;
    while let Ok(Some(_)) = response.chunk().await {}

    let requests = server.requests();
    assert_eq!(requests[0].responded_at, None);
    assert_eq!(requests[0].response_time(), None);
}

#[tokio::test(flavor = "current_thread")]
async fn error_answers_with_its_status_and_an_openai_error_body() {
    let server = MockLlmServer::start([
        MockResponse::error(401, "Incorrect API key provided"),
        MockResponse::error(429, "Rate limit reached"),
    ]);

    let unauthorized = post(&server, "/v1/chat/completions", &chat_request(true)).await;
    assert_eq!(unauthorized.status(), 401);
    let body: Value = unauthorized.json().await.unwrap();
    assert_eq!(body["error"]["message"], "Incorrect API key provided");
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert_eq!(body["error"]["code"], "invalid_api_key");

    let limited = post(&server, "/v1/chat/completions", &chat_request(true)).await;
    assert_eq!(limited.status(), 429);
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limit_exceeded");
}

#[tokio::test(flavor = "current_thread")]
async fn request_past_the_end_of_the_script_gets_500_saying_the_script_is_exhausted() {
    let server = MockLlmServer::start([MockResponse::text("only answer")]);
    post(&server, "/v1/chat/completions", &chat_request(true))
        .await
        .text()
        .await
        .unwrap();

    let response = post(&server, "/v1/chat/completions", &chat_request(true)).await;
    assert_eq!(response.status(), 500);
    let body: Value = response.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("mock script is exhausted"), "{message}");
    assert!(message.contains("#2"), "{message}");
}

#[tokio::test(flavor = "current_thread")]
async fn dropped_stream_sends_part_of_the_text_then_breaks_without_done() {
    let server = MockLlmServer::start([MockResponse::drop_mid_stream(
        "This answer will never be finished by the model.",
    )]);

    let mut response = post(&server, "/v1/chat/completions", &chat_request(true)).await;
    assert_eq!(response.status(), 200);
    let mut received = Vec::new();
    let error = loop {
        match response.chunk().await {
            Ok(Some(bytes)) => received.extend_from_slice(&bytes),
            Ok(None) => panic!("the stream ended cleanly instead of breaking"),
            Err(error) => break error,
        }
    };
    assert!(error.is_body() || error.is_decode(), "{error:?}");
    let events = data_events(&String::from_utf8(received).unwrap());
    assert!(!events.iter().any(|data| data == "[DONE]"));
    let text: String = chunks(&events)
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert!(!text.is_empty());
    assert!("This answer will never be finished by the model.".starts_with(&text));
    assert!(text.len() < "This answer will never be finished by the model.".len());
}

#[tokio::test(flavor = "current_thread")]
async fn request_without_stream_gets_one_chat_completion_object() {
    let server = MockLlmServer::start([MockResponse::tool_calls(vec![MockToolCall::new(
        "call_1",
        "list",
        json!({ "path": "." }),
    )])]);

    let body = json!({ "model": "gpt-4o", "messages": [{ "role": "user", "content": "hi" }] });
    let response = post(&server, "/v1/chat/completions", &body).await;
    let completion: Value = response.json().await.unwrap();
    assert_eq!(completion["object"], "chat.completion");
    let choice = &completion["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    assert_eq!(choice["message"]["tool_calls"][0]["id"], "call_1");
    assert_eq!(
        choice["message"]["tool_calls"][0]["function"]["arguments"],
        r#"{"path":"."}"#
    );
}

#[tokio::test(flavor = "current_thread")]
async fn unknown_path_is_recorded_and_answered_404_without_using_the_script() {
    let server = MockLlmServer::start([MockResponse::text("kept")]);

    let response = post(&server, "/v1/embeddings", &json!({ "input": "x" })).await;
    assert_eq!(response.status(), 404);
    assert_eq!(server.requests()[0].path, "/v1/embeddings");
    assert_eq!(server.remaining(), 1);
}

#[test]
fn starts_and_serves_from_a_plain_sync_test() {
    let server = MockLlmServer::start([MockResponse::text("sync works")]);
    server.push(MockResponse::text("pushed later"));
    assert!(server.base_url().starts_with("http://127.0.0.1:"));
    assert!(server.base_url().ends_with("/v1"));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let texts = runtime.block_on(async {
        let mut texts = Vec::new();
        for _ in 0..2 {
            let response = post(&server, "/v1/chat/completions", &chat_request(false)).await;
            texts.push(response.text().await.unwrap());
        }
        texts
    });
    assert!(texts[0].contains("sync"));
    assert!(texts[1].contains("pushed"));
}

#[test]
fn dropping_the_server_closes_its_port() {
    let server = MockLlmServer::start([]);
    let addr = server.addr();
    assert!(std::net::TcpStream::connect(addr).is_ok());
    drop(server);
    assert!(std::net::TcpStream::connect(addr).is_err());
}

#[tokio::test(flavor = "current_thread")]
async fn a_browser_preflight_is_allowed_without_using_the_script() {
    let server = MockLlmServer::start([MockResponse::text("kept")]);

    let response = reqwest::Client::new()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/chat/completions", server.base_url()),
        )
        .header("origin", "http://127.0.0.1:8080")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 204);
    let headers = response.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert_eq!(
        headers["access-control-allow-headers"],
        "authorization, content-type"
    );
    assert!(
        headers["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );
    assert_eq!(server.remaining(), 1);
    assert_eq!(server.requests()[0].method, "OPTIONS");
}

#[tokio::test(flavor = "current_thread")]
async fn every_answer_may_be_read_from_any_origin() {
    let server = MockLlmServer::start([MockResponse::text("hello page")]);

    let streamed = post(&server, "/v1/chat/completions", &chat_request(false)).await;
    let missing = post(&server, "/v1/embeddings", &json!({ "input": "x" })).await;
    let exhausted = post(&server, "/v1/chat/completions", &chat_request(false)).await;

    for (response, status) in [(streamed, 200), (missing, 404), (exhausted, 500)] {
        assert_eq!(response.status(), status);
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        assert!(
            response.headers()["access-control-allow-headers"]
                .to_str()
                .unwrap()
                .contains("authorization")
        );
    }
}
