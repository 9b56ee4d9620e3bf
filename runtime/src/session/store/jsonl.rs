//! [`JsonlSessionStore`]: a project's sessions as JSON-lines files.

use super::lines::{LoadedSession, parse_records};
use super::{
    JsonlRecorder, ProjectLock, SessionStore, SessionStoreError, SessionSummary, error::check_id,
    index,
};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// What a session's log file name ends with.
const LOG_SUFFIX: &str = ".jsonl";

/// A project's sessions under `<data dir>/sessions/<project id>/`: each
/// session an append-only log `<id>.jsonl` of
/// [`crate::session::SessionRecord`]s, one JSON object per line; its
/// change set beside it in `<id>.changes.json` (see
/// [`crate::changes::save`]); `index.json` summarising them all; and
/// `lock` while a process writes ([`ProjectLock`]).
#[derive(Debug, Clone)]
pub struct JsonlSessionStore {
    dir: PathBuf,
}

impl JsonlSessionStore {
    /// The store of project `project_id` (see [`crate::config::project_id`])
    /// under `data_dir`. Nothing is created until something is written.
    pub fn new(data_dir: &Path, project_id: &str) -> Self {
        Self {
            dir: data_dir.join("sessions").join(project_id),
        }
    }

    /// The project's sessions directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Session `id`'s log file.
    pub fn log_file(&self, id: &str) -> Result<PathBuf, SessionStoreError> {
        check_id(id)?;
        Ok(self.dir.join(format!("{id}{LOG_SUFFIX}")))
    }

    /// Takes the project's writer lock; hold it while recording.
    pub fn lock(&self) -> Result<ProjectLock, SessionStoreError> {
        ProjectLock::acquire(&self.dir)
    }

    /// The pid of the live process holding the project's writer lock (a
    /// run working), if any.
    pub fn lock_holder(&self) -> Option<u32> {
        ProjectLock::holder(&self.dir)
    }

    /// A recorder appending to session `id`'s log, new or continued.
    pub fn writer(&self, id: &str) -> Result<JsonlRecorder, SessionStoreError> {
        check_id(id)?;
        JsonlRecorder::open(&self.dir, id)
    }

    /// The summary of the log `path` of session `id`, read whole.
    fn summarise(id: &str, path: &Path) -> Result<SessionSummary, SessionStoreError> {
        let bytes = std::fs::read(path).map_err(SessionStoreError::io(path))?;
        let modified_ms = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let loaded = parse_records(&bytes, &path.display().to_string());
        let mut summary = SessionSummary::of(id, &loaded.records, modified_ms);
        summary.bytes = bytes.len() as u64;
        Ok(summary)
    }
}

impl SessionStore for JsonlSessionStore {
    /// The index's summaries, each checked against its log's length: a log
    /// that grew after its entry was written (a crash) is read again.
    fn list(&self) -> Result<Vec<SessionSummary>, SessionStoreError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(SessionStoreError::io(&self.dir)(e)),
        };
        let indexed = index::read(&self.dir);
        let mut sessions = Vec::new();
        for entry in entries {
            let entry = entry.map_err(SessionStoreError::io(&self.dir))?;
            let name = entry.file_name();
            let Some(id) = name.to_str().and_then(|n| n.strip_suffix(LOG_SUFFIX)) else {
                continue;
            };
            let length = entry.metadata().map(|m| m.len()).ok();
            let summary = match indexed.iter().find(|s| s.id == id) {
                Some(summary) if Some(summary.bytes) == length => summary.clone(),
                _ => Self::summarise(id, &entry.path())?,
            };
            sessions.push(summary);
        }
        sessions.sort_by(|a, b| (b.last_activity_ms, &b.id).cmp(&(a.last_activity_ms, &a.id)));
        Ok(sessions)
    }

    fn load(&self, id: &str) -> Result<LoadedSession, SessionStoreError> {
        let path = self.log_file(id)?;
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SessionStoreError::NotFound { id: id.to_string() });
            }
            Err(e) => return Err(SessionStoreError::io(&path)(e)),
        };
        Ok(parse_records(&bytes, &path.display().to_string()))
    }

    /// Removes the log, the saved change set, and the index entry.
    fn delete(&self, id: &str) -> Result<(), SessionStoreError> {
        let path = self.log_file(id)?;
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SessionStoreError::NotFound { id: id.to_string() });
            }
            Err(e) => return Err(SessionStoreError::io(&path)(e)),
        }
        let changes = self.dir.join(format!("{id}.changes.json"));
        match std::fs::remove_file(&changes) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(SessionStoreError::io(&changes)(e)),
        }
        index::remove(&self.dir, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChatMessage;
    use crate::session::{SessionRecord, SessionRecorder, replay};
    use std::io::Write;

    fn started(id: &str) -> SessionRecord {
        SessionRecord::Started {
            session_id: id.into(),
            project: "/p".into(),
            model: "openai/gpt-4o".into(),
            created_ms: 1,
        }
    }

    fn user(text: &str) -> SessionRecord {
        SessionRecord::Message {
            message: ChatMessage::User {
                content: text.into(),
            },
        }
    }

    #[test]
    fn recorded_sessions_load_back_and_are_listed_latest_first() {
        let data = tempfile::tempdir().unwrap();
        let store = JsonlSessionStore::new(data.path(), "p");
        assert!(store.list().unwrap().is_empty());
        for id in ["one", "two"] {
            let writer = store.writer(id).unwrap();
            writer.record(&started(id));
            writer.record(&user(&format!("request {id}\nmore")));
            assert!(writer.take_failure().is_none());
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let loaded = store.load("one").unwrap();
        assert_eq!(loaded.records, [started("one"), user("request one\nmore")]);
        assert!(loaded.warnings.is_empty());
        let list = store.list().unwrap();
        let ids: Vec<_> = list.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["two", "one"]);
        assert_eq!(list[1].title, "request one");
        assert_eq!(list[1].messages, 1);
        assert_eq!(store.latest().unwrap().unwrap().id, "two");

        store.delete("two").unwrap();
        assert_eq!(store.list().unwrap().len(), 1);
        assert!(matches!(
            store.load("two"),
            Err(SessionStoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.load("../x"),
            Err(SessionStoreError::BadSessionId { .. })
        ));
    }

    #[test]
    fn a_continued_log_loses_its_torn_tail_and_the_list_sees_records_after_the_index() {
        let data = tempfile::tempdir().unwrap();
        let store = JsonlSessionStore::new(data.path(), "p");
        let writer = store.writer("s").unwrap();
        writer.record(&started("s"));
        writer.record(&user("a"));
        drop(writer);
        // A crash mid-record, after the index was last written.
        let path = store.log_file("s").unwrap();
        let mut file = std::fs::File::options().append(true).open(&path).unwrap();
        file.write_all(b"{\"kind\":\"message\",\"mess").unwrap();
        let loaded = store.load("s").unwrap();
        assert_eq!(loaded.records.len(), 2);
        assert!(loaded.warnings[0].to_string().contains("s.jsonl:3"));

        let writer = store.writer("s").unwrap();
        writer.record(&user("b"));
        let loaded = store.load("s").unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(replay(&loaded.records).len(), 2);
        // The index still says one message until the writer is dropped.
        assert_eq!(store.list().unwrap()[0].messages, 2);
    }

    #[test]
    fn a_write_failure_is_kept_for_the_caller_not_a_panic() {
        let data = tempfile::tempdir().unwrap();
        let store = JsonlSessionStore::new(data.path(), "p");
        let writer = store.writer("s").unwrap();
        // Swap the open file for one that refuses writes.
        let read_only = std::fs::File::open(writer.path()).unwrap();
        *writer.file.borrow_mut() = read_only;
        writer.record(&started("s"));
        let failure = writer.take_failure().unwrap();
        assert!(failure.to_string().contains("s.jsonl"), "{failure}");
        assert!(writer.take_failure().is_none());
    }
}
