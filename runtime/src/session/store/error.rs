//! [`SessionStoreError`]: what can go wrong keeping sessions.

use std::path::PathBuf;

/// Reading, writing or locking a project's sessions failed.
#[derive(Debug, thiserror::Error)]
pub enum SessionStoreError {
    /// A file or directory could not be read or written.
    #[error("cannot use {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// No session has this id in this project.
    #[error("no session {id} in this project; `code-mesh sessions list` shows them")]
    NotFound {
        /// The id given.
        id: String,
    },
    /// An id that cannot name a file.
    #[error(
        "`{id}` is not a session id: use one `code-mesh sessions list` shows (letters, digits, - and _)"
    )]
    BadSessionId {
        /// The id given.
        id: String,
    },
    /// Another Code Mesh process is working in this project.
    #[error(
        "another code-mesh (pid {pid}) is working in this project (lock {path}); wait for it to \
         finish or stop it — `code-mesh sessions list`, `show` and `export` work meanwhile"
    )]
    Locked {
        /// The process holding the lock.
        pid: u32,
        /// The lock file.
        path: PathBuf,
    },
}

#[cfg(not(target_family = "wasm"))]
impl SessionStoreError {
    /// An [`Self::Io`] error about `path`.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}

/// Checks that `id` can name a session's file: letters, digits, `-`, `_`
/// (stores that keep sessions as files, natively or through Node's `fs`,
/// refuse any other id rather than reach outside their directory).
pub fn check_id(id: &str) -> Result<(), SessionStoreError> {
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(SessionStoreError::BadSessionId { id: id.to_string() })
    }
}
