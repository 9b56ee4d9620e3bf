//! [`Anthropic`]: the [`Provider`] for Anthropic's Messages API.

use super::errors::ErrorContext;
use super::request::messages_request;
use super::stream::decode_sse;
use crate::error_chain::chain;
use crate::http_client::http_client_for;
use async_trait::async_trait;
use code_mesh_runtime::model::ModelRequest;
use code_mesh_runtime::provider::{ModelStream, Provider, ProviderError};
use futures::TryStreamExt;
use reqwest::header::HeaderMap;
use std::sync::OnceLock;

/// Claude behind Anthropic's Messages API, or a proxy that speaks it. Built
/// with [`AnthropicConfig`](super::AnthropicConfig).
///
/// Each [`stream`](Provider::stream) sends one request (never retried
/// here): the system prompt on top with prompt caching, tool results as
/// `tool_result` blocks under the model's own `tool_use` ids. It yields text
/// deltas as they arrive, each tool call once its input is complete, each
/// thinking block whole (as a `Reasoning` event, to send back unchanged),
/// usage (cache reads counted) and `Finished`. Dropping the stream aborts
/// the request.
pub struct Anthropic {
    errors: ErrorContext,
    /// `{base}/v1/messages`.
    endpoint: String,
    /// Key, API version, content type and configured extras.
    headers: HeaderMap,
    has_api_key: bool,
    default_max_tokens: u32,
    /// Made on the first request: building the HTTP client sets up TLS,
    /// which start-up must not pay for providers that may never be used.
    client: OnceLock<reqwest::Client>,
}

impl Anthropic {
    pub(crate) fn new(
        errors: ErrorContext,
        endpoint: String,
        headers: HeaderMap,
        has_api_key: bool,
        default_max_tokens: u32,
    ) -> Self {
        Self {
            errors,
            endpoint,
            headers,
            has_api_key,
            default_max_tokens,
            client: OnceLock::new(),
        }
    }

    /// The provider's id, as named in error messages.
    pub fn provider_id(&self) -> &str {
        &self.errors.provider
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.errors.base_url
    }

    /// The URL answers are asked for at (`{base}/v1/messages`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Whether requests carry an API key.
    pub fn has_api_key(&self) -> bool {
        self.has_api_key
    }

    fn client(&self) -> Result<&reqwest::Client, ProviderError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = http_client_for(&self.errors.base_url).map_err(|error| {
            ProviderError::InvalidRequest(format!(
                "cannot set up an HTTP client for {}: {error}",
                self.errors.provider
            ))
        })?;
        Ok(self.client.get_or_init(|| client))
    }
}

#[async_trait(?Send)]
impl Provider for Anthropic {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ProviderError> {
        let body = serde_json::to_vec(&messages_request(&request, self.default_max_tokens))
            .map_err(|error| {
                ProviderError::InvalidRequest(format!(
                    "cannot encode the request for {}: {error}",
                    self.errors.provider
                ))
            })?;
        let response = self
            .client()?
            .post(&self.endpoint)
            .headers(self.headers.clone())
            .body(body)
            .send()
            .await
            .map_err(|error| self.errors.transport(&error))?;

        let status = response.status();
        if !status.is_success() {
            let headers = response.headers().clone();
            // A body that cannot be read still leaves the status to report.
            let body = response.bytes().await.unwrap_or_default();
            return Err(self
                .errors
                .http_status(status, &headers, &body, &request.model));
        }
        let bytes = response.bytes_stream().map_err(|error| chain(&error));
        Ok(decode_sse(self.errors.provider.clone(), bytes))
    }
}

impl std::fmt::Debug for Anthropic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Anthropic")
            .field("provider_id", &self.errors.provider)
            .field("endpoint", &self.endpoint)
            .field("has_api_key", &self.has_api_key)
            .finish_non_exhaustive()
    }
}
