//! A session's changes saved to a file, so that a later command
//! (`code-mesh diff`, `apply`, `reject`, `undo`) can pick up what a finished
//! run staged or wrote. A stand-in until the full session store exists.
//!
//! The file lives at `<data dir>/sessions/<project id>/<session id>.changes.json`
//! ([`changes_file`]); the project's latest session is the most recently
//! saved one ([`latest_changes_file`]). It is JSON: the project root, the
//! staged changes and the undo history, every file's content as UTF-8 text
//! when it is valid UTF-8 (so the file stays readable) and as base64
//! otherwise, byte for byte either way.
//!
//! Natively the file is on the machine's disk ([`save`], [`load`],
//! [`latest_changes_file`]); the npm build keeps it in the same place
//! through Node's `fs` ([`save_to`], [`load_from`],
//! [`latest_changes_file_on`] take the [`Disk`]), so either build picks up
//! what the other saved.
//!
//! ```
//! use code_mesh_runtime::changes::{SessionChanges, load, save};
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.txt"), "old\r\n")?;
//! let changes = SessionChanges::new(dir.path());
//! changes.stage(vec![(dir.path().join("a.txt"), Some(b"new\r\n".to_vec()))])?;
//! let file = dir.path().join("session.changes.json");
//! save(&file, &changes)?;
//! assert_eq!(load(&file)?.diff(), changes.diff());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::applied::{AppliedChanges, AppliedFile};
use super::change_set::{ChangeSet, FileChange, Staged};
use super::session::SessionChanges;
use crate::fs::{Disk, FileKind, write_atomically_unsynced};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use std::path::{Component, Path, PathBuf};

/// The format written; a file of another version is refused, not misread.
const FORMAT_VERSION: u32 = 1;

/// What the file name of a session's changes ends with.
const SUFFIX: &str = ".changes.json";

/// Saving or loading a session's changes failed.
#[derive(Debug, thiserror::Error)]
pub enum SavedChangesError {
    /// The file or its directory could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file could not be written.
    #[error("cannot save the session's changes to {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a saved change set this version can read.
    #[error(
        "{path} is not a saved change set Code Mesh can read ({reason}); delete it to go on without those changes"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A session id that cannot name a file.
    #[error(
        "`{id}` is not a session id: use the id `code-mesh run` printed (letters, digits, - and _)"
    )]
    BadSessionId {
        /// The id given.
        id: String,
    },
}

/// Where session `session_id` of the project `project_id` (see
/// [`crate::config::project_id`]) keeps its changes, under `data_dir`.
/// An id that could reach outside the sessions directory is refused.
pub fn changes_file(
    data_dir: &Path,
    project_id: &str,
    session_id: &str,
) -> Result<PathBuf, SavedChangesError> {
    let valid = !session_id.is_empty()
        && session_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(SavedChangesError::BadSessionId {
            id: session_id.to_string(),
        });
    }
    Ok(sessions_dir(data_dir, project_id).join(format!("{session_id}{SUFFIX}")))
}

/// The project's most recently saved session: its id and file; `Ok(None)`
/// when the project has none.
pub fn latest_changes_file(
    data_dir: &Path,
    project_id: &str,
) -> Result<Option<(String, PathBuf)>, SavedChangesError> {
    latest_changes_file_on(&Disk::default(), data_dir, project_id)
}

/// [`latest_changes_file`] on `disk`.
pub fn latest_changes_file_on(
    disk: &Disk,
    data_dir: &Path,
    project_id: &str,
) -> Result<Option<(String, PathBuf)>, SavedChangesError> {
    let dir = sessions_dir(data_dir, project_id);
    let entries = match disk.read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(SavedChangesError::Read { path: dir, source }),
    };
    let mut latest = None;
    for entry in entries {
        let Some(id) = entry.name.to_str().and_then(|n| n.strip_suffix(SUFFIX)) else {
            continue;
        };
        let path = dir.join(&entry.name);
        let Some(modified) = disk
            .metadata(&path)
            .ok()
            .filter(|meta| meta.kind != FileKind::Dir)
            .and_then(|meta| meta.modified)
        else {
            continue;
        };
        // Ties (coarse clocks) go to the greater id, so the answer is stable.
        let key = (modified, id.to_string());
        if latest.as_ref().is_none_or(|(best, _)| key > *best) {
            latest = Some((key, path));
        }
    }
    Ok(latest.map(|((_, id), path)| (id, path)))
}

/// Writes `changes` (what is staged and the undo history) to `path`,
/// atomically, creating its directory.
pub fn save(path: &Path, changes: &SessionChanges) -> Result<(), SavedChangesError> {
    let json = to_json(path, changes)?;
    write_atomically_unsynced(path, &json).map_err(|source| write_error(path, source))
}

/// [`save`] on `disk`.
pub fn save_to(
    disk: &Disk,
    path: &Path,
    changes: &SessionChanges,
) -> Result<(), SavedChangesError> {
    let json = to_json(path, changes)?;
    disk.write(path, &json)
        .map_err(|source| write_error(path, source))
}

/// The failure to write `path`.
fn write_error(path: &Path, source: std::io::Error) -> SavedChangesError {
    SavedChangesError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// What [`save`] writes to `path`.
fn to_json(path: &Path, changes: &SessionChanges) -> Result<Vec<u8>, SavedChangesError> {
    let staged = changes.staged();
    let root = staged.root().to_path_buf();
    let file = SavedFile {
        version: FORMAT_VERSION,
        staged: staged
            .files()
            .map(|change| SavedChange {
                path: relative(&root, &change.path),
                original: change.original.as_deref().map(Content::of),
                after: change.after().map(Content::of),
            })
            .collect(),
        history: changes
            .history()
            .iter()
            .map(|applied| {
                applied
                    .files()
                    .iter()
                    .map(|file| SavedApplied {
                        path: relative(&root, &file.path),
                        before: file.before.as_deref().map(Content::of),
                        after: file.after.as_deref().map(Content::of),
                    })
                    .collect()
            })
            .collect(),
        root,
    };
    serde_json::to_vec_pretty(&file).map_err(|e| write_error(path, e.into()))
}

/// Reads the changes [`save`] wrote to `path`. A damaged file is an error
/// naming it, never a partial set.
pub fn load(path: &Path) -> Result<SessionChanges, SavedChangesError> {
    load_from(&Disk::default(), path)
}

/// [`load`] from `disk`; the changes read are on `disk` too (their
/// originals read from it, applied and undone on it).
pub fn load_from(disk: &Disk, path: &Path) -> Result<SessionChanges, SavedChangesError> {
    let bytes = disk.read(path).map_err(|source| SavedChangesError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let corrupt = |reason: String| SavedChangesError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let file: SavedFile = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
    if file.version != FORMAT_VERSION {
        return Err(corrupt(format!(
            "format {} where {FORMAT_VERSION} was expected",
            file.version
        )));
    }
    let root = file.root;
    let mut staged = Vec::with_capacity(file.staged.len());
    for change in file.staged {
        staged.push(FileChange {
            path: inside(&root, &change.path).map_err(corrupt)?,
            original: change
                .original
                .map(Content::into_bytes)
                .transpose()
                .map_err(corrupt)?,
            staged: match change
                .after
                .map(Content::into_bytes)
                .transpose()
                .map_err(corrupt)?
            {
                Some(bytes) => Staged::Write(bytes),
                None => Staged::Delete,
            },
        });
    }
    let mut history = Vec::with_capacity(file.history.len());
    for applied in file.history {
        let mut files = Vec::with_capacity(applied.len());
        for file in applied {
            files.push(AppliedFile {
                path: inside(&root, &file.path).map_err(corrupt)?,
                before: file
                    .before
                    .map(Content::into_bytes)
                    .transpose()
                    .map_err(corrupt)?,
                after: file
                    .after
                    .map(Content::into_bytes)
                    .transpose()
                    .map_err(corrupt)?,
            });
        }
        history.push(AppliedChanges::new(files));
    }
    Ok(SessionChanges::restore(
        ChangeSet::from_changes(root.clone(), staged).with_disk(disk.clone()),
        history,
    ))
}

/// `<data dir>/sessions/<project id>`.
fn sessions_dir(data_dir: &Path, project_id: &str) -> PathBuf {
    data_dir.join("sessions").join(project_id)
}

/// `path` relative to `root` when it is inside it (always, for a change set).
fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// `path` from the file, made absolute under `root`; one that would lead
/// outside the project is refused.
fn inside(root: &Path, path: &Path) -> Result<PathBuf, String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    if rel.as_os_str().is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(format!(
            "{} is not a file inside {}",
            path.display(),
            root.display()
        ));
    }
    Ok(root.join(rel))
}

/// The file as written.
#[derive(Serialize, Deserialize)]
struct SavedFile {
    version: u32,
    /// The project root; the paths below are relative to it.
    root: PathBuf,
    staged: Vec<SavedChange>,
    /// Applies that can be undone, oldest first.
    history: Vec<Vec<SavedApplied>>,
}

/// One staged file: `null` content means the file does not exist (before)
/// or is deleted (after).
#[derive(Serialize, Deserialize)]
struct SavedChange {
    path: PathBuf,
    original: Option<Content>,
    after: Option<Content>,
}

/// One file of an applied change.
#[derive(Serialize, Deserialize)]
struct SavedApplied {
    path: PathBuf,
    before: Option<Content>,
    after: Option<Content>,
}

/// A file's bytes: `{"text": "…"}` when they are UTF-8, `{"base64": "…"}`
/// otherwise.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Content {
    Text(String),
    Base64(String),
}

impl Content {
    fn of(bytes: &[u8]) -> Self {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::Text(text.to_string()),
            Err(_) => Self::Base64(BASE64.encode(bytes)),
        }
    }

    fn into_bytes(self) -> Result<Vec<u8>, String> {
        match self {
            Self::Text(text) => Ok(text.into_bytes()),
            Self::Base64(encoded) => BASE64
                .decode(encoded)
                .map_err(|e| format!("bad base64 content: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn staged_changes_and_history_survive_a_save_byte_for_byte() {
        let (_dir, root) = project();
        let (crlf, bin, gone, new) = (
            root.join("crlf.txt"),
            root.join("data.bin"),
            root.join("gone.txt"),
            root.join("sub/new.txt"),
        );
        std::fs::write(&crlf, "one\r\ntwo").unwrap();
        std::fs::write(&bin, [0u8, 159, 146, 150]).unwrap();
        std::fs::write(&gone, "bye\n").unwrap();
        let changes = SessionChanges::new(&root);
        changes
            .stage(vec![(bin.clone(), Some(vec![255, 0, 1]))])
            .unwrap();
        changes.write_through(std::slice::from_ref(&bin)).unwrap();
        changes
            .stage(vec![
                (crlf.clone(), Some(b"one\r\nTWO".to_vec())),
                (gone.clone(), None),
                (new.clone(), Some("héllo\n".as_bytes().to_vec())),
            ])
            .unwrap();

        let file = root.join("saved/s.changes.json");
        save(&file, &changes).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(r#""text": "one\r\nTWO""#), "{text}");
        assert!(text.contains("\"base64\""), "{text}");
        assert!(!text.contains(&root.join("crlf.txt").display().to_string()));

        let loaded = load(&file).unwrap();
        assert_eq!(
            loaded.staged().files().collect::<Vec<_>>(),
            changes.staged().files().collect::<Vec<_>>()
        );
        assert_eq!(loaded.history(), changes.history());
        loaded.apply().unwrap();
        assert_eq!(std::fs::read(&crlf).unwrap(), b"one\r\nTWO");
        loaded.undo().unwrap().unwrap();
        loaded.undo().unwrap().unwrap();
        assert_eq!(std::fs::read(&bin).unwrap(), [0u8, 159, 146, 150]);
        assert_eq!(std::fs::read(&crlf).unwrap(), b"one\r\ntwo");
        assert!(gone.exists() && !new.exists());
    }

    #[test]
    fn a_damaged_file_is_an_error_naming_it() {
        let (_dir, root) = project();
        let file = root.join("s.changes.json");
        std::fs::write(&file, "{\"version\": 1, \"root\": ").unwrap();
        let error = load(&file).unwrap_err();
        assert!(matches!(error, SavedChangesError::Corrupt { .. }));
        assert!(error.to_string().contains("s.changes.json"), "{error}");
    }

    #[test]
    fn a_path_leading_outside_the_project_is_refused() {
        let (_dir, root) = project();
        let file = root.join("s.changes.json");
        let json = serde_json::json!({
            "version": 1,
            "root": root,
            "staged": [{ "path": "../evil", "original": null, "after": { "text": "x" } }],
            "history": [],
        });
        std::fs::write(&file, json.to_string()).unwrap();
        assert!(matches!(
            load(&file).unwrap_err(),
            SavedChangesError::Corrupt { .. }
        ));
    }

    #[test]
    fn the_latest_session_is_the_last_saved_and_ids_cannot_escape() {
        let (_dir, data) = project();
        assert!(latest_changes_file(&data, "p").unwrap().is_none());
        let changes = SessionChanges::new(&data);
        let first = changes_file(&data, "p", "first").unwrap();
        save(&first, &changes).unwrap();
        let second = changes_file(&data, "p", "second").unwrap();
        save(&second, &changes).unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&first)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert_eq!(
            latest_changes_file(&data, "p").unwrap(),
            Some(("first".to_string(), first))
        );
        assert!(matches!(
            changes_file(&data, "p", "../x"),
            Err(SavedChangesError::BadSessionId { .. })
        ));
    }

    #[test]
    fn changes_saved_on_another_disk_are_loaded_onto_it() {
        let disk = Disk::new(crate::fs::MemoryFs::new());
        let (root, data) = (Path::new("/project"), Path::new("/data"));
        disk.write(&root.join("a.txt"), b"old\n").unwrap();
        let changes = SessionChanges::on_disk(root, disk.clone());
        changes
            .stage(vec![(root.join("a.txt"), Some(b"new\n".to_vec()))])
            .unwrap();
        assert!(latest_changes_file_on(&disk, data, "p").unwrap().is_none());
        let file = changes_file(data, "p", "s1").unwrap();
        save_to(&disk, &file, &changes).unwrap();
        assert!(!file.exists(), "written to the machine's disk");
        assert_eq!(
            latest_changes_file_on(&disk, data, "p").unwrap(),
            Some(("s1".to_string(), file.clone()))
        );

        let loaded = load_from(&disk, &file).unwrap();
        assert_eq!(loaded.diff(), changes.diff());
        loaded.apply().unwrap();
        assert_eq!(disk.read(&root.join("a.txt")).unwrap(), b"new\n");
        loaded.undo().unwrap().unwrap();
        assert_eq!(disk.read(&root.join("a.txt")).unwrap(), b"old\n");
    }
}
