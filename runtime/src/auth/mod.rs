//! Stored credentials: `auth.json` in the data directory
//! ([`Paths::data_dir`](crate::config::Paths)), in OpenCode's shape.
//!
//! ```json
//! { "openai": { "type": "api", "key": "sk-…" } }
//! ```
//!
//! The file is written atomically with mode 0600 in a 0700 directory, and a
//! missing file is an empty store. Environment variables (`OPENAI_API_KEY`,
//! …) win over it, and it wins over `apiKey` in the config; the providers
//! crate applies that order.
//!
//! ```no_run
//! use code_mesh_runtime::auth::AuthStore;
//! # fn demo(data_dir: &std::path::Path) -> Result<(), code_mesh_runtime::auth::AuthError> {
//! let mut store = AuthStore::load(data_dir)?;
//! store.set_api_key("openai", "sk-…");
//! store.save()?;
//! assert_eq!(store.api_key("openai"), Some("sk-…"));
//! # Ok(())
//! # }
//! ```

mod credential;
mod error;
mod mask;
mod store;

pub use credential::Credential;
pub use error::AuthError;
pub use mask::mask_key;
pub use store::AuthStore;
