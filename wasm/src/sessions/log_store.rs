//! [`LogStore`]: a project's sessions as JSON-lines logs on a [`Disk`], in
//! the layout of the native store (`<dir>/<id>.jsonl`, one
//! [`SessionRecord`] per line), so a session recorded through Node's `fs`
//! is listed, shown and continued by the native `code-mesh` and the other
//! way round. [`LogRecorder`] appends to one log.

use code_mesh_runtime::fs::Disk;
use code_mesh_runtime::session::store::{check_id, parse_records};
use code_mesh_runtime::session::{
    LoadedSession, SessionRecord, SessionRecorder, SessionStore, SessionStoreError, SessionSummary,
};
use std::cell::RefCell;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::UNIX_EPOCH;

/// What a session's log file name ends with, as natively.
const LOG_SUFFIX: &str = ".jsonl";

/// How a log grows by one record.
pub trait Append {
    /// Appends `bytes` to the file at `path`, creating the file.
    fn append(&self, disk: &Disk, path: &Path, bytes: &[u8]) -> io::Result<()>;
}

/// Appending as a read and a whole (atomic) write: for a file system in
/// memory, where both are cheap.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rewrite;

impl Append for Rewrite {
    fn append(&self, disk: &Disk, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut log = disk.read_if_exists(path)?.unwrap_or_default();
        log.extend_from_slice(bytes);
        disk.write(path, &log)
    }
}

/// Called with a session's id and whole log after each record, to keep a
/// copy elsewhere (a browser's IndexedDB).
pub type Mirror = Rc<dyn Fn(&str, &[u8])>;

/// A project's sessions: one log per session in `dir` on `disk`.
#[derive(Clone)]
pub struct LogStore {
    dir: PathBuf,
    disk: Disk,
    append: Rc<dyn Append>,
    mirror: Option<Mirror>,
}

impl fmt::Debug for LogStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogStore")
            .field("dir", &self.dir)
            .field("mirrored", &self.mirror.is_some())
            .finish()
    }
}

impl LogStore {
    /// The sessions in `dir` on `disk`, logs growing through `append`.
    pub fn new(dir: PathBuf, disk: Disk, append: Rc<dyn Append>) -> Self {
        Self {
            dir,
            disk,
            append,
            mirror: None,
        }
    }

    /// This store, handing each log to `mirror` after every record.
    pub fn mirrored(mut self, mirror: Mirror) -> Self {
        self.mirror = Some(mirror);
        self
    }

    /// Session `id`'s log file.
    pub fn log_file(&self, id: &str) -> Result<PathBuf, SessionStoreError> {
        check_id(id)?;
        Ok(self.dir.join(format!("{id}{LOG_SUFFIX}")))
    }

    /// Puts `log` in place as session `id`'s (one brought back from a
    /// mirror).
    pub fn restore(&self, id: &str, log: &[u8]) -> Result<(), SessionStoreError> {
        let path = self.log_file(id)?;
        self.disk.write(&path, log).map_err(io_error(&path))
    }

    /// A recorder appending to session `id`'s log, new or continued. A torn
    /// last line left by a crash is cut off first.
    pub fn recorder(&self, id: &str) -> Result<LogRecorder, SessionStoreError> {
        let path = self.log_file(id)?;
        self.disk
            .create_dir_all(&self.dir)
            .map_err(io_error(&self.dir))?;
        if let Some(bytes) = self.disk.read_if_exists(&path).map_err(io_error(&path))? {
            let whole = bytes
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |newline| newline + 1);
            if whole < bytes.len() {
                self.disk
                    .write(&path, &bytes[..whole])
                    .map_err(io_error(&path))?;
            }
        }
        Ok(LogRecorder {
            id: id.to_string(),
            path,
            store: self.clone(),
            failure: RefCell::new(None),
        })
    }

    /// The summary of session `id`'s log at `path`, read whole.
    fn summarise(&self, id: &str, path: &Path) -> Result<SessionSummary, SessionStoreError> {
        let bytes = self.disk.read(path).map_err(io_error(path))?;
        let modified_ms = self
            .disk
            .metadata(path)
            .ok()
            .and_then(|meta| meta.modified)
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let loaded = parse_records(&bytes, &path.display().to_string());
        let mut summary = SessionSummary::of(id, &loaded.records, modified_ms);
        summary.bytes = bytes.len() as u64;
        Ok(summary)
    }
}

impl SessionStore for LogStore {
    fn list(&self) -> Result<Vec<SessionSummary>, SessionStoreError> {
        let entries = match self.disk.read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&self.dir)(e)),
        };
        let mut sessions = Vec::new();
        for entry in entries {
            let Some(id) = entry
                .name
                .to_str()
                .and_then(|name| name.strip_suffix(LOG_SUFFIX))
            else {
                continue;
            };
            sessions.push(self.summarise(id, &self.dir.join(&entry.name))?);
        }
        sessions.sort_by(|a, b| (b.last_activity_ms, &b.id).cmp(&(a.last_activity_ms, &a.id)));
        Ok(sessions)
    }

    fn load(&self, id: &str) -> Result<LoadedSession, SessionStoreError> {
        let path = self.log_file(id)?;
        match self.disk.read_if_exists(&path).map_err(io_error(&path))? {
            Some(bytes) => Ok(parse_records(&bytes, &path.display().to_string())),
            None => Err(SessionStoreError::NotFound { id: id.to_string() }),
        }
    }

    fn delete(&self, id: &str) -> Result<(), SessionStoreError> {
        let path = self.log_file(id)?;
        match self.disk.remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(SessionStoreError::NotFound { id: id.to_string() });
            }
            Err(e) => return Err(io_error(&path)(e)),
        }
        let changes = self.dir.join(format!("{id}.changes.json"));
        match self.disk.remove_file(&changes) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_error(&changes)(e)),
            _ => Ok(()),
        }
    }
}

/// Appends one session's records to its log, each whole as one line. A
/// failed write does not stop the session: the first failure is kept for
/// [`Self::take_failure`].
pub struct LogRecorder {
    id: String,
    path: PathBuf,
    store: LogStore,
    failure: RefCell<Option<SessionStoreError>>,
}

impl fmt::Debug for LogRecorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogRecorder")
            .field("path", &self.path)
            .finish()
    }
}

impl LogRecorder {
    /// The session's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The first write failure not yet reported, if any.
    pub fn take_failure(&self) -> Option<SessionStoreError> {
        self.failure.borrow_mut().take()
    }

    fn append(&self, record: &SessionRecord) -> Result<(), SessionStoreError> {
        let mut line = serde_json::to_vec(record).map_err(|e| io_error(&self.path)(e.into()))?;
        line.push(b'\n');
        let store = &self.store;
        store
            .append
            .append(&store.disk, &self.path, &line)
            .map_err(io_error(&self.path))?;
        if let Some(mirror) = &store.mirror {
            let log = store.disk.read(&self.path).map_err(io_error(&self.path))?;
            mirror(&self.id, &log);
        }
        Ok(())
    }
}

impl SessionRecorder for LogRecorder {
    fn record(&self, record: &SessionRecord) {
        if let Err(error) = self.append(record) {
            let mut failure = self.failure.borrow_mut();
            if failure.is_none() {
                *failure = Some(error);
            }
        }
    }
}

/// A [`SessionStoreError::Io`] about `path`.
fn io_error(path: &Path) -> impl FnOnce(io::Error) -> SessionStoreError {
    let path = path.to_path_buf();
    move |source| SessionStoreError::Io { path, source }
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::fs::MemoryFs;
    use code_mesh_runtime::model::ChatMessage;
    use code_mesh_runtime::session::replay;

    fn store() -> LogStore {
        LogStore::new(
            PathBuf::from("/data/sessions/p"),
            Disk::new(MemoryFs::new()),
            Rc::new(Rewrite),
        )
    }

    fn user(text: &str) -> SessionRecord {
        SessionRecord::Message {
            message: ChatMessage::User {
                content: text.into(),
            },
        }
    }

    #[test]
    fn recorded_sessions_load_back_and_list() {
        let store = store();
        assert!(store.list().unwrap().is_empty());
        let recorder = store.recorder("s1").unwrap();
        recorder.record(&SessionRecord::Started {
            session_id: "s1".into(),
            project: "/p".into(),
            model: "openai/gpt-4o".into(),
            created_ms: 1,
        });
        recorder.record(&user("hello\nthere"));
        assert!(recorder.take_failure().is_none());
        let loaded = store.load("s1").unwrap();
        assert_eq!(loaded.records.len(), 2);
        assert_eq!(replay(&loaded.records).len(), 1);
        let list = store.list().unwrap();
        assert_eq!(list[0].id, "s1");
        assert_eq!(list[0].title, "hello");
        assert!(matches!(
            store.load("nope"),
            Err(SessionStoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.load("../x"),
            Err(SessionStoreError::BadSessionId { .. })
        ));
        store.delete("s1").unwrap();
        assert!(store.list().unwrap().is_empty());
    }

    #[test]
    fn a_continued_log_loses_its_torn_tail_and_mirrors_every_record() {
        let mirrored = Rc::new(RefCell::new(Vec::new()));
        let seen = mirrored.clone();
        let store = store().mirrored(Rc::new(move |id: &str, log: &[u8]| {
            seen.borrow_mut().push((id.to_string(), log.len()));
        }));
        store
            .restore("s", b"{\"kind\":\"rewound\",\"len\":0}\n{\"kind\":\"mess")
            .unwrap();
        let recorder = store.recorder("s").unwrap();
        recorder.record(&user("a"));
        let loaded = store.load("s").unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.records.len(), 2);
        assert_eq!(mirrored.borrow().len(), 1);
        assert_eq!(mirrored.borrow()[0].0, "s");
    }
}
