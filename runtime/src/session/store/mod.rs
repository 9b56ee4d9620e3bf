//! Where sessions are kept: the [`SessionStore`] trait, and natively
//! [`JsonlSessionStore`], one append-only JSON-lines file per session.
//!
//! A session is the list of its [`SessionRecord`]s, in order. A store
//! appends each record as it happens (through a [`super::SessionRecorder`])
//! so a crash loses at most the record being written, lists a project's
//! sessions for `code-mesh sessions list`, and loads one whole to show it,
//! export it or continue it ([`super::replay`] rebuilds the conversation).
//!
//! ```
//! # #[cfg(not(target_family = "wasm"))] {
//! use code_mesh_runtime::session::{JsonlSessionStore, SessionRecord, SessionRecorder, SessionStore};
//!
//! let data = tempfile::tempdir()?;
//! let store = JsonlSessionStore::new(data.path(), "my-app-0123456789abcdef");
//! let writer = store.writer("s1")?;
//! writer.record(&SessionRecord::Started {
//!     session_id: "s1".into(),
//!     project: "/src/my-app".into(),
//!     model: "openai/gpt-4o".into(),
//!     created_ms: 0,
//! });
//! drop(writer);
//! assert_eq!(store.list()?[0].id, "s1");
//! assert_eq!(store.load("s1")?.records.len(), 1);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
#[cfg(not(target_family = "wasm"))]
mod index;
#[cfg(not(target_family = "wasm"))]
mod jsonl;
mod lines;
#[cfg(not(target_family = "wasm"))]
mod lock;
mod summary;
#[cfg(not(target_family = "wasm"))]
mod writer;

pub use error::{SessionStoreError, check_id};
#[cfg(not(target_family = "wasm"))]
pub use jsonl::JsonlSessionStore;
pub use lines::{LoadWarning, LoadedSession, parse_records};
#[cfg(not(target_family = "wasm"))]
pub use lock::ProjectLock;
pub use summary::{SessionSummary, title_of};
#[cfg(not(target_family = "wasm"))]
pub use writer::JsonlRecorder;

/// A project's saved sessions. Natively a directory of JSON-lines files
/// ([`JsonlSessionStore`]); in wasm a host-provided store (IndexedDB, or
/// the embedding program's) can implement it, since nothing here assumes
/// a file system. Writing goes through a [`super::SessionRecorder`] the
/// store hands out; this trait is the reading side.
pub trait SessionStore {
    /// The project's sessions, the most recently active first.
    fn list(&self) -> Result<Vec<SessionSummary>, SessionStoreError>;

    /// Session `id`'s records, in order, with what had to be skipped to
    /// read them. An unknown id is [`SessionStoreError::NotFound`].
    fn load(&self, id: &str) -> Result<LoadedSession, SessionStoreError>;

    /// Removes session `id` and what is kept beside it.
    fn delete(&self, id: &str) -> Result<(), SessionStoreError>;

    /// The most recently active session's summary; `Ok(None)` when the
    /// project has none. Defaults to the first of [`Self::list`].
    fn latest(&self) -> Result<Option<SessionSummary>, SessionStoreError> {
        Ok(self.list()?.into_iter().next())
    }
}
