//! Code Mesh's model providers: implementations of the runtime's
//! [`Provider`](code_mesh_runtime::provider::Provider) trait that speak a
//! model API over HTTP and stream back
//! [`ModelEvent`](code_mesh_runtime::model::ModelEvent)s.
//!
//! Today: [`OpenAiCompatible`], for OpenAI's chat-completions API and the
//! servers that copy it (Ollama, LM Studio, llama.cpp, vLLM, OpenRouter, …),
//! and [`Anthropic`], for Anthropic's Messages API. Each format's stream
//! decoder also takes recorded bytes ([`anthropic::decode_sse`],
//! `openai_compat::decode_sse`), for tests and benches.
//! Everything here builds for `wasm32-unknown-unknown` too: waiting goes
//! through [`code_mesh_runtime::platform`], never tokio's timers, and
//! constructing a provider does no I/O.
//!
//! Resilience wraps any provider: [`Retrying`] sends a request that failed
//! before its answer began again, with [`Backoff`] and the server's
//! `Retry-After`; [`IdleTimeout`] ends an answer the server went quiet on.
//! [`resilient`] applies both as a provider's settings say, and
//! [`resolve_provider`] does that for every provider it builds.
//!
//! Also here: [`resolve_provider`] (which provider serves a `provider/model`
//! id, and where its key comes from: [`find_api_key`]), the providers known
//! by id ([`KNOWN_PROVIDERS`]) and the model registry ([`models`]).
//!
//! ```no_run
//! use code_mesh_providers::openai_compatible_from_env;
//! use code_mesh_runtime::model::{ChatMessage, ModelEvent, ModelRequest};
//! use code_mesh_runtime::provider::Provider;
//! use futures::StreamExt;
//!
//! # async fn demo() -> Result<(), code_mesh_runtime::provider::ProviderError> {
//! // Base URL from $OPENAI_BASE_URL or OpenAI's; key from $OPENAI_API_KEY.
//! let openai = openai_compatible_from_env("openai", None, None)?;
//! let request = ModelRequest {
//!     model: "gpt-4o".into(),
//!     messages: vec![ChatMessage::User { content: "Say hi".into() }],
//!     ..ModelRequest::default()
//! };
//! let mut events = openai.stream(request).await?;
//! while let Some(event) = events.next().await {
//!     match event? {
//!         ModelEvent::TextDelta(text) => print!("{text}"),
//!         ModelEvent::Finished(_) => break,
//!         _ => {}
//!     }
//! }
//! # Ok(())
//! # }
//! ```

pub mod anthropic;
mod api_key;
mod backoff;
mod error_chain;
mod http_client;
mod idle_timeout;
mod known;
pub mod models;
pub mod openai_compat;
mod resilient;
mod resolve;
mod retry;
mod retry_after;

pub use anthropic::{Anthropic, AnthropicConfig};
pub use api_key::{FoundKey, KeySource, api_key_env, find_api_key};
pub use backoff::Backoff;
pub use idle_timeout::IdleTimeout;
pub use known::{KNOWN_PROVIDERS, KnownProvider, known_provider};
pub use openai_compat::{OpenAiCompatible, OpenAiCompatibleConfig, openai_compatible_from_env};
pub use resilient::resilient;
pub use resolve::resolve_provider;
pub use retry::{RetryPolicy, Retrying};
