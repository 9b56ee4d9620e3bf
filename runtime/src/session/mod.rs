//! A session as it is kept: the conversation of the person's turns, and the
//! records a store writes so that a session can be continued tomorrow or
//! after a crash.
//!
//! The model: the Supervisor holds one [`Conversation`] per session — the
//! messages of the person's turns with the single agent, exactly as they
//! are sent to the model. Each change to it (a message appended, a turn
//! rewound for a retry, the older part replaced by a summary) is handed to
//! the [`SessionRecorder`] as a [`SessionRecord`], so a store can append it
//! to disk at once; [`replay`] rebuilds the conversation from the records.
//! Front ends record the events they render through the same recorder.

mod conversation;
mod record;
mod recorder;
pub mod store;

pub use conversation::Conversation;
pub use record::{SessionRecord, replay};
pub use recorder::SessionRecorder;
#[cfg(not(target_family = "wasm"))]
pub use store::{JsonlRecorder, JsonlSessionStore, ProjectLock};
pub use store::{LoadWarning, LoadedSession, SessionStore, SessionStoreError, SessionSummary};
