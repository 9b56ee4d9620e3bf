//! Which files an agent has read in this session, and when: the `write`
//! tool overwrites only a file the agent has seen, as it stands on disk now.

use crate::fs::Disk;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What [`ReadLog::check`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadCheck {
    /// The agent read the file and it has not changed on disk since.
    Fresh,
    /// The agent never read the file.
    NeverRead,
    /// The file changed on disk after the agent read it.
    ChangedSinceRead,
}

/// Modification times of the files read, as they were when read.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReadLog {
    stamps: HashMap<PathBuf, Option<SystemTime>>,
}

impl ReadLog {
    /// Records that `path` was read now.
    pub(crate) fn note(&mut self, disk: &Disk, path: &Path) {
        self.stamps.insert(path.to_path_buf(), modified(disk, path));
    }

    /// Whether `path` was read, and whether the disk still holds what was read.
    pub(crate) fn check(&self, disk: &Disk, path: &Path) -> ReadCheck {
        match self.stamps.get(path) {
            None => ReadCheck::NeverRead,
            Some(stamp) if *stamp == modified(disk, path) => ReadCheck::Fresh,
            Some(_) => ReadCheck::ChangedSinceRead,
        }
    }
}

/// `path`'s modification time, `None` when it cannot be read.
fn modified(disk: &Disk, path: &Path) -> Option<SystemTime> {
    disk.metadata_followed(path).and_then(|m| m.modified)
}
