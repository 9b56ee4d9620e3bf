//! How the protocol names a change to the project's files.

use serde::{Deserialize, Serialize};

/// What a change does to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// The file is created.
    Added,
    /// The file's content changes.
    Modified,
    /// The file is removed.
    Deleted,
}

/// One file of a change set, for a summary line: `M src/lib.rs +3 -1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedFile {
    /// The path, relative to the project root.
    pub path: String,
    /// Created, changed or removed.
    pub status: FileStatus,
    /// Lines added (0 for a binary file).
    pub additions: usize,
    /// Lines removed (0 for a binary file).
    pub deletions: usize,
}
