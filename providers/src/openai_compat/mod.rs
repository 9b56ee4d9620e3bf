//! The provider for OpenAI's chat-completions API and the many servers that
//! speak it, on the `async-openai` crate.
//!
//! Files, one concept each: `config` (settings and environment defaults),
//! `provider` (the [`Provider`](code_mesh_runtime::provider::Provider)
//! impl), `request` (our conversation in OpenAI's shape), `transport` (one
//! HTTP attempt, error statuses kept), `chunk` + `decoder` + `tool_calls` +
//! `stream` (streamed chunks to model events), `errors` (to
//! [`ProviderError`](code_mesh_runtime::provider::ProviderError)s),
//! `replay` (a recorded body through the same path, without a server).

mod chunk;
mod client_config;
mod config;
mod decoder;
mod errors;
mod provider;
#[cfg(not(target_family = "wasm"))]
mod replay;
mod request;
mod stream;
mod tool_calls;
mod transport;

pub use config::{
    API_KEY_ENV, BASE_URL_ENV, OPENAI_BASE_URL, OpenAiCompatibleConfig, openai_compatible_from_env,
};
pub use provider::OpenAiCompatible;
#[cfg(not(target_family = "wasm"))]
pub use replay::decode_sse;
