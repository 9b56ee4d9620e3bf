//! [`JsonlRecorder`]: appends one session's records to its JSON-lines log
//! as they happen.

use super::{SessionStoreError, SessionSummary, index, lines::parse_records};
use crate::protocol::Event;
use crate::session::{SessionRecord, SessionRecorder};
use std::cell::RefCell;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Writes a session's records to `<sessions dir>/<id>.jsonl`, each whole
/// as one line with a single `write` and flushed, so a process killed at
/// any moment leaves every record before the one being written intact
/// (at worst that one is torn, and dropped on load). The index is
/// updated when the session starts, after each turn, and when the
/// recorder is dropped.
///
/// Each record is handed to the OS at once, which is what survives a
/// crash of the process; surviving a crash of the machine takes
/// [`Self::sync_each_record`], at a cost: measured by
/// `benches/benches/session.rs` at about 3 µs a record without `fsync`
/// and 3.4 ms with it (a thousand times more, on every streamed tool
/// call), so it is off by default.
///
/// A failed write does not stop the session: the first failure is kept
/// for [`Self::take_failure`], and later records are still attempted.
#[derive(Debug)]
pub struct JsonlRecorder {
    dir: PathBuf,
    path: PathBuf,
    pub(super) file: RefCell<File>,
    summary: RefCell<SessionSummary>,
    sync: bool,
    failure: RefCell<Option<SessionStoreError>>,
}

impl JsonlRecorder {
    /// Opens (creating it, or continuing it) the log of session `id` in
    /// the sessions directory `dir`. A torn last line left by a crash is
    /// cut off first, so the next record starts on a line of its own.
    pub(super) fn open(dir: &Path, id: &str) -> Result<Self, SessionStoreError> {
        std::fs::create_dir_all(dir).map_err(SessionStoreError::io(dir))?;
        let path = dir.join(format!("{id}.jsonl"));
        let mut file = File::options()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(SessionStoreError::io(&path))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(SessionStoreError::io(&path))?;
        let whole = bytes
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        if whole < bytes.len() {
            // Appends go to the (new) end whatever the position.
            file.set_len(whole as u64)
                .map_err(SessionStoreError::io(&path))?;
        }
        let loaded = parse_records(&bytes[..whole], &path.display().to_string());
        let mut summary = SessionSummary::of(id, &loaded.records, now_ms());
        summary.bytes = whole as u64;
        Ok(Self {
            dir: dir.to_path_buf(),
            path,
            file: RefCell::new(file),
            summary: RefCell::new(summary),
            sync: false,
            failure: RefCell::new(None),
        })
    }

    /// Also asks the OS to put each record on the disk before going on
    /// (`fsync`), so records survive a power cut, not just a crash.
    pub fn sync_each_record(mut self, sync: bool) -> Self {
        self.sync = sync;
        self
    }

    /// The log file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The session as recorded so far.
    pub fn summary(&self) -> SessionSummary {
        self.summary.borrow().clone()
    }

    /// The first write failure not yet reported, if any.
    pub fn take_failure(&self) -> Option<SessionStoreError> {
        self.failure.borrow_mut().take()
    }

    /// Writes the index entry of this session now.
    pub fn write_index(&self) -> Result<(), SessionStoreError> {
        index::update(&self.dir, &self.summary.borrow())
    }

    fn append(&self, record: &SessionRecord) -> Result<(), SessionStoreError> {
        let io = SessionStoreError::io(&self.path);
        let mut line = serde_json::to_vec(record).map_err(|e| io(e.into()))?;
        line.push(b'\n');
        let mut file = self.file.borrow_mut();
        file.write_all(&line)
            .and_then(|()| file.flush())
            .and_then(|()| if self.sync { file.sync_data() } else { Ok(()) })
            .map_err(SessionStoreError::io(&self.path))?;
        let mut summary = self.summary.borrow_mut();
        summary.observe(record);
        summary.last_activity_ms = now_ms();
        summary.bytes += line.len() as u64;
        Ok(())
    }

    fn keep_failure(&self, error: SessionStoreError) {
        let mut failure = self.failure.borrow_mut();
        if failure.is_none() {
            *failure = Some(error);
        }
    }
}

impl SessionRecorder for JsonlRecorder {
    fn record(&self, record: &SessionRecord) {
        if let Err(error) = self.append(record) {
            self.keep_failure(error);
            return;
        }
        let milestone = matches!(
            record,
            SessionRecord::Started { .. }
                | SessionRecord::Event {
                    event: Event::TurnComplete { .. }
                }
        );
        if milestone && let Err(error) = self.write_index() {
            self.keep_failure(error);
        }
    }
}

impl Drop for JsonlRecorder {
    fn drop(&mut self) {
        // Best effort: a stale index is corrected when the sessions are listed.
        let _ = self.write_index();
    }
}

/// Now, in milliseconds since the Unix epoch.
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
