//! [`OpenAiCompatible`]: the [`Provider`] for any chat-completions API.

use super::chunk::ChatChunk;
use super::client_config::ClientConfig;
use super::errors::ErrorContext;
use super::request::{MaxTokensField, chat_request};
use super::stream::model_events;
use super::transport::SingleAttempt;
use crate::http_client::http_client_for;
use async_openai::Client;
use async_trait::async_trait;
use code_mesh_runtime::model::ModelRequest;
use code_mesh_runtime::provider::{ModelStream, Provider, ProviderError};
use std::sync::OnceLock;

/// A model behind OpenAI's chat-completions API: OpenAI itself, or Ollama,
/// LM Studio, llama.cpp, vLLM, OpenRouter, … Built with
/// [`OpenAiCompatibleConfig`](super::OpenAiCompatibleConfig).
///
/// Each [`stream`](Provider::stream) sends one request, never retried here,
/// and yields text deltas as they arrive, each tool call once its fragments
/// are complete (with the model's id), usage (cached tokens included) and
/// `Finished`. An answer that ends without a finish reason yields a
/// `ProviderError::Stream` item.
pub struct OpenAiCompatible {
    errors: ErrorContext,
    is_openai: bool,
    client_config: ClientConfig,
    /// Made on the first request: building the HTTP client sets up TLS
    /// (root certificates are loaded unless the base URL is plain http),
    /// which start-up must not pay for providers that may never be used.
    client: OnceLock<Client<ClientConfig>>,
}

impl OpenAiCompatible {
    pub(crate) fn new(
        provider_id: String,
        base_url: String,
        api_key_env: String,
        is_openai: bool,
        client_config: ClientConfig,
    ) -> Self {
        Self {
            errors: ErrorContext {
                provider: provider_id,
                base_url,
                api_key_env,
            },
            is_openai,
            client_config,
            client: OnceLock::new(),
        }
    }

    /// The provider's id, as named in error messages.
    pub fn provider_id(&self) -> &str {
        &self.errors.provider
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.errors.base_url
    }

    /// Whether requests carry an API key.
    pub fn has_api_key(&self) -> bool {
        self.client_config.has_api_key()
    }

    fn client(&self) -> Result<&Client<ClientConfig>, ProviderError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let http = http_client_for(&self.errors.base_url).map_err(|error| {
            ProviderError::InvalidRequest(format!(
                "cannot set up an HTTP client for {}: {error}",
                self.errors.provider
            ))
        })?;
        let client = Client::build(http.clone(), self.client_config.clone())
            .with_http_service(SingleAttempt::new(http));
        Ok(self.client.get_or_init(|| client))
    }

    fn max_tokens_field(&self) -> MaxTokensField {
        if self.is_openai {
            MaxTokensField::MaxCompletionTokens
        } else {
            MaxTokensField::MaxTokens
        }
    }
}

#[async_trait(?Send)]
impl Provider for OpenAiCompatible {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ProviderError> {
        let body = chat_request(request, self.max_tokens_field());
        let chunks = self
            .client()?
            .chat()
            .create_stream_byot::<_, ChatChunk>(&body)
            .await
            .map_err(|error| self.errors.request_failed(error, &body.model))?;
        Ok(model_events(chunks, self.errors.clone()))
    }
}

impl std::fmt::Debug for OpenAiCompatible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiCompatible")
            .field("provider_id", &self.errors.provider)
            .field("base_url", &self.errors.base_url)
            .field("has_api_key", &self.has_api_key())
            .finish_non_exhaustive()
    }
}
