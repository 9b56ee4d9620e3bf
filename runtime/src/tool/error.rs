//! [`ToolError`]: why a tool call failed, in words for the model.

use crate::changes::ChangeError;

/// Why a tool call failed. The message is shown to the model, so it says what
/// went wrong and what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    /// The arguments do not fit the tool's schema.
    #[error("invalid arguments for {tool}: {message}")]
    InvalidArguments {
        /// The tool's name.
        tool: String,
        /// What is wrong with them.
        message: String,
    },
    /// The path lies outside the project.
    #[error(
        "{path} is outside the project ({root}); tools may only touch files inside it, unless \
         the person allows it under `permission.external_directory` in .code-mesh/config.json"
    )]
    OutsideProject {
        /// The path as given.
        path: String,
        /// The project root.
        root: String,
    },
    /// The action is not allowed (writing into `.git/`, say).
    #[error("permission denied: {0}")]
    PermissionDenied(String),
    /// A file or directory does not exist.
    #[error("{message}")]
    NotFound {
        /// The path as given.
        path: String,
        /// What to say, suggestions included.
        message: String,
    },
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The tool ran but could not do what was asked.
    #[error("{0}")]
    Failed(String),
}

/// A change-set failure as the model sees it: which file, and what went wrong.
impl From<ChangeError> for ToolError {
    fn from(error: ChangeError) -> Self {
        match error {
            ChangeError::Io { path, source } => Self::Io {
                path: path.display().to_string(),
                source,
            },
            other => Self::Failed(other.to_string()),
        }
    }
}
