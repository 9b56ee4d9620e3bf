//! [`decode_sse`]: a recorded chat-completions body decoded exactly as a
//! live answer is, without a server.
//!
//! A live answer's bytes go through async-openai (its SSE reader, `[DONE]`
//! and keep-alive handling, our lenient [`ChatChunk`]s) and then our
//! [`model_events`]. Here the same client is built over an HTTP service
//! that answers with the recorded bytes, in the chunks given, instead of
//! sending anything, so a test can feed it any split of a recording and a
//! bench can time the decoding alone. Native only: `reqwest` can wrap a
//! byte stream into a response body only there.

use super::chunk::ChatChunk;
use super::client_config::ClientConfig;
use super::errors::ErrorContext;
use super::request::{MaxTokensField, chat_request};
use super::stream::model_events;
use async_openai::Client;
use async_openai::error::OpenAIError;
use async_openai::middleware::HttpRequestFactory;
use code_mesh_runtime::model::ModelRequest;
use code_mesh_runtime::provider::{ModelStream, ProviderError};
use futures::StreamExt;
use futures::future::BoxFuture;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::task::{Context, Poll};

/// The base URL named in errors; nothing is ever sent to it.
const REPLAY_URL: &str = "http://replay.invalid/v1";

/// Decodes a chat-completions event stream, delivered in `chunks`, into the
/// model events a live answer with the same bytes yields.
///
/// Where the chunks are cut does not matter (mid-line, mid-UTF-8
/// character, one byte each): the events are the same. Needs a tokio
/// runtime, as async-openai reads the body on a spawned task.
///
/// ```
/// use code_mesh_providers::openai_compat::decode_sse;
/// use code_mesh_runtime::model::{FinishReason, ModelEvent};
/// use futures::StreamExt;
///
/// let body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n\
///             data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n\
///             data: [DONE]\n\n";
/// let (a, b) = body.as_bytes().split_at(20);
/// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
/// let events: Vec<_> =
///     runtime.block_on(decode_sse("openai", vec![a.to_vec(), b.to_vec()]).collect());
/// assert_eq!(events[0], Ok(ModelEvent::TextDelta("Hi".into())));
/// assert_eq!(events.last(), Some(&Ok(ModelEvent::Finished(FinishReason::Stop))));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn decode_sse(provider_id: impl Into<String>, chunks: Vec<Vec<u8>>) -> ModelStream {
    let errors = ErrorContext {
        provider: provider_id.into(),
        base_url: REPLAY_URL.to_string(),
        api_key_env: String::new(),
    };
    futures::stream::once(async move {
        let failed = |message: String| ProviderError::Stream {
            provider: errors.provider.clone(),
            message,
        };
        let config = ClientConfig::new(REPLAY_URL.to_string(), None, &[])
            .map_err(|invalid| failed(invalid.0))?;
        let client =
            Client::build(http_client().map_err(failed)?, config).with_http_service(Recorded {
                chunks: Arc::new(Mutex::new(Some(chunks))),
            });
        let body = chat_request(ModelRequest::default(), MaxTokensField::MaxTokens);
        let chunks = client
            .chat()
            .create_stream_byot::<_, ChatChunk>(body)
            .await
            .map_err(|error| failed(format!("cannot replay the recording: {error}")))?;
        Ok::<_, ProviderError>(model_events(chunks, errors))
    })
    .flat_map(|replay| match replay {
        Ok(events) => events,
        Err(error) => futures::stream::once(async { Err(error) }).boxed_local(),
    })
    .boxed_local()
}

/// The client async-openai builds requests with; never used to send
/// (the service below answers instead), and made once because building one
/// sets up TLS.
fn http_client() -> Result<reqwest::Client, String> {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(client) = CLIENT.get() {
        return Ok(client.clone());
    }
    let client = reqwest::Client::builder()
        .build()
        .map_err(|error| format!("cannot set up an HTTP client: {error}"))?;
    Ok(CLIENT.get_or_init(|| client).clone())
}

/// An HTTP service answering the one request with the recorded body.
#[derive(Clone)]
struct Recorded {
    chunks: Arc<Mutex<Option<Vec<Vec<u8>>>>>,
}

impl tower::Service<HttpRequestFactory> for Recorded {
    type Response = reqwest::Response;
    type Error = OpenAIError;
    type Future = BoxFuture<'static, Result<reqwest::Response, OpenAIError>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _request: HttpRequestFactory) -> Self::Future {
        let chunks = self
            .chunks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_default();
        Box::pin(async move {
            let frames = futures::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>));
            let response = http::Response::new(reqwest::Body::wrap_stream(frames));
            Ok(reqwest::Response::from(response))
        })
    }
}
