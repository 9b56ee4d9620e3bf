//! From failed Messages API requests to [`ProviderError`]s a person can act
//! on: the HTTP status and Anthropic's error `type` decide the variant, the
//! server's own message goes in it, and `retry-after-ms` / `Retry-After`
//! headers say how long to wait.

use super::wire::ApiError;
use crate::error_chain::chain;
use crate::retry_after::retry_after_ms;
use code_mesh_runtime::provider::ProviderError;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::error::Error;

/// Longest server message kept from a non-JSON error body, in characters.
const MAX_MESSAGE_CHARS: usize = 500;

/// What an error message needs to name: the provider, where it was reached
/// and where its key comes from.
#[derive(Debug, Clone)]
pub(crate) struct ErrorContext {
    pub(crate) provider: String,
    pub(crate) base_url: String,
    pub(crate) api_key_env: String,
}

impl ErrorContext {
    /// The error for a response with a failing `status`, its `headers` and
    /// `body`, to a request for `model`.
    pub(crate) fn http_status(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        model: &str,
    ) -> ProviderError {
        let error = api_error(status, body);
        let provider = self.provider.clone();
        let message = error.message;
        let retry_after_ms = retry_after_ms(headers);
        match (status.as_u16(), error.kind.as_str()) {
            (401 | 403, _) | (_, "authentication_error" | "permission_error") => {
                ProviderError::Unauthorized {
                    provider,
                    status: status.as_u16(),
                    message,
                    env_var: self.api_key_env.clone(),
                }
            }
            // Waiting will not top up the account.
            (402, _) | (_, "billing_error") => {
                ProviderError::InsufficientQuota { provider, message }
            }
            (400, _) if message.to_ascii_lowercase().contains("credit balance") => {
                ProviderError::InsufficientQuota { provider, message }
            }
            (429, _) | (_, "rate_limit_error") => ProviderError::RateLimited {
                provider,
                message,
                retry_after_ms,
            },
            (400 | 413, _) if is_too_long(&message) => {
                ProviderError::ContextLengthExceeded { provider, message }
            }
            (404, _) if message.to_ascii_lowercase().contains("model") => {
                ProviderError::ModelNotFound {
                    provider,
                    model: model.to_string(),
                    message,
                }
            }
            (status, _) => ProviderError::Http {
                provider,
                status,
                message,
                retry_after_ms,
            },
        }
    }

    /// Why a request got no response at all.
    pub(crate) fn transport(&self, error: &reqwest::Error) -> ProviderError {
        if error.is_builder() {
            return ProviderError::InvalidRequest(format!(
                "cannot build a request to {}: {}",
                self.base_url,
                chain(error)
            ));
        }
        // reqwest's own message repeats the URL; the cause is below it.
        let message = match error.source() {
            Some(cause) => chain(cause),
            None => error.to_string(),
        };
        ProviderError::Unreachable {
            provider: self.provider.clone(),
            url: self.base_url.clone(),
            message,
        }
    }
}

/// Whether a 400's message says the prompt does not fit the context window.
fn is_too_long(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.contains("prompt is too long")
        || message.contains("context window")
        || message.contains("context length")
}

/// The type and message of an error body: Anthropic's
/// `{"type":"error","error":{"type","message"}}`, or whatever a proxy sent.
fn api_error(status: StatusCode, body: &[u8]) -> ApiError {
    #[derive(serde::Deserialize)]
    struct Body {
        error: ApiError,
    }
    let mut error = match serde_json::from_slice::<Body>(body) {
        Ok(body) => body.error,
        Err(_) => ApiError {
            kind: String::new(),
            message: String::from_utf8_lossy(body)
                .trim()
                .chars()
                .take(MAX_MESSAGE_CHARS)
                .collect(),
        },
    };
    if error.message.is_empty() {
        error.message = status
            .canonical_reason()
            .unwrap_or("no message in the response")
            .to_string();
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn context() -> ErrorContext {
        ErrorContext {
            provider: "anthropic".into(),
            base_url: "https://api.anthropic.com".into(),
            api_key_env: "ANTHROPIC_API_KEY".into(),
        }
    }

    fn failed(status: u16, kind: &str, message: &str) -> ProviderError {
        failed_with(status, kind, message, &HeaderMap::new())
    }

    fn failed_with(status: u16, kind: &str, message: &str, headers: &HeaderMap) -> ProviderError {
        let body = serde_json::json!({
            "type": "error",
            "error": { "type": kind, "message": message },
        });
        context().http_status(
            StatusCode::from_u16(status).unwrap(),
            headers,
            body.to_string().as_bytes(),
            "claude-test",
        )
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn unauthorized_names_the_key_variable() {
        let error = failed(401, "authentication_error", "invalid x-api-key");
        assert_eq!(
            error,
            ProviderError::Unauthorized {
                provider: "anthropic".into(),
                status: 401,
                message: "invalid x-api-key".into(),
                env_var: "ANTHROPIC_API_KEY".into(),
            }
        );
        assert!(matches!(
            failed(403, "permission_error", "no"),
            ProviderError::Unauthorized { status: 403, .. }
        ));
    }

    #[test]
    fn rate_limit_reads_retry_after_seconds_or_ms() {
        let error = failed_with(
            429,
            "rate_limit_error",
            "slow down",
            &headers(&[("retry-after", "2")]),
        );
        assert_eq!(error.retry_after_ms(), Some(2000));
        assert!(error.is_transient());
        let precise = failed_with(
            429,
            "rate_limit_error",
            "slow down",
            &headers(&[("retry-after", "2"), ("retry-after-ms", "1500.5")]),
        );
        assert_eq!(precise.retry_after_ms(), Some(1501));
        let unreadable = failed_with(
            429,
            "rate_limit_error",
            "x",
            &headers(&[("retry-after", "soon")]),
        );
        assert!(matches!(
            unreadable,
            ProviderError::RateLimited {
                retry_after_ms: None,
                ..
            }
        ));
    }

    #[test]
    fn overloaded_529_is_a_transient_http_error() {
        let error = failed(529, "overloaded_error", "Overloaded");
        assert!(
            matches!(&error, ProviderError::Http { status: 529, message, .. } if message == "Overloaded"),
            "{error:?}"
        );
        assert!(error.is_transient());
    }

    #[test]
    fn prompt_too_long_is_context_length_exceeded() {
        let error = failed(
            400,
            "invalid_request_error",
            "prompt is too long: 210000 tokens > 200000 maximum",
        );
        assert!(matches!(error, ProviderError::ContextLengthExceeded { .. }));
        assert!(matches!(
            failed(400, "invalid_request_error", "messages: field required"),
            ProviderError::Http { status: 400, .. }
        ));
    }

    #[test]
    fn unknown_model_names_the_model() {
        let error = failed(404, "not_found_error", "model: claude-nope");
        assert_eq!(
            error,
            ProviderError::ModelNotFound {
                provider: "anthropic".into(),
                model: "claude-test".into(),
                message: "model: claude-nope".into(),
            }
        );
    }

    #[test]
    fn billing_problems_are_insufficient_quota() {
        for error in [
            failed(402, "billing_error", "payment required"),
            failed(
                400,
                "invalid_request_error",
                "Your credit balance is too low to access the Anthropic API.",
            ),
        ] {
            assert!(
                matches!(error, ProviderError::InsufficientQuota { .. }),
                "{error:?}"
            );
        }
    }

    #[test]
    fn non_json_bodies_give_their_text_or_the_reason() {
        let text = context().http_status(
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            b"  upstream timed out\n",
            "m",
        );
        assert!(
            matches!(text, ProviderError::Http { message, .. } if message == "upstream timed out")
        );
        let empty =
            context().http_status(StatusCode::SERVICE_UNAVAILABLE, &HeaderMap::new(), b"", "m");
        assert!(
            matches!(empty, ProviderError::Http { message, .. } if message == "Service Unavailable")
        );
    }
}
