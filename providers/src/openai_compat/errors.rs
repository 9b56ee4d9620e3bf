//! From async-openai's errors to [`ProviderError`]s a person can act on.

use super::decoder::BrokenStream;
use async_openai::error::{ApiErrorResponse, OpenAIError, StreamError};
use code_mesh_runtime::provider::ProviderError;
use std::error::Error;

/// OpenAI's code for a 429 that waiting will not fix.
const INSUFFICIENT_QUOTA: &str = "insufficient_quota";

/// Longest piece of an unreadable chunk quoted in an error, in characters.
const MAX_QUOTED_CHARS: usize = 200;

/// What an error message needs to name: the provider, where it was reached
/// and where its key comes from.
#[derive(Debug, Clone)]
pub(crate) struct ErrorContext {
    pub(crate) provider: String,
    pub(crate) base_url: String,
    pub(crate) api_key_env: String,
}

impl ErrorContext {
    /// Why a request got no answer at all (the `Err` of `Provider::stream`).
    pub(crate) fn request_failed(&self, error: OpenAIError) -> ProviderError {
        match error {
            OpenAIError::ApiError(response) => self.http_status(response),
            OpenAIError::Reqwest(error) if error.is_builder() => {
                ProviderError::InvalidRequest(format!(
                    "cannot build a request to {}: {}",
                    self.base_url,
                    chain(&error)
                ))
            }
            // reqwest's own message repeats the URL; the cause is below it.
            OpenAIError::Reqwest(error) => match error.source() {
                Some(cause) => self.unreachable(chain(cause)),
                None => self.unreachable(error.to_string()),
            },
            OpenAIError::Boxed(error) => self.unreachable(chain(error.as_ref())),
            OpenAIError::InvalidArgument(message) => {
                ProviderError::InvalidRequest(format!("{}: {message}", self.provider))
            }
            other => self.stream_failed(other),
        }
    }

    /// Why an answer broke off after it started (an `Err` item of the stream).
    pub(crate) fn stream_failed(&self, error: OpenAIError) -> ProviderError {
        let message = match error {
            OpenAIError::StreamError(error) => match *error {
                StreamError::EventStream(message) => {
                    format!("the connection failed mid-answer: {message}")
                }
                StreamError::UnknownEvent(event) => {
                    format!("unexpected event `{}` in the answer", event.event)
                }
            },
            OpenAIError::JSONDeserialize(error, content) => format!(
                "a chunk of the answer is not valid ({error}): {}",
                content.chars().take(MAX_QUOTED_CHARS).collect::<String>()
            ),
            other => chain(&other),
        };
        self.broken(BrokenStream(message))
    }

    /// The stream error for an answer that could not be read to its end.
    pub(crate) fn broken(&self, broken: BrokenStream) -> ProviderError {
        ProviderError::Stream {
            provider: self.provider.clone(),
            message: broken.0,
        }
    }

    fn http_status(&self, response: ApiErrorResponse) -> ProviderError {
        let status = response.status_code.as_u16();
        let error = response.api_error;
        let provider = self.provider.clone();
        let message = error.message;
        match status {
            401 | 403 => ProviderError::Unauthorized {
                provider,
                status,
                message,
                env_var: self.api_key_env.clone(),
            },
            // An exhausted quota is a 429 that no amount of waiting fixes:
            // report it as a plain (not transient) HTTP error.
            429 if [error.code, error.r#type]
                .iter()
                .any(|field| field.as_deref() == Some(INSUFFICIENT_QUOTA)) =>
            {
                ProviderError::InsufficientQuota { provider, message }
            }
            429 => ProviderError::RateLimited {
                provider,
                message,
                retry_after_ms: None,
            },
            _ => ProviderError::Http {
                provider,
                status,
                message,
                retry_after_ms: None,
            },
        }
    }

    fn unreachable(&self, message: String) -> ProviderError {
        ProviderError::Unreachable {
            provider: self.provider.clone(),
            url: self.base_url.clone(),
            message,
        }
    }
}

/// An error and its sources, `outer: inner: innermost`, without repeats:
/// reqwest's own message ("error sending request") hides the useful part
/// ("Connection refused") in its sources.
fn chain(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let part = inner.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_openai::error::ApiError;
    use reqwest::StatusCode;

    fn context() -> ErrorContext {
        ErrorContext {
            provider: "openai".into(),
            base_url: "https://api.openai.com/v1".into(),
            api_key_env: "OPENAI_API_KEY".into(),
        }
    }

    fn api_error(status: u16, message: &str, code: Option<&str>) -> OpenAIError {
        OpenAIError::ApiError(ApiErrorResponse {
            status_code: StatusCode::from_u16(status).unwrap(),
            api_error: ApiError {
                message: message.into(),
                code: code.map(str::to_string),
                ..ApiError::default()
            },
        })
    }

    #[test]
    fn forbidden_is_unauthorized_naming_the_key_variable() {
        let error = context().request_failed(api_error(403, "no access", None));
        assert_eq!(
            error,
            ProviderError::Unauthorized {
                provider: "openai".into(),
                status: 403,
                message: "no access".into(),
                env_var: "OPENAI_API_KEY".into(),
            }
        );
    }

    #[test]
    fn insufficient_quota_is_not_a_transient_rate_limit() {
        let error = context().request_failed(api_error(429, "quota", Some(INSUFFICIENT_QUOTA)));
        assert!(matches!(error, ProviderError::InsufficientQuota { .. }));
        assert!(!error.is_transient());
        let limited = context().request_failed(api_error(429, "slow", None));
        assert!(matches!(limited, ProviderError::RateLimited { .. }));
    }

    #[test]
    fn invalid_argument_is_an_invalid_request() {
        let error = context().request_failed(OpenAIError::InvalidArgument("bad".into()));
        assert_eq!(error, ProviderError::InvalidRequest("openai: bad".into()));
    }

    #[test]
    fn event_stream_failure_is_a_stream_error() {
        let error = context().stream_failed(OpenAIError::StreamError(Box::new(
            StreamError::EventStream("Transport error: error decoding response body".into()),
        )));
        let ProviderError::Stream { message, .. } = error else {
            panic!("not a stream error")
        };
        assert!(
            message.contains("error decoding response body"),
            "{message}"
        );
    }
}
