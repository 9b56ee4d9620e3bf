//! The Supervisor's answers to the change-set ops: show, apply, reject, undo.

use super::Supervisor;
use crate::changes::AppliedChanges;
use crate::protocol::Event;
use std::path::PathBuf;

impl Supervisor {
    /// Answers [`crate::protocol::Op::ShowChanges`].
    pub(super) fn show_changes(&self) {
        let changes = &self.session_changes;
        self.emit(Event::Changes {
            files: changes.summary(),
            diff: changes.diff(),
        });
    }

    /// Answers [`crate::protocol::Op::ApplyChanges`].
    pub(super) fn apply_changes(&self) {
        match self.session_changes.apply() {
            Ok(applied) => self.emit(Event::ChangesApplied {
                files: self.relative_paths(&applied),
            }),
            Err(error) => self.emit(Event::Error {
                message: format!("the changes were not applied: {error}"),
            }),
        }
    }

    /// Answers [`crate::protocol::Op::ApplyFiles`].
    pub(super) fn apply_files(&self, paths: &[String]) {
        let root = &self.settings.project_root;
        let paths: Vec<PathBuf> = paths.iter().map(|path| root.join(path)).collect();
        match self.session_changes.apply_paths(&paths) {
            Ok(applied) => self.emit(Event::ChangesApplied {
                files: self.relative_paths(&applied),
            }),
            Err(error) => self.emit(Event::Error {
                message: format!("the changes were not applied: {error}"),
            }),
        }
    }

    /// Answers [`crate::protocol::Op::RejectChanges`].
    pub(super) fn reject_changes(&self) {
        let root = self.session_changes.staged().root().to_path_buf();
        let files = self
            .session_changes
            .reject()
            .iter()
            .map(|path| {
                path.strip_prefix(&root)
                    .unwrap_or(path)
                    .display()
                    .to_string()
            })
            .collect();
        self.emit(Event::ChangesRejected { files });
    }

    /// Answers [`crate::protocol::Op::Undo`].
    pub(super) fn undo_changes(&self) {
        match self.session_changes.undo() {
            Ok(Some(undone)) => self.emit(Event::ChangesUndone {
                files: self.relative_paths(&undone),
            }),
            Ok(None) => self.emit(Event::Error {
                message: "there is no applied change to undo in this session".to_string(),
            }),
            Err(error) => self.emit(Event::Error {
                message: format!("nothing was undone: {error}"),
            }),
        }
    }

    /// The files of `applied`, relative to the project root.
    fn relative_paths(&self, applied: &AppliedChanges) -> Vec<String> {
        let root = &self.settings.project_root;
        applied
            .paths()
            .map(|path| {
                path.strip_prefix(root)
                    .unwrap_or(path)
                    .display()
                    .to_string()
            })
            .collect()
    }
}
