//! The provider for Anthropic's Messages API (`POST /v1/messages`), on
//! `reqwest` and `eventsource-stream`.
//!
//! Files, one concept each: `config` (settings and environment defaults),
//! `provider` (the [`Provider`](code_mesh_runtime::provider::Provider)
//! impl: one HTTP request per answer), `request` (our conversation as a
//! Messages request, with prompt caching), `wire` (the streamed events'
//! JSON), `decoder` (events to
//! [`ModelEvent`](code_mesh_runtime::model::ModelEvent)s: the state
//! machine, free of I/O), `stream` (a byte stream through the SSE parser and
//! the decoder), `errors` (HTTP statuses and transport failures to
//! [`ProviderError`](code_mesh_runtime::provider::ProviderError)s).

mod config;
mod decoder;
mod errors;
mod provider;
mod request;
mod stream;
mod wire;

pub(crate) use config::anthropic_from_settings;
pub use config::{
    ANTHROPIC_BASE_URL, ANTHROPIC_VERSION, API_KEY_ENV, AnthropicConfig, BASE_URL_ENV,
    DEFAULT_MAX_TOKENS,
};
pub use provider::Anthropic;
pub use stream::decode_sse;
