//! One stored credential.

use serde::{Deserialize, Serialize};

/// How Code Mesh authenticates to one provider, as stored in `auth.json`
/// (`{"type": "api", "key": "…"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Credential {
    /// An API key sent with every request.
    Api {
        /// The key.
        key: String,
    },
}
