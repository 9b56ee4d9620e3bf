//! Where a session's changes are kept between commands:
//! `<data dir>/sessions/<project id>/<session id>.changes.json`.

use anyhow::bail;
use code_mesh_runtime::changes::{self, SessionChanges};
use code_mesh_runtime::config::project_id;
use std::path::{Path, PathBuf};

/// One session's saved-changes file.
#[derive(Debug, Clone)]
pub struct SavedSession {
    /// The session's id (shown as `-s ID`).
    pub id: String,
    /// The file.
    pub path: PathBuf,
}

impl SavedSession {
    /// The file for session `id` of the project at `root`.
    pub fn new(data_dir: &Path, root: &Path, id: &str) -> anyhow::Result<Self> {
        Ok(Self {
            id: id.to_string(),
            path: changes::changes_file(data_dir, &project_id(root), id)?,
        })
    }

    /// Session `id` of the project at `root`, or its latest session when
    /// `id` is `None`; an error saying what to do when there is none.
    pub fn find(data_dir: &Path, root: &Path, id: Option<&str>) -> anyhow::Result<Self> {
        match id {
            Some(id) => {
                let saved = Self::new(data_dir, root, id)?;
                if !saved.path.is_file() {
                    bail!(
                        "no saved changes for session {id} in {}; without -s the latest session is used",
                        root.display()
                    );
                }
                Ok(saved)
            }
            None => match changes::latest_changes_file(data_dir, &project_id(root))? {
                Some((id, path)) => Ok(Self { id, path }),
                None => bail!(
                    "no saved changes in {}: `code-mesh run` saves the changes it does not apply",
                    root.display()
                ),
            },
        }
    }

    /// Reads the saved changes.
    pub fn load(&self) -> anyhow::Result<SessionChanges> {
        Ok(changes::load(&self.path)?)
    }

    /// Saves `changes` (staged and undo history) over the file.
    pub fn save(&self, changes: &SessionChanges) -> anyhow::Result<()> {
        Ok(changes::save(&self.path, changes)?)
    }
}
