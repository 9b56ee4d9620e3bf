//! Why staging, applying or undoing a change failed.

use std::path::PathBuf;

/// A change could not be staged, applied or undone. Applying and undoing are
/// all or nothing: when this is returned, the files are as they were.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file changed on disk after the agent staged its change; applying
    /// would lose that work.
    #[error(
        "{path} changed on disk after the change was staged; nothing was applied — reject the change and ask again"
    )]
    ChangedOnDisk {
        /// The file.
        path: PathBuf,
    },
    /// The file changed after the change was applied; undoing would lose that work.
    #[error("{path} changed after the change was applied; nothing was undone")]
    ChangedSinceApply {
        /// The file.
        path: PathBuf,
    },
}

impl ChangeError {
    /// An I/O error on `path`.
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
