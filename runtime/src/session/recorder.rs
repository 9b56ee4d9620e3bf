//! [`SessionRecorder`]: where a session's records go as they happen.

use super::SessionRecord;

/// Keeps a session's records, in order: a JSON-lines file natively, the
/// host's storage in wasm. Recording happens on the runtime's thread and
/// must not block for long; a store writes and flushes each record whole.
pub trait SessionRecorder {
    /// Keeps `record` after those before it. A store that cannot write
    /// reports it its own way (a warning event, say); the session goes on.
    fn record(&self, record: &SessionRecord);
}
