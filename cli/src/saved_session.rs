//! [`SavedSession`]: where a session's changes are kept between commands,
//! `<data dir>/sessions/<project id>/<session id>.changes.json`, on the
//! machine's disk natively and through Node's `fs` in the npm build — the
//! same file either way, so each build picks up what the other saved.

use code_mesh_runtime::changes::{self, SavedChangesError, SessionChanges};
use code_mesh_runtime::config::project_id;
use code_mesh_runtime::fs::Disk;
use std::path::{Path, PathBuf};

/// Finding, reading or writing a session's saved changes failed.
#[derive(Debug, thiserror::Error)]
pub enum SavedSessionError {
    /// `-s ID` names a session with no saved changes.
    #[error("no saved changes for session {id} in {root}; without -s the latest session is used")]
    NoSuchSession {
        /// The id given.
        id: String,
        /// The project root.
        root: PathBuf,
    },
    /// The project has no saved changes at all.
    #[error("no saved changes in {root}: `code-mesh run` saves the changes it does not apply")]
    NoSavedChanges {
        /// The project root.
        root: PathBuf,
    },
    /// The file could not be read or written, or is damaged.
    #[error(transparent)]
    File(#[from] SavedChangesError),
}

/// One session's saved-changes file.
#[derive(Debug, Clone)]
pub struct SavedSession {
    /// The session's id (shown as `-s ID`).
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// The file system it is on.
    disk: Disk,
}

impl SavedSession {
    /// The file for session `id` of the project at `root`, on the
    /// machine's disk.
    pub fn new(data_dir: &Path, root: &Path, id: &str) -> Result<Self, SavedSessionError> {
        Self::new_on(&Disk::default(), data_dir, root, id)
    }

    /// [`SavedSession::new`] on `disk`.
    pub fn new_on(
        disk: &Disk,
        data_dir: &Path,
        root: &Path,
        id: &str,
    ) -> Result<Self, SavedSessionError> {
        Ok(Self {
            id: id.to_string(),
            path: changes::changes_file(data_dir, &project_id(root), id)?,
            disk: disk.clone(),
        })
    }

    /// Session `id` of the project at `root`, or its latest session when
    /// `id` is `None`, on the machine's disk; an error saying what to do
    /// when there is none.
    pub fn find(data_dir: &Path, root: &Path, id: Option<&str>) -> Result<Self, SavedSessionError> {
        Self::find_on(&Disk::default(), data_dir, root, id)
    }

    /// [`SavedSession::find`] on `disk`.
    pub fn find_on(
        disk: &Disk,
        data_dir: &Path,
        root: &Path,
        id: Option<&str>,
    ) -> Result<Self, SavedSessionError> {
        match id {
            Some(id) => {
                let saved = Self::new_on(disk, data_dir, root, id)?;
                if !disk.is_file(&saved.path) {
                    return Err(SavedSessionError::NoSuchSession {
                        id: id.to_string(),
                        root: root.to_path_buf(),
                    });
                }
                Ok(saved)
            }
            None => match changes::latest_changes_file_on(disk, data_dir, &project_id(root))? {
                Some((id, path)) => Ok(Self {
                    id,
                    path,
                    disk: disk.clone(),
                }),
                None => Err(SavedSessionError::NoSavedChanges {
                    root: root.to_path_buf(),
                }),
            },
        }
    }

    /// Whether the file exists (a new session has none yet).
    pub fn exists(&self) -> bool {
        self.disk.is_file(&self.path)
    }

    /// Reads the saved changes, on this file's disk.
    pub fn load(&self) -> Result<SessionChanges, SavedSessionError> {
        Ok(changes::load_from(&self.disk, &self.path)?)
    }

    /// Saves `changes` (staged and undo history) over the file.
    pub fn save(&self, changes: &SessionChanges) -> Result<(), SavedSessionError> {
        if self.disk.is_native() {
            Ok(changes::save(&self.path, changes)?)
        } else {
            Ok(changes::save_to(&self.disk, &self.path, changes)?)
        }
    }
}
