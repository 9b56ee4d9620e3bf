//! The project as agents see it: the disk, with the session's staged
//! changes over it. Writing tools stage instead of writing (when `edit` is
//! `ask`), so the reading and searching tools must show the staged state,
//! or an agent would not find the file it just created.
//!
//! `read` and the editing tools read a file's content through
//! [`ToolContext::read_file`]; the walking tools (`grep`, `glob`, `list`)
//! walk the session's disk and use a [`StagedFiles`] snapshot to leave out
//! staged deletions, to search staged content instead of the disk's, and
//! to add the files that exist only in the change set.

use code_mesh_runtime::fs::Disk;
use code_mesh_runtime::tool::{ToolContext, ToolError, WriteMode};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Whether `path` exists as agents see it (a staged deletion hides it, a
/// staged creation shows it).
pub(crate) fn exists(ctx: &ToolContext, path: &Path) -> Result<bool, ToolError> {
    if ctx.changes.is_staged(path) {
        Ok(ctx.read_file(path)?.is_some())
    } else {
        Ok(ctx.disk().exists(path))
    }
}

/// The session's staged paths at the start of a walk, shareable with the
/// walk's threads.
#[derive(Debug, Clone)]
pub(crate) struct StagedFiles {
    /// Each staged path, and whether it exists once the change is applied.
    paths: HashMap<PathBuf, bool>,
    /// The disk the changes are staged over.
    disk: Disk,
}

impl StagedFiles {
    /// The staged paths of `ctx`'s session now.
    pub(crate) fn of(ctx: &ToolContext) -> Self {
        Self {
            paths: ctx.changes.staged_paths().into_iter().collect(),
            disk: ctx.disk(),
        }
    }

    /// Whether `path` has a staged change (its content is not the disk's).
    pub(crate) fn is_staged(&self, path: &Path) -> bool {
        self.paths.contains_key(path)
    }

    /// Whether `path` is staged for deletion.
    pub(crate) fn is_deleted(&self, path: &Path) -> bool {
        self.paths.get(path) == Some(&false)
    }

    /// The staged files under `dir` (or `dir` itself) that exist only in
    /// the change set, not on disk, so a walk of the disk cannot find them;
    /// sorted.
    pub(crate) fn created_under(&self, dir: &Path) -> Vec<PathBuf> {
        let mut created: Vec<PathBuf> = self
            .paths
            .iter()
            .filter(|(path, exists)| {
                **exists && path.starts_with(dir) && self.disk.metadata(path).is_err()
            })
            .map(|(path, _)| path.clone())
            .collect();
        created.sort();
        created
    }

    /// Whether anything is staged under `dir` (or is `dir`) that exists
    /// after the change: such a directory exists as agents see it even if
    /// the disk does not have it yet.
    pub(crate) fn has_files_under(&self, dir: &Path) -> bool {
        self.paths
            .iter()
            .any(|(path, exists)| *exists && path.starts_with(dir))
    }
}

/// Whether `path`, under `dir`, is hidden there: a component after `dir`
/// starts with a dot (as ripgrep's walk decides it).
pub(crate) fn is_hidden_under(dir: &Path, path: &Path) -> bool {
    path.strip_prefix(dir).is_ok_and(|relative| {
        relative
            .components()
            .any(|part| part.as_os_str().to_string_lossy().starts_with('.'))
    })
}

/// The title of a writing tool's output: `what` (the file, or how many),
/// marked as staged when the change waits for a person's review rather
/// than being on disk.
pub(crate) fn write_title(what: String, mode: WriteMode) -> String {
    match mode {
        WriteMode::Written => what,
        WriteMode::Staged => format!("{what} (staged)"),
    }
}
