//! `Anthropic` against the mock LLM server speaking the Messages API over
//! real sockets: what it sends, how it reads streamed answers, and how
//! failures read.

// Test code: helpers outside #[test] fns fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_providers::{Anthropic, AnthropicConfig};
use code_mesh_runtime::model::{
    ChatMessage, FinishReason, ModelEvent, ModelRequest, Reasoning, ToolCall, ToolSpec, Usage,
};
use code_mesh_runtime::provider::{Provider, ProviderError};
use code_mesh_test_support::{MockLlmServer, MockResponse, MockToolCall, MockUsage};
use futures::StreamExt;
use serde_json::json;

/// The server's root, as `ANTHROPIC_BASE_URL` would name it.
fn root(server: &MockLlmServer) -> String {
    format!("http://{}", server.addr())
}

fn provider(server: &MockLlmServer) -> Anthropic {
    AnthropicConfig::new("anthropic")
        .base_url(root(server))
        .api_key("sk-ant-test")
        .build()
        .unwrap()
}

fn ask(text: &str) -> ModelRequest {
    ModelRequest {
        model: "claude-test".into(),
        messages: vec![ChatMessage::User {
            content: text.into(),
        }],
        ..ModelRequest::default()
    }
}

/// Every item of the answer to `request`.
async fn answer(
    provider: &Anthropic,
    request: ModelRequest,
) -> Vec<Result<ModelEvent, ProviderError>> {
    provider.stream(request).await.unwrap().collect().await
}

fn texts(events: &[Result<ModelEvent, ProviderError>]) -> Vec<String> {
    events
        .iter()
        .filter_map(|event| match event {
            Ok(ModelEvent::TextDelta(text)) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

async fn failure(server: &MockLlmServer) -> ProviderError {
    provider(server).stream(ask("hi")).await.err().unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn streamed_text_arrives_as_several_deltas_then_usage_with_cache_reads_and_finish() {
    let server = MockLlmServer::start([MockResponse::text("Hello there, how are you today?")
        .with_usage(MockUsage {
            prompt_tokens: 42,
            completion_tokens: 7,
            cached_tokens: 32,
        })]);

    let events = answer(&provider(&server), ask("hi")).await;

    let pieces = texts(&events);
    assert!(pieces.len() > 3, "{pieces:?}");
    assert_eq!(pieces.concat(), "Hello there, how are you today?");
    let tail: Vec<_> = events[events.len() - 2..]
        .iter()
        .map(|event| event.as_ref().unwrap())
        .collect();
    assert_eq!(
        tail,
        [
            &ModelEvent::Usage(Usage {
                input_tokens: 42,
                output_tokens: 7,
                cached_input_tokens: 32,
            }),
            &ModelEvent::Finished(FinishReason::Stop),
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn tool_calls_are_reassembled_from_fragments_with_the_models_ids() {
    let server = MockLlmServer::start([MockResponse::text_then_tool_calls(
        "Let me look.",
        vec![
            MockToolCall::new("toolu_01Read", "read", json!({"filePath": "src/main.rs"})),
            MockToolCall::new("toolu_02List", "list", json!({})),
        ],
    )]);

    let events = answer(&provider(&server), ask("look")).await;

    assert_eq!(texts(&events).concat(), "Let me look.");
    let calls: Vec<ToolCall> = events
        .iter()
        .filter_map(|event| match event {
            Ok(ModelEvent::ToolCall(call)) => Some(call.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        calls,
        vec![
            ToolCall {
                id: "toolu_01Read".into(),
                name: "read".into(),
                arguments: r#"{"filePath":"src/main.rs"}"#.into(),
            },
            ToolCall {
                id: "toolu_02List".into(),
                name: "list".into(),
                arguments: "{}".into(),
            },
        ]
    );
    assert_eq!(
        events.last().unwrap().as_ref().unwrap(),
        &ModelEvent::Finished(FinishReason::ToolCalls)
    );
}

#[tokio::test(flavor = "current_thread")]
async fn thinking_comes_out_whole_with_its_signature_before_the_text() {
    let server = MockLlmServer::start([
        MockResponse::text("Done.").with_thinking("First I should check the file.")
    ]);

    let events = answer(&provider(&server), ask("hi")).await;

    assert_eq!(
        events[0],
        Ok(ModelEvent::Reasoning(Reasoning {
            text: "First I should check the file.".into(),
            signature: "mock-signature-1".into(),
            redacted: None,
        }))
    );
    assert_eq!(texts(&events).concat(), "Done.");
}

#[tokio::test(flavor = "current_thread")]
async fn request_carries_cached_system_tool_results_under_their_ids_and_the_headers() {
    let server = MockLlmServer::start([MockResponse::text("ok")]);
    let request = ModelRequest {
        model: "claude-test".into(),
        messages: vec![
            ChatMessage::System {
                content: "You are a coder.".into(),
            },
            ChatMessage::User {
                content: "Show main.rs".into(),
            },
            ChatMessage::Assistant {
                content: String::new(),
                tool_calls: vec![ToolCall {
                    id: "toolu_7".into(),
                    name: "read".into(),
                    arguments: r#"{"filePath":"main.rs"}"#.into(),
                }],
            },
            ChatMessage::Tool {
                call_id: "toolu_7".into(),
                content: "fn main() {}".into(),
            },
        ],
        tools: vec![ToolSpec {
            name: "read".into(),
            description: "Read a file".into(),
            parameters: json!({"type": "object", "properties": {"filePath": {"type": "string"}}}),
        }],
        max_output_tokens: Some(1000),
        ..ModelRequest::default()
    };

    answer(&provider(&server), request).await;

    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/v1/messages");
    assert_eq!(sent.header("x-api-key"), Some("sk-ant-test"));
    assert_eq!(sent.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.header("content-type"), Some("application/json"));
    let body = &sent.body;
    assert_eq!(body["model"], "claude-test");
    assert_eq!(body["max_tokens"], 1000);
    assert_eq!(body["stream"], true);
    assert_eq!(
        body["system"],
        json!([{"type": "text", "text": "You are a coder.",
                "cache_control": {"type": "ephemeral"}}])
    );
    assert_eq!(body["tools"][0]["name"], "read");
    assert_eq!(body["tools"][0]["input_schema"]["type"], "object");
    assert_eq!(
        body["messages"],
        json!([
            {"role": "user", "content": [{"type": "text", "text": "Show main.rs"}]},
            {"role": "assistant", "content": [
                {"type": "tool_use", "id": "toolu_7", "name": "read",
                 "input": {"filePath": "main.rs"}},
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_7", "content": "fn main() {}",
                 "cache_control": {"type": "ephemeral"}},
            ]},
        ])
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_base_url_ending_in_v1_reaches_the_messages_endpoint() {
    let server = MockLlmServer::start([MockResponse::text("ok")]);
    let provider = AnthropicConfig::new("anthropic")
        .base_url(server.base_url())
        .api_key("k")
        .build()
        .unwrap();

    let events = answer(&provider, ask("hi")).await;

    assert_eq!(texts(&events).concat(), "ok");
    assert_eq!(server.requests()[0].path, "/v1/messages");
}

#[tokio::test(flavor = "current_thread")]
async fn rejected_key_is_unauthorized_naming_the_variable() {
    let server = MockLlmServer::start([MockResponse::error(401, "invalid x-api-key")]);

    let error = failure(&server).await;

    assert_eq!(
        error,
        ProviderError::Unauthorized {
            provider: "anthropic".into(),
            status: 401,
            message: "invalid x-api-key".into(),
            env_var: "ANTHROPIC_API_KEY".into(),
        }
    );
    assert!(error.to_string().contains("ANTHROPIC_API_KEY"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn rate_limit_is_transient_and_carries_retry_after() {
    let server = MockLlmServer::start([
        MockResponse::error(429, "Number of requests too high").with_retry_after_secs(2)
    ]);

    let error = failure(&server).await;

    assert_eq!(
        error,
        ProviderError::RateLimited {
            provider: "anthropic".into(),
            message: "Number of requests too high".into(),
            retry_after_ms: Some(2000),
        }
    );
    assert!(error.is_transient());
}

#[tokio::test(flavor = "current_thread")]
async fn overloaded_529_is_a_transient_http_error() {
    let server = MockLlmServer::start([MockResponse::error(529, "Overloaded")]);

    let error = failure(&server).await;

    assert!(
        matches!(&error, ProviderError::Http { status: 529, message, .. } if message == "Overloaded"),
        "{error:?}"
    );
    assert!(error.is_transient());
}

#[tokio::test(flavor = "current_thread")]
async fn unknown_model_is_model_not_found_naming_it() {
    let server = MockLlmServer::start([MockResponse::error(404, "model: claude-test")]);

    let error = failure(&server).await;

    assert!(
        matches!(&error, ProviderError::ModelNotFound { model, .. } if model == "claude-test"),
        "{error:?}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn prompt_too_long_is_context_length_exceeded() {
    let server = MockLlmServer::start([MockResponse::error(
        400,
        "prompt is too long: 212000 tokens > 200000 maximum",
    )]);

    let error = failure(&server).await;

    assert!(
        matches!(error, ProviderError::ContextLengthExceeded { .. }),
        "{error:?}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn dropped_stream_yields_the_text_so_far_then_a_stream_error() {
    let server = MockLlmServer::start([MockResponse::drop_mid_stream(
        "This sentence is cut off somewhere in the middle.",
    )]);

    let events = answer(&provider(&server), ask("hi")).await;

    assert!(!texts(&events).is_empty());
    let (last, before) = events.split_last().unwrap();
    assert!(
        matches!(last, Err(ProviderError::Stream { provider, .. }) if provider == "anthropic"),
        "{last:?}"
    );
    assert!(
        before
            .iter()
            .all(|event| matches!(event, Ok(ModelEvent::TextDelta(_))))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn max_tokens_stop_is_a_length_finish() {
    let server =
        MockLlmServer::start([MockResponse::text("truncated answ").with_finish_reason("length")]);

    let events = answer(&provider(&server), ask("hi")).await;

    assert_eq!(
        events.last().unwrap().as_ref().unwrap(),
        &ModelEvent::Finished(FinishReason::Length)
    );
}

#[tokio::test(flavor = "current_thread")]
async fn unreachable_server_is_unreachable_naming_the_url() {
    let base_url = {
        let server = MockLlmServer::start([]);
        root(&server)
    };
    let provider = AnthropicConfig::new("anthropic")
        .base_url(&base_url)
        .api_key("k")
        .build()
        .unwrap();

    let error = provider.stream(ask("hi")).await.err().unwrap();

    let ProviderError::Unreachable { url, .. } = &error else {
        panic!("not unreachable: {error:?}")
    };
    assert_eq!(url, &base_url);
    assert!(error.is_transient());
}

#[tokio::test(flavor = "current_thread")]
async fn one_provider_serves_consecutive_requests() {
    let server = MockLlmServer::start([MockResponse::text("first"), MockResponse::text("second")]);
    let provider = provider(&server);

    let first = texts(&answer(&provider, ask("1")).await).concat();
    let second = texts(&answer(&provider, ask("2")).await).concat();

    assert_eq!((first.as_str(), second.as_str()), ("first", "second"));
}

/// Agents call providers from actix actors: the same stream works inside an
/// actix `System`.
#[actix::test]
async fn streams_inside_an_actix_system() {
    let server = MockLlmServer::start([MockResponse::text("from an actor's runtime")]);

    let events = answer(&provider(&server), ask("hi")).await;

    assert_eq!(texts(&events).concat(), "from an actor's runtime");
}
