//! [`SessionChanges`]: the one change set a session's agents and tools
//! share, with the undo history of what reached the disk.

use super::applied::AppliedChanges;
use super::change_set::ChangeSet;
use super::error::ChangeError;
use super::read_log::{ReadCheck, ReadLog};
use crate::fs::Disk;
use crate::protocol::ChangedFile;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The session's staged changes and applied history, shared (cheap to
/// clone) by the Supervisor and every tool call. Agents run on one thread,
/// so a `RefCell` is enough; no borrow is held across an `.await`.
#[derive(Debug, Clone)]
pub struct SessionChanges {
    inner: Rc<RefCell<Inner>>,
}

#[derive(Debug)]
struct Inner {
    staged: ChangeSet,
    /// Applies that can be undone, oldest first.
    history: Vec<AppliedChanges>,
    /// Whether write-through changes join the last history entry (within
    /// one turn) or start a new one.
    checkpoint_open: bool,
    reads: ReadLog,
}

impl SessionChanges {
    /// No changes yet, for the project at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self::restore(ChangeSet::new(root), Vec::new())
    }

    /// No changes yet, for the project at `root` on `disk` (Node's `fs`, an
    /// in-memory project) rather than the machine's own disk.
    pub fn on_disk(root: impl Into<PathBuf>, disk: Disk) -> Self {
        Self::restore(ChangeSet::new(root).with_disk(disk), Vec::new())
    }

    /// The file system the project lives on.
    pub fn disk(&self) -> Disk {
        self.inner.borrow().staged.disk().clone()
    }

    /// A session's changes as they were saved: what is staged and the
    /// applies that can still be undone, oldest first.
    pub fn restore(staged: ChangeSet, history: Vec<AppliedChanges>) -> Self {
        Self {
            inner: Rc::new(RefCell::new(Inner {
                staged,
                history,
                checkpoint_open: false,
                reads: ReadLog::default(),
            })),
        }
    }

    /// What `path` holds as agents see it: staged content over the disk's;
    /// `Ok(None)` when it does not exist.
    pub fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, ChangeError> {
        self.inner.borrow().staged.read(path)
    }

    /// Whether `path` has a staged change (so the disk is not what agents see).
    pub fn is_staged(&self, path: &Path) -> bool {
        self.inner.borrow().staged.get(path).is_some()
    }

    /// Every staged path, and whether it exists once the change is applied
    /// (the search tools add created files and hide deleted ones).
    pub fn staged_paths(&self) -> Vec<(PathBuf, bool)> {
        self.inner
            .borrow()
            .staged
            .files()
            .map(|change| (change.path.clone(), change.after().is_some()))
            .collect()
    }

    /// Stages each `(path, content)`: new bytes, or `None` to delete.
    pub fn stage(&self, files: Vec<(PathBuf, Option<Vec<u8>>)>) -> Result<(), ChangeError> {
        let inner = &mut *self.inner.borrow_mut();
        for (path, content) in files {
            match content {
                Some(bytes) => inner.staged.stage_write(&path, bytes)?,
                None => inner.staged.stage_delete(&path)?,
            }
            inner.reads.note(inner.staged.disk(), &path);
        }
        Ok(())
    }

    /// Writes the staged changes of `paths` to disk at once (the `edit:
    /// allow` permission), joining the current undo checkpoint.
    pub fn write_through(&self, paths: &[PathBuf]) -> Result<(), ChangeError> {
        let inner = &mut *self.inner.borrow_mut();
        let applied = inner.staged.apply_paths(paths)?;
        for path in paths {
            inner.reads.note(inner.staged.disk(), path);
        }
        if applied.is_empty() {
            return Ok(());
        }
        let open = inner.checkpoint_open;
        match inner.history.last_mut() {
            Some(last) if open => last.merge(applied),
            _ => {
                inner.history.push(applied);
                inner.checkpoint_open = true;
            }
        }
        Ok(())
    }

    /// Closes the current undo checkpoint: the next write-through change
    /// starts a new one. The Supervisor calls it at the start of each turn,
    /// so `undo` reverts a turn's direct writes together.
    pub fn begin_checkpoint(&self) {
        self.inner.borrow_mut().checkpoint_open = false;
    }

    /// A copy of the staged change set (for saving, or a reviewer's look).
    pub fn staged(&self) -> ChangeSet {
        self.inner.borrow().staged.clone()
    }

    /// The applies that can still be undone, oldest first (for saving).
    pub fn history(&self) -> Vec<AppliedChanges> {
        self.inner.borrow().history.clone()
    }

    /// A unified diff of everything staged.
    pub fn diff(&self) -> String {
        self.inner.borrow().staged.diff()
    }

    /// One line per staged file: its status and added and removed lines.
    pub fn summary(&self) -> Vec<ChangedFile> {
        self.inner.borrow().staged.summary()
    }

    /// Writes everything staged to disk (all or nothing) and records it for
    /// undo; the returned record names the files.
    pub fn apply(&self) -> Result<AppliedChanges, ChangeError> {
        let paths: Vec<PathBuf> = self.staged().files().map(|c| c.path.clone()).collect();
        self.apply_paths(&paths)
    }

    /// Like [`apply`](Self::apply), for the staged changes of `paths` only;
    /// the others stay staged.
    pub fn apply_paths(&self, paths: &[PathBuf]) -> Result<AppliedChanges, ChangeError> {
        let mut inner = self.inner.borrow_mut();
        let applied = inner.staged.apply_paths(paths)?;
        if !applied.is_empty() {
            inner.history.push(applied.clone());
            inner.checkpoint_open = false;
        }
        Ok(applied)
    }

    /// Drops everything staged and returns the paths it held; the disk is
    /// untouched.
    pub fn reject(&self) -> Vec<PathBuf> {
        let mut inner = self.inner.borrow_mut();
        let paths = inner.staged.files().map(|c| c.path.clone()).collect();
        inner.staged.reject();
        paths
    }

    /// Undoes the latest apply, byte for byte; `Ok(None)` when there is
    /// nothing to undo. If it cannot be undone (a file changed since), it
    /// stays in the history.
    pub fn undo(&self) -> Result<Option<AppliedChanges>, ChangeError> {
        let inner = &mut *self.inner.borrow_mut();
        let Some(last) = inner.history.pop() else {
            return Ok(None);
        };
        if let Err(error) = last.undo(inner.staged.disk()) {
            inner.history.push(last);
            return Err(error);
        }
        inner.checkpoint_open = false;
        for path in last.paths() {
            inner.reads.note(inner.staged.disk(), path);
        }
        Ok(Some(last))
    }

    /// Records that an agent read `path` (the `read` tool calls it).
    pub fn note_read(&self, path: &Path) {
        let inner = &mut *self.inner.borrow_mut();
        inner.reads.note(inner.staged.disk(), path);
    }

    /// Whether an agent read `path` and the disk still holds what it read;
    /// a staged file counts as read (its content came from the agents).
    pub fn check_read(&self, path: &Path) -> ReadCheck {
        let inner = self.inner.borrow();
        if inner.staged.get(path).is_some() {
            return ReadCheck::Fresh;
        }
        inner.reads.check(inner.staged.disk(), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_through_in_one_checkpoint_undoes_together() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "a0").unwrap();
        let changes = SessionChanges::new(dir.path());
        changes.begin_checkpoint();
        changes
            .stage(vec![(a.clone(), Some(b"a1".to_vec()))])
            .unwrap();
        changes.write_through(std::slice::from_ref(&a)).unwrap();
        changes
            .stage(vec![
                (a.clone(), Some(b"a2".to_vec())),
                (b.clone(), Some(b"b1".to_vec())),
            ])
            .unwrap();
        changes.write_through(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"a2");
        assert_eq!(changes.history().len(), 1);

        changes.undo().unwrap().unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"a0");
        assert!(!b.exists());
        assert!(changes.undo().unwrap().is_none());
    }

    #[test]
    fn staged_files_count_as_read_and_unread_files_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::write(&a, "x").unwrap();
        let changes = SessionChanges::new(dir.path());
        assert_eq!(changes.check_read(&a), ReadCheck::NeverRead);
        changes.note_read(&a);
        assert_eq!(changes.check_read(&a), ReadCheck::Fresh);
        changes
            .stage(vec![(dir.path().join("n"), Some(b"n".to_vec()))])
            .unwrap();
        assert_eq!(changes.check_read(&dir.path().join("n")), ReadCheck::Fresh);
    }
}
