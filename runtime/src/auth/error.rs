//! Why the credentials file could not be used.

use std::path::PathBuf;

/// Why `auth.json` could not be read or written. Each message names the file
/// and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The file exists but is not a JSON object of credentials.
    #[error(
        "the credentials file {path} is corrupt ({message}); fix it, or move it aside and run `code-mesh auth login` again"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// The file exists but could not be read.
    #[error("cannot read the credentials file {path}: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file (or its directory) could not be written.
    #[error("cannot write the credentials file {path}: {source}")]
    Unwritable {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}
