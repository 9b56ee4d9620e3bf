//! The [`Provider`] trait (a model behind an API) and the registry the front
//! end fills with them.
//!
//! The model: an agent builds a [`ModelRequest`] and calls
//! [`Provider::stream`]; the provider speaks its wire format over HTTP and
//! yields [`ModelEvent`]s — text deltas as they arrive, each tool call once it
//! is complete, usage, then `Finished`. Errors are [`ProviderError`]s written
//! for the person who will read them.

use crate::model::{ModelEvent, ModelRequest};
use async_trait::async_trait;
use futures::stream::LocalBoxStream;
use std::collections::BTreeMap;
use std::rc::Rc;

/// A streamed model answer. Not `Send`: providers run on the actor thread,
/// and in wasm on the JavaScript event loop.
pub type ModelStream = LocalBoxStream<'static, Result<ModelEvent, ProviderError>>;

/// A source of model answers: OpenAI, Anthropic, an OpenAI-compatible server, …
#[async_trait(?Send)]
pub trait Provider {
    /// Sends `request` and returns the answer as a stream.
    ///
    /// Returning `Err` means no answer started (bad key, unreachable server,
    /// HTTP error); an `Err` item inside the stream means the answer broke off.
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ProviderError>;
}

/// A shared provider is a provider, so decorators (retries, timeouts) wrap
/// what the registry holds.
#[async_trait(?Send)]
impl<P: Provider + ?Sized> Provider for Rc<P> {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ProviderError> {
        (**self).stream(request).await
    }
}

/// A boxed provider is a provider.
#[async_trait(?Send)]
impl<P: Provider + ?Sized> Provider for Box<P> {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ProviderError> {
        (**self).stream(request).await
    }
}

/// Why a model request failed. Each message says what happened and what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProviderError {
    /// No key was found for a provider that needs one.
    #[error(
        "no API key for {provider}: set {env_var}, run `code-mesh auth login --provider {provider}`, or add provider.{provider}.apiKey to the config"
    )]
    MissingApiKey {
        /// The provider's id.
        provider: String,
        /// The environment variable that would supply it.
        env_var: String,
    },
    /// The server rejected the credentials (401/403).
    #[error(
        "{provider} rejected the API key (HTTP {status}): {message}; check {env_var}, the key saved by `code-mesh auth login`, or provider.{provider}.apiKey in the config"
    )]
    Unauthorized {
        /// The provider's id.
        provider: String,
        /// 401 or 403.
        status: u16,
        /// The server's own words.
        message: String,
        /// Where the key came from.
        env_var: String,
    },
    /// Too many requests (429). Retried with backoff by the provider layer.
    #[error(
        "{provider} is rate limiting requests (HTTP 429): {message}; wait a moment and try again"
    )]
    RateLimited {
        /// The provider's id.
        provider: String,
        /// The server's own words.
        message: String,
        /// How long the server asked us to wait (`Retry-After`, `retry-after-ms`), in ms.
        retry_after_ms: Option<u64>,
    },
    /// The account has no credit left (429/402 with an `insufficient_quota` code): waiting will not help.
    #[error(
        "{provider} says the account's quota is used up: {message}; check the plan and billing, or use another provider with -m"
    )]
    InsufficientQuota {
        /// The provider's id.
        provider: String,
        /// The server's own words.
        message: String,
    },
    /// The conversation is longer than the model's context window (400).
    #[error(
        "the conversation is too long for {provider}'s model: {message}; start a new session or use a model with a larger context window"
    )]
    ContextLengthExceeded {
        /// The provider's id.
        provider: String,
        /// The server's own words.
        message: String,
    },
    /// The provider does not know the model (404, or a 400 naming the model).
    #[error(
        "{provider} does not know the model `{model}`: {message}; run `code-mesh models {provider}` or check the id"
    )]
    ModelNotFound {
        /// The provider's id.
        provider: String,
        /// The model's id as sent.
        model: String,
        /// The server's own words.
        message: String,
    },
    /// Any other HTTP error status.
    #[error("{provider} answered HTTP {status}: {message}")]
    Http {
        /// The provider's id.
        provider: String,
        /// The status code.
        status: u16,
        /// The server's own words.
        message: String,
        /// How long the server asked us to wait before retrying, in ms, when it said.
        retry_after_ms: Option<u64>,
    },
    /// The server could not be reached at all.
    #[error(
        "cannot reach {provider} at {url}: {message}; is the server running and the base URL right?"
    )]
    Unreachable {
        /// The provider's id.
        provider: String,
        /// The base URL tried.
        url: String,
        /// The transport's error.
        message: String,
    },
    /// The answer broke off or could not be read.
    #[error("{provider}'s answer broke off: {message}")]
    Stream {
        /// The provider's id.
        provider: String,
        /// What went wrong.
        message: String,
    },
    /// No provider is registered under the id.
    #[error("unknown provider `{id}`; known providers: {}; or give provider.{id}.baseURL in the config", known.join(", "))]
    UnknownProvider {
        /// The id asked for.
        id: String,
        /// The ids that are registered.
        known: Vec<String>,
    },
    /// The request could not be built (bad settings).
    #[error("{0}")]
    InvalidRequest(String),
}

impl ProviderError {
    /// Whether sending the same request again later may succeed, so the
    /// provider layer retries it with backoff: rate limits, timeouts (408),
    /// conflicts (409), server errors (5xx, Anthropic's 529) and an
    /// unreachable server; not bad keys, bad settings, an exhausted quota, or
    /// an answer that broke off midway (its text was already shown).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Unreachable { .. } => true,
            Self::Http { status, .. } => matches!(*status, 408 | 409) || *status >= 500,
            _ => false,
        }
    }

    /// How long the server asked us to wait before trying again, in ms.
    pub fn retry_after_ms(&self) -> Option<u64> {
        match self {
            Self::RateLimited { retry_after_ms, .. } | Self::Http { retry_after_ms, .. } => {
                *retry_after_ms
            }
            _ => None,
        }
    }
}

/// The providers a Supervisor may use, by id (`openai`, `ollama`, …).
#[derive(Default, Clone)]
pub struct ProviderRegistry {
    providers: BTreeMap<String, Rc<dyn Provider>>,
}

impl ProviderRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `provider` under `id`, replacing any earlier one.
    pub fn register(&mut self, id: impl Into<String>, provider: Rc<dyn Provider>) {
        self.providers.insert(id.into(), provider);
    }

    /// The provider registered under `id`.
    pub fn get(&self, id: &str) -> Result<Rc<dyn Provider>, ProviderError> {
        self.providers
            .get(id)
            .cloned()
            .ok_or_else(|| ProviderError::UnknownProvider {
                id: id.to_string(),
                known: self.providers.keys().cloned().collect(),
            })
    }

    /// The registered ids, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.providers.keys().map(String::as_str)
    }
}
