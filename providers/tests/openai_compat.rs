//! `OpenAiCompatible` against the mock LLM server over real sockets: what
//! it sends, how it reads streamed answers, and how failures read.

// Test code: helpers outside #[test] fns fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_providers::{OpenAiCompatible, OpenAiCompatibleConfig};
use code_mesh_runtime::model::{
    ChatMessage, FinishReason, ModelEvent, ModelRequest, ToolCall, ToolSpec, Usage,
};
use code_mesh_runtime::provider::{Provider, ProviderError};
use code_mesh_test_support::{MockLlmServer, MockResponse, MockToolCall, MockUsage};
use futures::StreamExt;
use serde_json::json;

fn provider(server: &MockLlmServer) -> OpenAiCompatible {
    OpenAiCompatibleConfig::new("mock")
        .base_url(server.base_url())
        .api_key("sk-test")
        .build()
        .unwrap()
}

fn ask(text: &str) -> ModelRequest {
    ModelRequest {
        model: "gpt-4o".into(),
        messages: vec![ChatMessage::User {
            content: text.into(),
        }],
        ..ModelRequest::default()
    }
}

/// Every item of the answer to `request`.
async fn answer(
    provider: &OpenAiCompatible,
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

#[tokio::test(flavor = "current_thread")]
async fn streamed_text_arrives_as_several_deltas_then_usage_and_finish() {
    let server = MockLlmServer::start([MockResponse::text("Hello there, how are you today?")
        .with_usage(MockUsage {
            prompt_tokens: 42,
            completion_tokens: 7,
            cached_tokens: 32,
        })]);

    let events = answer(&provider(&server), ask("hi")).await;

    let deltas = texts(&events);
    assert!(deltas.len() >= 3, "{deltas:?}");
    assert_eq!(deltas.concat(), "Hello there, how are you today?");
    let tail: Vec<&ModelEvent> = events[deltas.len()..]
        .iter()
        .map(|e| e.as_ref().unwrap())
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
async fn tool_calls_split_across_chunks_are_reassembled_with_their_ids() {
    let read_args = json!({ "filePath": "src/lib.rs", "offset": 1, "limit": 50 });
    let server = MockLlmServer::start([MockResponse::text_then_tool_calls(
        "Let me read both.",
        vec![
            MockToolCall::new("call_read_1", "read", read_args.clone()),
            MockToolCall::raw("call_bad_2", "glob", r#"{"pattern": "**/*.rs""#),
        ],
    )]);

    let events = answer(&provider(&server), ask("read")).await;

    let calls: Vec<&ToolCall> = events
        .iter()
        .filter_map(|event| match event {
            Ok(ModelEvent::ToolCall(call)) => Some(call),
            _ => None,
        })
        .collect();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].id, "call_read_1");
    assert_eq!(calls[0].name, "read");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&calls[0].arguments).unwrap(),
        read_args
    );
    assert_eq!(calls[1].id, "call_bad_2");
    assert_eq!(
        calls[1].arguments, r#"{"pattern": "**/*.rs""#,
        "kept verbatim"
    );
    assert_eq!(texts(&events).concat(), "Let me read both.");
    assert_eq!(
        events.last().unwrap().as_ref().unwrap(),
        &ModelEvent::Finished(FinishReason::ToolCalls)
    );
}

#[tokio::test(flavor = "current_thread")]
async fn request_carries_tools_tool_call_ids_streaming_options_and_the_key() {
    let server = MockLlmServer::start([MockResponse::text("ok")]);
    let request = ModelRequest {
        model: "gpt-4o-mini".into(),
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
                    id: "call_7".into(),
                    name: "read".into(),
                    arguments: r#"{"filePath":"main.rs"}"#.into(),
                }],
            },
            ChatMessage::Tool {
                call_id: "call_7".into(),
                content: "fn main() {}".into(),
            },
        ],
        tools: vec![ToolSpec {
            name: "read".into(),
            description: "Read a file".into(),
            parameters: json!({ "type": "object", "properties": { "filePath": { "type": "string" } } }),
        }],
        max_output_tokens: Some(100),
        temperature: None,
    };

    answer(&provider(&server), request).await;

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.path, "/v1/chat/completions");
    assert_eq!(sent.header("authorization"), Some("Bearer sk-test"));
    assert_eq!(sent.body["model"], "gpt-4o-mini");
    assert_eq!(sent.body["stream"], true);
    assert_eq!(sent.body["stream_options"]["include_usage"], true);
    assert_eq!(
        sent.body["max_tokens"], 100,
        "non-OpenAI servers get max_tokens"
    );
    assert_eq!(sent.body["tools"][0]["type"], "function");
    assert_eq!(sent.body["tools"][0]["function"]["name"], "read");
    let messages = sent.messages();
    assert_eq!(messages[2]["tool_calls"][0]["id"], "call_7");
    assert_eq!(messages[3]["role"], "tool");
    assert_eq!(messages[3]["tool_call_id"], "call_7");
    assert_eq!(messages[3]["content"], "fn main() {}");
}

#[tokio::test(flavor = "current_thread")]
async fn local_server_without_a_key_gets_no_authorization_but_extra_headers() {
    let server = MockLlmServer::start([MockResponse::text("ok")]);
    let provider = OpenAiCompatibleConfig::new("ollama")
        .base_url(server.base_url())
        .header("X-Title", "Code Mesh")
        .build()
        .unwrap();

    answer(&provider, ask("hi")).await;

    let sent = &server.requests()[0];
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.header("x-title"), Some("Code Mesh"));
}

#[tokio::test(flavor = "current_thread")]
async fn http_401_is_unauthorized_naming_openai_api_key() {
    let server = MockLlmServer::start([MockResponse::error(401, "Incorrect API key provided")]);

    let error = provider(&server).stream(ask("hi")).await.err().unwrap();

    assert_eq!(
        error,
        ProviderError::Unauthorized {
            provider: "mock".into(),
            status: 401,
            message: "Incorrect API key provided".into(),
            env_var: "OPENAI_API_KEY".into(),
        }
    );
    assert!(error.to_string().contains("OPENAI_API_KEY"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn http_429_is_rate_limited_and_not_retried_here() {
    let server = MockLlmServer::start([
        MockResponse::error(429, "Rate limit reached for requests"),
        MockResponse::text("a retry would get this"),
    ]);

    let error = provider(&server).stream(ask("hi")).await.err().unwrap();

    assert_eq!(
        error,
        ProviderError::RateLimited {
            provider: "mock".into(),
            message: "Rate limit reached for requests".into(),
            retry_after_ms: None,
        }
    );
    assert!(error.is_transient());
    assert_eq!(
        server.requests().len(),
        1,
        "retries are the caller's decision"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn http_500_is_a_transient_http_error_with_the_server_message() {
    let server = MockLlmServer::start([MockResponse::error(500, "The server had an error")]);

    let error = provider(&server).stream(ask("hi")).await.err().unwrap();

    assert_eq!(
        error,
        ProviderError::Http {
            provider: "mock".into(),
            status: 500,
            message: "The server had an error".into(),
            retry_after_ms: None,
        }
    );
    assert!(error.is_transient());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn closed_port_is_unreachable_naming_the_base_url() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base_url = format!("http://127.0.0.1:{port}/v1");
    let provider = OpenAiCompatibleConfig::new("ollama")
        .base_url(&base_url)
        .build()
        .unwrap();

    let error = provider.stream(ask("hi")).await.err().unwrap();

    let ProviderError::Unreachable {
        provider,
        url,
        message,
    } = &error
    else {
        panic!("expected Unreachable, got {error:?}");
    };
    assert_eq!(provider, "ollama");
    assert_eq!(url, &base_url);
    assert!(message.to_lowercase().contains("refused"), "{message}");
    assert!(error.to_string().contains(&base_url));
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
        matches!(last, Err(ProviderError::Stream { provider, .. }) if provider == "mock"),
        "{last:?}"
    );
    assert!(
        !last.as_ref().unwrap_err().is_transient(),
        "half an answer was already shown"
    );
    assert!(
        before
            .iter()
            .all(|event| matches!(event, Ok(ModelEvent::TextDelta(_))))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn length_finish_reason_is_reported() {
    let server =
        MockLlmServer::start([MockResponse::text("truncated answ").with_finish_reason("length")]);

    let events = answer(&provider(&server), ask("hi")).await;

    assert_eq!(
        events.last().unwrap().as_ref().unwrap(),
        &ModelEvent::Finished(FinishReason::Length)
    );
}

#[tokio::test(flavor = "current_thread")]
async fn one_provider_serves_consecutive_requests() {
    let server = MockLlmServer::start([MockResponse::text("first"), MockResponse::text("second")]);
    let provider = provider(&server);

    let first = texts(&answer(&provider, ask("1")).await).concat();
    let second = texts(&answer(&provider, ask("2")).await).concat();

    assert_eq!((first.as_str(), second.as_str()), ("first", "second"));
    assert_eq!(server.requests().len(), 2);
}

/// Agents call providers from actix actors: the same stream works inside an
/// actix `System`.
#[actix::test]
async fn streams_inside_an_actix_system() {
    let server = MockLlmServer::start([MockResponse::text("from an actor's runtime")]);

    let events = answer(&provider(&server), ask("hi")).await;

    assert_eq!(texts(&events).concat(), "from an actor's runtime");
    assert!(matches!(
        events.last(),
        Some(Ok(ModelEvent::Finished(FinishReason::Stop)))
    ));
}
