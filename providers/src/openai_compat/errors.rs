//! From async-openai's errors to [`ProviderError`]s a person can act on.

use super::decoder::BrokenStream;
use super::transport::FailedResponse;
use crate::error_chain::chain;
use async_openai::error::{ApiError, OpenAIError, StreamError};
use code_mesh_runtime::provider::ProviderError;
use std::error::Error;

/// OpenAI's code for a 429 that waiting will not fix.
const INSUFFICIENT_QUOTA: &str = "insufficient_quota";

/// Codes (or types) servers give a conversation longer than the model's
/// context window: OpenAI, Groq and DeepSeek's, then llama.cpp's.
const CONTEXT_LENGTH_CODES: [&str; 2] = ["context_length_exceeded", "exceed_context_size_error"];

/// Words in the messages of servers that give such a conversation no code
/// (vLLM, OpenRouter, Mistral, llama.cpp), lowercased.
const CONTEXT_LENGTH_WORDS: [&str; 4] = [
    "maximum context length",
    "context length exceeded",
    "exceeds the available context size",
    "context window",
];

/// OpenAI's (and Groq's) code for a model the server does not have.
const MODEL_NOT_FOUND: &str = "model_not_found";

/// Words in a 400's message that, with "model", say the model is unknown
/// (OpenRouter's "is not a valid model ID", vLLM's "does not exist"),
/// lowercased.
const UNKNOWN_MODEL_WORDS: [&str; 5] = [
    "not found",
    "does not exist",
    "not a valid model",
    "unknown model",
    "no such model",
];

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
    /// Why a request for `model` got no answer at all (the `Err` of
    /// `Provider::stream`).
    pub(crate) fn request_failed(&self, error: OpenAIError, model: &str) -> ProviderError {
        match error {
            OpenAIError::ApiError(response) => self.http_status(
                FailedResponse {
                    status: response.status_code,
                    error: response.api_error,
                    retry_after_ms: None,
                },
                model,
            ),
            // Our transport's error responses (see `transport`).
            OpenAIError::Boxed(error) => match error.downcast::<FailedResponse>() {
                Ok(failed) => self.http_status(*failed, model),
                Err(other) => self.unreachable(chain(other.as_ref())),
            },
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

    /// The error for an HTTP error status, classified so its message says
    /// what to do.
    fn http_status(&self, failed: FailedResponse, model: &str) -> ProviderError {
        let FailedResponse {
            status,
            error,
            retry_after_ms,
        } = failed;
        let provider = self.provider.clone();
        let status = status.as_u16();
        let quota_used_up = has_code(&error, INSUFFICIENT_QUOTA);
        if too_long(&error) && !matches!(status, 401 | 403 | 429) && status < 500 {
            return ProviderError::ContextLengthExceeded {
                provider,
                message: error.message,
            };
        }
        if has_code(&error, MODEL_NOT_FOUND) || unknown_model(status, &error.message) {
            return ProviderError::ModelNotFound {
                provider,
                model: model.to_string(),
                message: error.message,
            };
        }
        let message = error.message;
        match status {
            401 | 403 => ProviderError::Unauthorized {
                provider,
                status,
                message,
                env_var: self.api_key_env.clone(),
            },
            // An exhausted quota (or OpenRouter's 402 for no credits) is not
            // fixed by waiting: not a transient rate limit.
            402 => ProviderError::InsufficientQuota { provider, message },
            429 if quota_used_up => ProviderError::InsufficientQuota { provider, message },
            429 => ProviderError::RateLimited {
                provider,
                message,
                retry_after_ms,
            },
            _ => ProviderError::Http {
                provider,
                status,
                message,
                retry_after_ms,
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

/// Whether the error's code or type is `code`.
fn has_code(error: &ApiError, code: &str) -> bool {
    [&error.code, &error.r#type]
        .iter()
        .any(|field| field.as_deref() == Some(code))
}

/// Whether the error says the conversation does not fit the model's context.
fn too_long(error: &ApiError) -> bool {
    let message = error.message.to_lowercase();
    CONTEXT_LENGTH_CODES
        .iter()
        .any(|code| has_code(error, code))
        || CONTEXT_LENGTH_WORDS
            .iter()
            .any(|words| message.contains(words))
}

/// Whether a 404's or 400's message says the model is unknown. A 404 must
/// name a model: a wrong base URL gives a 404 too, and must not read as
/// "unknown model"; a 400 must also say it is missing, not merely mention
/// the model ("max_tokens is too large for this model").
fn unknown_model(status: u16, message: &str) -> bool {
    let message = message.to_lowercase();
    message.contains("model")
        && match status {
            404 => true,
            400 => UNKNOWN_MODEL_WORDS
                .iter()
                .any(|words| message.contains(words)),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_openai::error::ApiErrorResponse;
    use reqwest::StatusCode;

    fn context() -> ErrorContext {
        ErrorContext {
            provider: "openai".into(),
            base_url: "https://api.openai.com/v1".into(),
            api_key_env: "OPENAI_API_KEY".into(),
        }
    }

    /// What our transport makes of an error response.
    fn failed(
        status: u16,
        message: &str,
        code: Option<&str>,
        retry_after_ms: Option<u64>,
    ) -> OpenAIError {
        OpenAIError::Boxed(Box::new(FailedResponse {
            status: StatusCode::from_u16(status).unwrap(),
            error: ApiError {
                message: message.into(),
                code: code.map(str::to_string),
                ..ApiError::default()
            },
            retry_after_ms,
        }))
    }

    fn api_error(status: u16, message: &str, code: Option<&str>) -> OpenAIError {
        failed(status, message, code, None)
    }

    fn classify(error: OpenAIError) -> ProviderError {
        context().request_failed(error, "gpt-4o")
    }

    #[test]
    fn forbidden_is_unauthorized_naming_the_key_variable() {
        let error = classify(api_error(403, "no access", None));
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
        let error = classify(api_error(429, "quota", Some(INSUFFICIENT_QUOTA)));
        assert!(matches!(error, ProviderError::InsufficientQuota { .. }));
        assert!(!error.is_transient());
        let limited = classify(api_error(429, "slow", None));
        assert!(matches!(limited, ProviderError::RateLimited { .. }));
    }

    #[test]
    fn retry_after_is_kept_on_rate_limits_and_server_errors() {
        let limited = classify(failed(429, "slow down", None, Some(1_000)));
        assert_eq!(limited.retry_after_ms(), Some(1_000));
        assert!(matches!(limited, ProviderError::RateLimited { .. }));
        let overloaded = classify(failed(529, "overloaded", None, Some(250)));
        assert_eq!(
            overloaded,
            ProviderError::Http {
                provider: "openai".into(),
                status: 529,
                message: "overloaded".into(),
                retry_after_ms: Some(250),
            }
        );
        assert!(overloaded.is_transient());
    }

    #[test]
    fn async_openai_api_errors_are_classified_too() {
        let error = classify(OpenAIError::ApiError(ApiErrorResponse {
            status_code: StatusCode::UNAUTHORIZED,
            api_error: ApiError {
                message: "bad key".into(),
                ..ApiError::default()
            },
        }));
        assert!(matches!(
            error,
            ProviderError::Unauthorized { status: 401, .. }
        ));
    }

    #[test]
    fn context_length_exceeded_is_recognised_by_code_or_message() {
        let by_code = classify(api_error(
            400,
            "Please reduce the length of the messages.",
            Some("context_length_exceeded"),
        ));
        let vllm = classify(api_error(
            400,
            "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
            None,
        ));
        let llama_cpp = classify(api_error(
            400,
            "the request exceeds the available context size, try increasing it",
            Some("exceed_context_size_error"),
        ));
        for error in [by_code, vllm, llama_cpp] {
            assert!(
                matches!(error, ProviderError::ContextLengthExceeded { .. }),
                "{error:?}"
            );
            assert!(error.to_string().contains("start a new session"), "{error}");
        }
    }

    #[test]
    fn unknown_model_names_the_model_asked_for() {
        let openai = classify(api_error(
            404,
            "The model `gpt-5x` does not exist or you do not have access to it.",
            Some(MODEL_NOT_FOUND),
        ));
        let ollama = classify(api_error(
            404,
            "model \"qwen\" not found, try pulling it first",
            None,
        ));
        let openrouter = classify(api_error(400, "foo/bar is not a valid model ID", None));
        for error in [openai, ollama, openrouter] {
            let ProviderError::ModelNotFound { model, .. } = &error else {
                panic!("not ModelNotFound: {error:?}");
            };
            assert_eq!(model, "gpt-4o");
            assert!(
                error.to_string().contains("code-mesh models openai"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_404_that_is_not_about_a_model_stays_an_http_error() {
        // A base URL without `/v1` gets the server's plain 404 page.
        let error = classify(api_error(404, "Not Found", None));
        assert!(
            matches!(error, ProviderError::Http { status: 404, .. }),
            "{error:?}"
        );
        let mentions = classify(api_error(
            400,
            "max_tokens is too large for this model",
            None,
        ));
        assert!(
            matches!(mentions, ProviderError::Http { status: 400, .. }),
            "{mentions:?}"
        );
    }

    #[test]
    fn payment_required_is_insufficient_quota() {
        let error = classify(api_error(402, "Insufficient credits", None));
        assert!(
            matches!(error, ProviderError::InsufficientQuota { .. }),
            "{error:?}"
        );
        assert!(!error.is_transient());
    }

    #[test]
    fn other_boxed_errors_mean_the_server_was_not_reached() {
        let error = classify(OpenAIError::Boxed("connection reset".into()));
        assert!(
            matches!(error, ProviderError::Unreachable { .. }),
            "{error:?}"
        );
    }

    #[test]
    fn invalid_argument_is_an_invalid_request() {
        let error = classify(OpenAIError::InvalidArgument("bad".into()));
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
