//! Settings: where Code Mesh keeps its files ([`Paths`]), which directory is
//! the project ([`find_project_root`]) and its id ([`project_id`]), and what
//! the config files say ([`Config`]).
//!
//! Config is JSON, in the same shape as OpenCode's: a global file
//! (`~/.config/code-mesh/config.json`) and a project file
//! (`.code-mesh/config.json`) whose keys win. Both may hold `//` and `/* */`
//! comments and trailing commas ([`strip_jsonc`]).
//!
//! ```json
//! {
//!   "model": "ollama/qwen2.5-coder:7b",
//!   "provider": {
//!     "ollama": { "baseURL": "http://localhost:11434/v1" },
//!     "openai": { "apiKey": "sk-…" }
//!   },
//!   "agent": { "coder": { "steps": 100 } }
//! }
//! ```

mod file;
mod jsonc;
mod model_settings;
mod paths;
mod project;

pub use file::{AgentSettings, CompactionSettings, Config, ConfigError, ProviderSettings};
pub use jsonc::strip_jsonc;
pub use model_settings::{ModelCost, ModelSettings};
pub use paths::Paths;
pub use project::{find_project_root, project_id};
