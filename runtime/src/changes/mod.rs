//! Staged changes: what the agents want to do to the project's files, held
//! back from the disk until a person approves it.
//!
//! Writing tools stage into the session's [`ChangeSet`] instead of the disk,
//! and reading tools see the staged content, so agents work as if their edits
//! were applied. [`ChangeSet::diff`] shows the whole change as a unified diff;
//! [`ChangeSet::apply`] writes every file atomically and returns the
//! [`AppliedChanges`] that can undo it byte for byte; dropping the set (reject)
//! leaves the disk untouched. [`save`] and [`load`] keep a session's changes
//! in a file between commands.
//!
//! ```
//! use code_mesh_runtime::changes::ChangeSet;
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.txt"), "old\n")?;
//! let mut changes = ChangeSet::new(dir.path());
//! changes.stage_write(&dir.path().join("a.txt"), b"new\n".to_vec())?;
//! assert_eq!(std::fs::read_to_string(dir.path().join("a.txt"))?, "old\n");
//! let applied = changes.apply()?;
//! assert_eq!(std::fs::read_to_string(dir.path().join("a.txt"))?, "new\n");
//! applied.undo(changes.disk())?;
//! assert_eq!(std::fs::read_to_string(dir.path().join("a.txt"))?, "old\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod applied;
mod change_set;
mod diff;
mod error;
mod read_log;
mod saved;
mod session;

pub use applied::AppliedChanges;
pub use change_set::{ChangeSet, FileChange, Staged};
pub use error::ChangeError;
pub use read_log::ReadCheck;
pub use saved::{
    SavedChangesError, changes_file, latest_changes_file, latest_changes_file_on, load, load_from,
    save, save_to,
};
pub use session::SessionChanges;
