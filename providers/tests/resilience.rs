//! Retries, backoff and the idle timeout against the mock LLM server over
//! real sockets: what is sent again, after how long, and how giving up reads.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_providers::{
    Backoff, IdleTimeout, OpenAiCompatible, OpenAiCompatibleConfig, RetryPolicy, Retrying,
    resilient,
};
use code_mesh_runtime::config::ProviderSettings;
use code_mesh_runtime::model::{ChatMessage, ModelEvent, ModelRequest};
use code_mesh_runtime::provider::{Provider, ProviderError};
use code_mesh_test_support::{MockLlmServer, MockResponse};
use futures::StreamExt;
use std::net::TcpListener;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn openai_at(base_url: &str) -> OpenAiCompatible {
    OpenAiCompatibleConfig::new("mock")
        .base_url(base_url)
        .api_key("sk-test")
        .build()
        .unwrap()
}

/// Retries with waits of a few ms at most, so tests that exhaust them are quick.
fn quick_retries(inner: OpenAiCompatible) -> Retrying<OpenAiCompatible> {
    let backoff = Backoff::new().base(Duration::from_millis(5));
    Retrying::with_policy(inner, RetryPolicy::new().backoff(backoff))
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

async fn collect(
    provider: &impl Provider,
    request: ModelRequest,
) -> Vec<Result<ModelEvent, ProviderError>> {
    provider.stream(request).await.unwrap().collect().await
}

fn text_of(events: &[Result<ModelEvent, ProviderError>]) -> String {
    events
        .iter()
        .filter_map(|event| match event {
            Ok(ModelEvent::TextDelta(text)) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn rate_limit_with_retry_after_is_waited_out_then_answered() {
    let server = MockLlmServer::start([
        MockResponse::error(429, "Rate limit reached for requests").with_retry_after_secs(1),
        MockResponse::text("Answered after the wait."),
    ]);
    let provider = Retrying::new(openai_at(&server.base_url()));

    let started = Instant::now();
    let events = collect(&provider, ask("hi")).await;

    assert_eq!(text_of(&events), "Answered after the wait.");
    assert_eq!(server.requests().len(), 2);
    // The default backoff's first wait is at most 500 ms: only honouring
    // `Retry-After: 1` makes it this long.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(900), "waited {waited:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn three_server_errors_give_up_after_exactly_three_requests() {
    let server = MockLlmServer::start([
        MockResponse::error(500, "The server had an error"),
        MockResponse::error(502, "Bad gateway"),
        MockResponse::error(500, "The server had an error again"),
        MockResponse::text("a fourth request would get this"),
    ]);
    let provider = quick_retries(openai_at(&server.base_url()));

    let error = provider.stream(ask("hi")).await.err().unwrap();

    assert_eq!(server.requests().len(), 3);
    assert_eq!(server.remaining(), 1);
    let ProviderError::Http {
        status, message, ..
    } = &error
    else {
        panic!("expected an HTTP error, got {error:?}");
    };
    assert_eq!(*status, 500);
    assert!(
        message.contains("The server had an error again"),
        "{message}"
    );
    let text = error.to_string();
    assert!(text.contains("gave up after 3 attempts"), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[tokio::test(flavor = "current_thread")]
async fn configured_retry_count_is_the_number_of_requests_sent_again() {
    let server = MockLlmServer::start([
        MockResponse::error(503, "busy"),
        MockResponse::error(503, "busy"),
        MockResponse::error(503, "busy"),
        MockResponse::error(503, "busy"),
        MockResponse::text("fifth time lucky"),
    ]);
    let backoff = Backoff::new().base(Duration::from_millis(5));
    let provider = Retrying::with_policy(
        openai_at(&server.base_url()),
        RetryPolicy::new().retries(4).backoff(backoff),
    );

    let events = collect(&provider, ask("hi")).await;

    assert_eq!(text_of(&events), "fifth time lucky");
    assert_eq!(server.requests().len(), 5);
}

#[tokio::test(flavor = "current_thread")]
async fn rejected_key_is_not_retried() {
    let server = MockLlmServer::start([
        MockResponse::error(401, "Incorrect API key provided"),
        MockResponse::text("a retry would get this"),
    ]);
    let provider = quick_retries(openai_at(&server.base_url()));

    let error = provider.stream(ask("hi")).await.err().unwrap();

    assert!(
        matches!(error, ProviderError::Unauthorized { .. }),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn unreachable_server_is_retried_then_reported() {
    // A server that accepts each connection and closes it at once.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    let provider = quick_retries(openai_at(&base_url));

    let error = provider.stream(ask("hi")).await.err().unwrap();

    let ProviderError::Unreachable { url, .. } = &error else {
        panic!("expected Unreachable, got {error:?}");
    };
    assert_eq!(url, &base_url);
    assert!(
        error.to_string().contains("gave up after 3 attempts"),
        "{error}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}

#[tokio::test(flavor = "current_thread")]
async fn stream_dropped_midway_is_not_retried_and_ends_with_a_stream_error() {
    let server = MockLlmServer::start([
        MockResponse::drop_mid_stream("This sentence is cut off somewhere in the middle."),
        MockResponse::text("a retry would get this"),
    ]);
    let provider = quick_retries(openai_at(&server.base_url()));

    let events = collect(&provider, ask("hi")).await;

    assert!(!text_of(&events).is_empty(), "{events:?}");
    let last = events.last().unwrap();
    assert!(
        matches!(last, Err(ProviderError::Stream { provider, .. }) if provider == "mock"),
        "{last:?}"
    );
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.remaining(), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn stalled_stream_ends_with_an_idle_timeout_error() {
    let server = MockLlmServer::start([
        MockResponse::stall_after("The server goes quiet halfway through this answer."),
        MockResponse::text("a retry would get this"),
    ]);
    let watched = IdleTimeout::new(
        openai_at(&server.base_url()),
        "mock",
        Duration::from_millis(300),
    );
    let provider = Retrying::new(watched);

    let started = Instant::now();
    let events = collect(&provider, ask("hi")).await;

    assert!(!text_of(&events).is_empty(), "{events:?}");
    let Some(Err(ProviderError::Stream { message, .. })) = events.last() else {
        panic!("expected a stream error last, got {events:?}");
    };
    assert!(message.contains("no data from mock for 0.3 s"), "{message}");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        server.requests().len(),
        1,
        "a stalled answer is not retried"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn dropping_the_request_during_the_wait_sends_nothing_more() {
    let server = MockLlmServer::start([
        MockResponse::error(429, "slow down").with_retry_after_secs(1),
        MockResponse::text("a retry would get this"),
    ]);
    let provider = Retrying::new(openai_at(&server.base_url()));

    let gave_up =
        tokio::time::timeout(Duration::from_millis(200), provider.stream(ask("hi"))).await;
    assert!(gave_up.is_err(), "the request should still be waiting");
    tokio::time::sleep(Duration::from_millis(1_300)).await;

    assert_eq!(server.requests().len(), 1, "no retry after the drop");
}

#[tokio::test(flavor = "current_thread")]
async fn settings_choose_the_retry_count_and_the_idle_timeout() {
    let server = MockLlmServer::start([
        MockResponse::error(500, "The server had an error"),
        MockResponse::stall_after("Quiet after this."),
    ]);
    let settings = ProviderSettings {
        retries: Some(0),
        timeout: Some(250),
        ..ProviderSettings::default()
    };
    let provider = resilient(Rc::new(openai_at(&server.base_url())), "mock", &settings);

    let error = provider.stream(ask("first")).await.err().unwrap();
    assert!(
        matches!(error, ProviderError::Http { status: 500, .. }),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1, "retries: 0 sends once");

    let events = collect(&provider, ask("second")).await;
    let Some(Err(ProviderError::Stream { message, .. })) = events.last() else {
        panic!("expected a stream error last, got {events:?}");
    };
    assert!(message.contains("0.25 s"), "{message}");
    assert!(message.contains("provider.mock.timeout"), "{message}");
}
