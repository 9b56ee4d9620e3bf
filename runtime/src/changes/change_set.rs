//! The change set: staged file contents, each with the pre-image it replaces.

use super::applied::{AppliedChanges, AppliedFile};
use super::error::ChangeError;
use crate::fs::Disk;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a staged change does to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Staged {
    /// The file will hold these bytes (it is created if it did not exist).
    Write(Vec<u8>),
    /// The file will be removed.
    Delete,
}

/// One file's staged change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// The file's absolute path inside the project.
    pub path: PathBuf,
    /// What the file held when the change was first staged; `None` if it did not exist.
    pub original: Option<Vec<u8>>,
    /// What the change does.
    pub staged: Staged,
}

impl FileChange {
    /// The file's content after the change; `None` when it is deleted.
    pub fn after(&self) -> Option<&[u8]> {
        match &self.staged {
            Staged::Write(bytes) => Some(bytes),
            Staged::Delete => None,
        }
    }
}

/// The changes agents have staged in one session, by file.
#[derive(Debug, Clone, Default)]
pub struct ChangeSet {
    root: PathBuf,
    files: BTreeMap<PathBuf, FileChange>,
    /// Where the project's files are read from and applied to.
    disk: Disk,
}

impl ChangeSet {
    /// An empty change set for the project at `root` (paths in diffs are shown relative to it).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            files: BTreeMap::new(),
            disk: Disk::default(),
        }
    }

    /// This change set, reading originals from and applying to `disk`
    /// instead of the machine's own.
    pub fn with_disk(mut self, disk: Disk) -> Self {
        self.disk = disk;
        self
    }

    /// The file system the project lives on.
    pub fn disk(&self) -> &Disk {
        &self.disk
    }

    /// A change set holding `changes` (as [`super::saved`] reads them back).
    pub(crate) fn from_changes(root: PathBuf, changes: Vec<FileChange>) -> Self {
        Self {
            root,
            files: changes
                .into_iter()
                .map(|change| (change.path.clone(), change))
                .collect(),
            disk: Disk::default(),
        }
    }

    /// The project root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Stages `content` as the new content of `path` (absolute, already
    /// confined to the project). Staging a file back to its original content
    /// drops its change.
    pub fn stage_write(&mut self, path: &Path, content: Vec<u8>) -> Result<(), ChangeError> {
        let original = self.original_of(path)?;
        if original.as_deref() == Some(content.as_slice()) {
            self.files.remove(path);
            return Ok(());
        }
        self.files.insert(
            path.to_path_buf(),
            FileChange {
                path: path.to_path_buf(),
                original,
                staged: Staged::Write(content),
            },
        );
        Ok(())
    }

    /// Stages the removal of `path`. Removing a file that only the change set
    /// created drops its change.
    pub fn stage_delete(&mut self, path: &Path) -> Result<(), ChangeError> {
        let original = self.original_of(path)?;
        if original.is_none() {
            self.files.remove(path);
            return Ok(());
        }
        self.files.insert(
            path.to_path_buf(),
            FileChange {
                path: path.to_path_buf(),
                original,
                staged: Staged::Delete,
            },
        );
        Ok(())
    }

    /// What `path` holds as agents see it: the staged content if the set has
    /// a change for it, else the disk's. `Ok(None)` when it does not exist.
    pub fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, ChangeError> {
        match self.files.get(path) {
            Some(change) => Ok(change.after().map(<[u8]>::to_vec)),
            None => read_disk(&self.disk, path),
        }
    }

    /// The staged change for `path`, if any.
    pub fn get(&self, path: &Path) -> Option<&FileChange> {
        self.files.get(path)
    }

    /// Every staged change, ordered by path.
    pub fn files(&self) -> impl Iterator<Item = &FileChange> {
        self.files.values()
    }

    /// How many files the set changes.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether nothing is staged.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// `path` relative to the project root, for people.
    pub fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }

    /// Drops every staged change; the disk is untouched.
    pub fn reject(&mut self) {
        self.files.clear();
    }

    /// Writes every staged change to disk, each file atomically, and empties
    /// the set. All or nothing: if a file changed on disk since it was staged,
    /// or a write fails, the files already written are restored and the set is
    /// kept as it was.
    pub fn apply(&mut self) -> Result<AppliedChanges, ChangeError> {
        let paths: Vec<PathBuf> = self.files.keys().cloned().collect();
        self.apply_paths(&paths)
    }

    /// Like [`apply`](Self::apply), for the staged changes of `paths` only
    /// (paths without a change are skipped); the other changes stay staged.
    pub fn apply_paths(&mut self, paths: &[PathBuf]) -> Result<AppliedChanges, ChangeError> {
        let changes: Vec<&FileChange> = paths.iter().filter_map(|p| self.files.get(p)).collect();
        for change in &changes {
            if read_disk(&self.disk, &change.path)? != change.original {
                return Err(ChangeError::ChangedOnDisk {
                    path: change.path.clone(),
                });
            }
        }
        let mut done: Vec<AppliedFile> = Vec::with_capacity(changes.len());
        for change in changes {
            let file = AppliedFile {
                path: change.path.clone(),
                before: change.original.clone(),
                after: change.after().map(<[u8]>::to_vec),
            };
            if let Err(error) = self.disk.restore(&file.path, file.after.as_deref()) {
                for written in done.iter().rev() {
                    // Best effort: the original error is the one to report.
                    let _ = self.disk.restore(&written.path, written.before.as_deref());
                }
                return Err(ChangeError::io(&file.path, error));
            }
            done.push(file);
        }
        for file in &done {
            self.files.remove(&file.path);
        }
        Ok(AppliedChanges::new(done))
    }

    /// The original content of `path`: what an earlier staging recorded, or the disk's.
    fn original_of(&self, path: &Path) -> Result<Option<Vec<u8>>, ChangeError> {
        match self.files.get(path) {
            Some(change) => Ok(change.original.clone()),
            None => read_disk(&self.disk, path),
        }
    }
}

/// `path`'s bytes on disk, `None` if it does not exist.
pub(crate) fn read_disk(disk: &Disk, path: &Path) -> Result<Option<Vec<u8>>, ChangeError> {
    disk.read_if_exists(path)
        .map_err(|e| ChangeError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        (dir, root)
    }

    #[test]
    fn staged_write_is_seen_by_reads_but_not_on_disk() {
        let (_dir, root) = project();
        let file = root.join("a.txt");
        std::fs::write(&file, "old").unwrap();
        let mut set = ChangeSet::new(&root);
        set.stage_write(&file, b"new".to_vec()).unwrap();
        assert_eq!(set.read(&file).unwrap().unwrap(), b"new");
        assert_eq!(std::fs::read(&file).unwrap(), b"old");
    }

    #[test]
    fn staging_back_to_the_original_drops_the_change() {
        let (_dir, root) = project();
        let file = root.join("a.txt");
        std::fs::write(&file, "old").unwrap();
        let mut set = ChangeSet::new(&root);
        set.stage_write(&file, b"new".to_vec()).unwrap();
        set.stage_write(&file, b"old".to_vec()).unwrap();
        assert!(set.is_empty());
    }

    #[test]
    fn deleting_a_file_the_set_created_drops_the_change() {
        let (_dir, root) = project();
        let file = root.join("new.txt");
        let mut set = ChangeSet::new(&root);
        set.stage_write(&file, b"x".to_vec()).unwrap();
        set.stage_delete(&file).unwrap();
        assert!(set.is_empty());
        assert_eq!(set.read(&file).unwrap(), None);
    }

    #[test]
    fn apply_writes_creates_and_deletes_then_undo_restores_byte_for_byte() {
        let (_dir, root) = project();
        let (a, b, c) = (
            root.join("a.txt"),
            root.join("sub/b.txt"),
            root.join("c.bin"),
        );
        std::fs::write(&a, "alpha\r\n").unwrap();
        std::fs::write(&c, [0u8, 1, 2, 255]).unwrap();
        let mut set = ChangeSet::new(&root);
        set.stage_write(&a, b"ALPHA\r\n".to_vec()).unwrap();
        set.stage_write(&b, b"bravo\n".to_vec()).unwrap();
        set.stage_delete(&c).unwrap();

        let applied = set.apply().unwrap();
        assert!(set.is_empty());
        assert_eq!(std::fs::read(&a).unwrap(), b"ALPHA\r\n");
        assert_eq!(std::fs::read(&b).unwrap(), b"bravo\n");
        assert!(!c.exists());

        applied.undo(&Disk::default()).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"alpha\r\n");
        assert!(!b.exists());
        assert_eq!(std::fs::read(&c).unwrap(), [0u8, 1, 2, 255]);
    }

    #[test]
    fn apply_refuses_when_the_file_changed_on_disk_and_keeps_the_set() {
        let (_dir, root) = project();
        let (a, b) = (root.join("a.txt"), root.join("b.txt"));
        std::fs::write(&a, "a").unwrap();
        std::fs::write(&b, "b").unwrap();
        let mut set = ChangeSet::new(&root);
        set.stage_write(&a, b"A".to_vec()).unwrap();
        set.stage_write(&b, b"B".to_vec()).unwrap();
        std::fs::write(&b, "edited by the person").unwrap();

        let err = set.apply().unwrap_err();
        assert!(matches!(err, ChangeError::ChangedOnDisk { .. }), "{err}");
        assert_eq!(std::fs::read(&a).unwrap(), b"a");
        assert_eq!(std::fs::read(&b).unwrap(), b"edited by the person");
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn undo_refuses_when_a_file_changed_after_apply() {
        let (_dir, root) = project();
        let a = root.join("a.txt");
        std::fs::write(&a, "a").unwrap();
        let mut set = ChangeSet::new(&root);
        set.stage_write(&a, b"A".to_vec()).unwrap();
        let applied = set.apply().unwrap();
        std::fs::write(&a, "later work").unwrap();
        assert!(matches!(
            applied.undo(&Disk::default()).unwrap_err(),
            ChangeError::ChangedSinceApply { .. }
        ));
        assert_eq!(std::fs::read(&a).unwrap(), b"later work");
    }

    #[test]
    fn reject_leaves_the_disk_untouched() {
        let (_dir, root) = project();
        let a = root.join("a.txt");
        std::fs::write(&a, "a").unwrap();
        let mut set = ChangeSet::new(&root);
        set.stage_write(&a, b"A".to_vec()).unwrap();
        set.stage_write(&root.join("n.txt"), b"N".to_vec()).unwrap();
        set.reject();
        assert!(set.is_empty());
        assert_eq!(std::fs::read(&a).unwrap(), b"a");
        assert!(!root.join("n.txt").exists());
    }
}
