//! `index.json`: the summaries of a project's sessions, so listing them
//! does not read every log. Written whole and atomically; a missing or
//! damaged index is rebuilt from the logs, so it is only ever a cache.

use super::{SessionStoreError, SessionSummary};
use crate::fs::write_atomically_unsynced;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The index's file name in a project's sessions directory.
const INDEX_FILE: &str = "index.json";

/// The file as written.
#[derive(Debug, Default, Serialize, Deserialize)]
struct IndexFile {
    sessions: Vec<SessionSummary>,
}

/// `dir`'s index file.
fn index_file(dir: &Path) -> PathBuf {
    dir.join(INDEX_FILE)
}

/// The summaries in `dir`'s index; none when it is missing or unreadable.
pub(super) fn read(dir: &Path) -> Vec<SessionSummary> {
    std::fs::read(index_file(dir))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<IndexFile>(&bytes).ok())
        .map(|index| index.sessions)
        .unwrap_or_default()
}

/// Writes `sessions` as `dir`'s index.
fn write(dir: &Path, sessions: Vec<SessionSummary>) -> Result<(), SessionStoreError> {
    let path = index_file(dir);
    let json = serde_json::to_vec_pretty(&IndexFile { sessions })
        .map_err(|e| SessionStoreError::io(&path)(e.into()))?;
    write_atomically_unsynced(&path, &json).map_err(SessionStoreError::io(&path))
}

/// Puts `summary` in `dir`'s index, in place of the one with its id.
pub(super) fn update(dir: &Path, summary: &SessionSummary) -> Result<(), SessionStoreError> {
    let mut sessions = read(dir);
    match sessions.iter_mut().find(|s| s.id == summary.id) {
        Some(slot) => slot.clone_from(summary),
        None => sessions.push(summary.clone()),
    }
    write(dir, sessions)
}

/// Takes session `id` out of `dir`'s index.
pub(super) fn remove(dir: &Path, id: &str) -> Result<(), SessionStoreError> {
    let mut sessions = read(dir);
    sessions.retain(|s| s.id != id);
    write(dir, sessions)
}
