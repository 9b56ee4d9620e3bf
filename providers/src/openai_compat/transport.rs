//! The HTTP transport under async-openai's client: one attempt per request,
//! and error statuses kept.
//!
//! async-openai's default transport retries 429s, 5xx and connection errors
//! with backoff (and sleeps on tokio's timer, which wasm lacks). Retrying is
//! done once for every provider, by [`Retrying`](crate::Retrying), so we
//! install this service through `Client::with_http_service` instead: it
//! sends the request once.
//!
//! It also reads error responses itself. async-openai parses a 4xx body as
//! OpenAI's `{"error":{…}}` and, when a compatible server answers in another
//! shape (`{"error":"…"}`, vLLM's `{"message":…}`, plain text), returns a
//! deserialization error that has lost the HTTP status, and it drops the
//! headers. Here every non-2xx response becomes a [`FailedResponse`] carrying
//! the status, the server's own message whatever the body's shape, and the
//! wait its `Retry-After` asks for; it travels through async-openai as
//! `OpenAIError::Boxed`.

use crate::retry_after::retry_after_ms;
use async_openai::error::{ApiError, OpenAIError};
use async_openai::middleware::HttpRequestFactory;
use reqwest::StatusCode;
use serde_json::Value;
use std::task::{Context, Poll};

/// Longest server message kept from a non-JSON error body, in characters.
const MAX_MESSAGE_CHARS: usize = 500;

#[cfg(not(target_family = "wasm"))]
type HttpFuture = futures::future::BoxFuture<'static, Result<reqwest::Response, OpenAIError>>;
// In wasm, reqwest's futures wrap JavaScript promises and are not `Send`.
#[cfg(target_family = "wasm")]
type HttpFuture = futures::future::LocalBoxFuture<'static, Result<reqwest::Response, OpenAIError>>;

/// A tower service sending each request exactly once with `reqwest`.
#[derive(Clone, Debug)]
pub(crate) struct SingleAttempt {
    client: reqwest::Client,
}

impl SingleAttempt {
    /// Sends through `client`.
    pub(crate) fn new(client: reqwest::Client) -> Self {
        Self { client }
    }
}

impl tower::Service<HttpRequestFactory> for SingleAttempt {
    type Response = reqwest::Response;
    type Error = OpenAIError;
    type Future = HttpFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, factory: HttpRequestFactory) -> Self::Future {
        let client = self.client.clone();
        Box::pin(async move {
            let request = factory.build().await?;
            let response = client.execute(request).await?;
            if response.status().is_success() {
                Ok(response)
            } else {
                Err(error_response(response).await)
            }
        })
    }
}

/// A non-2xx response, read: what the server said and how long it asked
/// us to wait before trying again.
#[derive(Debug, Clone)]
pub(crate) struct FailedResponse {
    pub(crate) status: StatusCode,
    pub(crate) error: ApiError,
    /// From `retry-after-ms` or `Retry-After`, when the server sent one.
    pub(crate) retry_after_ms: Option<u64>,
}

impl std::fmt::Display for FailedResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}: {}", self.status.as_u16(), self.error.message)
    }
}

impl std::error::Error for FailedResponse {}

/// Reads a failed response into a [`FailedResponse`].
async fn error_response(response: reqwest::Response) -> OpenAIError {
    let status = response.status();
    let retry_after_ms = retry_after_ms(response.headers());
    // A body that cannot be read still leaves the status to report.
    let body = response.bytes().await.unwrap_or_default();
    OpenAIError::Boxed(Box::new(FailedResponse {
        status,
        error: api_error(status, &body),
        retry_after_ms,
    }))
}

/// The message, type and code of an error body, in any of the shapes
/// OpenAI-compatible servers use.
pub(crate) fn api_error(status: StatusCode, body: &[u8]) -> ApiError {
    let mut error = ApiError::default();
    match serde_json::from_slice::<Value>(body) {
        Ok(json) => {
            let detail = &json["error"];
            error.message = [
                &detail["message"],
                detail,
                &json["message"],
                &json["detail"],
            ]
            .into_iter()
            .find_map(Value::as_str)
            .unwrap_or_default()
            .to_string();
            error.r#type = text(&detail["type"]);
            error.code = text(&detail["code"]);
        }
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            error.message = text.trim().chars().take(MAX_MESSAGE_CHARS).collect();
        }
    }
    if error.message.is_empty() {
        error.message = status
            .canonical_reason()
            .unwrap_or("no message in the response")
            .to_string();
    }
    error
}

/// A string or number field as text (some servers send numeric codes).
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openai_error_body_gives_message_type_and_code() {
        let body = br#"{"error":{"message":"Incorrect API key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;
        let error = api_error(StatusCode::UNAUTHORIZED, body);
        assert_eq!(error.message, "Incorrect API key");
        assert_eq!(error.r#type.as_deref(), Some("invalid_request_error"));
        assert_eq!(error.code.as_deref(), Some("invalid_api_key"));
    }

    #[test]
    fn string_error_and_top_level_message_bodies_give_their_message() {
        let ollama = api_error(StatusCode::NOT_FOUND, br#"{"error":"model 'x' not found"}"#);
        assert_eq!(ollama.message, "model 'x' not found");
        let vllm = api_error(
            StatusCode::BAD_REQUEST,
            br#"{"object":"error","message":"bad","code":400}"#,
        );
        assert_eq!(vllm.message, "bad");
    }

    #[test]
    fn numeric_code_is_kept_as_text() {
        let error = api_error(
            StatusCode::TOO_MANY_REQUESTS,
            br#"{"error":{"message":"slow down","code":429}}"#,
        );
        assert_eq!(error.code.as_deref(), Some("429"));
    }

    #[test]
    fn plain_text_body_is_the_message_and_empty_body_falls_back_to_the_reason() {
        let text = api_error(StatusCode::BAD_GATEWAY, b"  upstream timed out\n");
        assert_eq!(text.message, "upstream timed out");
        let empty = api_error(StatusCode::SERVICE_UNAVAILABLE, b"");
        assert_eq!(empty.message, "Service Unavailable");
    }
}
