//! A change set that reached the disk, kept so it can be undone.

use super::change_set::read_disk;
use super::error::ChangeError;
use crate::fs::Disk;
use std::path::{Path, PathBuf};

/// One file an apply touched: what it held before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AppliedFile {
    pub path: PathBuf,
    pub before: Option<Vec<u8>>,
    pub after: Option<Vec<u8>>,
}

/// The pre-images of an applied change set: [`AppliedChanges::undo`] puts
/// every file back byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedChanges {
    files: Vec<AppliedFile>,
}

impl AppliedChanges {
    pub(crate) fn new(files: Vec<AppliedFile>) -> Self {
        Self { files }
    }

    /// The files the apply touched, with their contents before and after.
    pub(crate) fn files(&self) -> &[AppliedFile] {
        &self.files
    }

    /// Folds a later apply into this one, so that one undo reverts both: a
    /// file both touched keeps this one's "before" and takes `later`'s "after".
    pub fn merge(&mut self, later: AppliedChanges) {
        for file in later.files {
            match self.files.iter_mut().find(|f| f.path == file.path) {
                Some(earlier) => earlier.after = file.after,
                None => self.files.push(file),
            }
        }
        // A file written and then put back as it was is no change at all.
        self.files.retain(|f| f.before != f.after);
    }

    /// Whether the apply touched no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The files the apply touched, in order.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }

    /// Restores every file to what it held before the apply (a created file
    /// is removed, a deleted one recreated). All or nothing: if any file
    /// changed since the apply, nothing is undone.
    pub fn undo(&self, disk: &Disk) -> Result<(), ChangeError> {
        for file in &self.files {
            if read_disk(disk, &file.path)? != file.after {
                return Err(ChangeError::ChangedSinceApply {
                    path: file.path.clone(),
                });
            }
        }
        for (i, file) in self.files.iter().enumerate() {
            if let Err(error) = disk.restore(&file.path, file.before.as_deref()) {
                for done in self.files[..i].iter().rev() {
                    // Best effort: the original error is the one to report.
                    let _ = disk.restore(&done.path, done.after.as_deref());
                }
                return Err(ChangeError::io(&file.path, error));
            }
        }
        Ok(())
    }
}
