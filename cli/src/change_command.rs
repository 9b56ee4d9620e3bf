//! `code-mesh diff|apply|reject|undo` without the plumbing: the op each
//! sends to a Supervisor holding a session's saved changes, what its answer
//! means (what to show, what to say, whether to save), and the notes `run`
//! ends with. The native binary and the npm build both go through it, so
//! they say the same.

use code_mesh_runtime::protocol::{Event, Op};

/// A command on a session's saved changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeCommand {
    /// Show the staged changes.
    Diff,
    /// Write them to disk, all or nothing.
    Apply,
    /// Drop them; the disk is untouched.
    Reject,
    /// Put back what the latest apply (or a `--yes` run) changed.
    Undo,
}

/// What to do with a Supervisor's answer to a [`ChangeCommand`].
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Whether the changes, as the op left them, are saved back.
    pub save: bool,
    /// The answer to show as `run` shows it, if any.
    pub shown: Option<Event>,
    /// A line for stderr after it, if any.
    pub note: Option<String>,
}

/// The command failed: the message says why and what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ChangeCommandError(pub String);

impl ChangeCommand {
    /// The op it sends.
    pub fn op(self) -> Op {
        match self {
            Self::Diff => Op::ShowChanges,
            Self::Apply => Op::ApplyChanges,
            Self::Reject => Op::RejectChanges,
            Self::Undo => Op::Undo,
        }
    }

    /// Whether it changes the session (and so holds the project's lock).
    pub fn writes(self) -> bool {
        self != Self::Diff
    }

    /// What the Supervisor's `answer` to [`ChangeCommand::op`] on session
    /// `id` comes to; its refusal, or an answer that does not fit, is the
    /// error.
    pub fn outcome(self, id: &str, answer: Event) -> Result<Outcome, ChangeCommandError> {
        let shown = |save: bool, event: Event, note: Option<String>| Outcome {
            save,
            shown: Some(event),
            note,
        };
        match (self, answer) {
            (_, Event::Error { message }) => Err(ChangeCommandError(message)),
            (Self::Diff, Event::Changes { files, .. }) if files.is_empty() => Ok(Outcome {
                save: false,
                shown: None,
                note: Some(format!("session {id} has no staged changes")),
            }),
            (Self::Diff, changes @ Event::Changes { .. }) => Ok(shown(false, changes, None)),
            (Self::Apply, Event::ChangesApplied { files }) if files.is_empty() => {
                Err(ChangeCommandError(format!(
                    "nothing to apply: session {id} has no staged changes"
                )))
            }
            (Self::Apply, applied @ Event::ChangesApplied { .. }) => Ok(shown(
                true,
                applied,
                Some("code-mesh undo puts them back as they were".to_string()),
            )),
            (Self::Reject, Event::ChangesRejected { files }) if files.is_empty() => {
                Err(ChangeCommandError(format!(
                    "nothing to reject: session {id} has no staged changes"
                )))
            }
            (Self::Reject, rejected @ Event::ChangesRejected { .. }) => {
                Ok(shown(true, rejected, None))
            }
            (Self::Undo, undone @ Event::ChangesUndone { .. }) => Ok(shown(true, undone, None)),
            (_, other) => Err(ChangeCommandError(format!(
                "the runtime answered with an unexpected event: {other:?}"
            ))),
        }
    }
}

/// What `run` says when it leaves changes staged, saved as session `id`.
pub fn not_applied_note(id: &str) -> String {
    format!(
        "Not applied; saved as session {id}:\n  \
         code-mesh diff     show the changes again\n  \
         code-mesh apply    write them to disk\n  \
         code-mesh reject   drop them\n\
         (these act on the latest session; -s {id} picks this one)"
    )
}

/// What `run` says when it wrote files (`--yes`) in session `id`.
pub fn undo_note(id: &str) -> String {
    format!("code-mesh undo -s {id} puts the files back as they were")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_answers_are_a_note_for_diff_and_an_error_for_apply_and_reject() {
        let empty = Event::Changes {
            files: Vec::new(),
            diff: String::new(),
        };
        let outcome = ChangeCommand::Diff.outcome("s1", empty).unwrap();
        assert!(outcome.shown.is_none() && !outcome.save);
        assert_eq!(
            outcome.note.as_deref(),
            Some("session s1 has no staged changes")
        );
        let error = ChangeCommand::Apply
            .outcome("s1", Event::ChangesApplied { files: Vec::new() })
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "nothing to apply: session s1 has no staged changes"
        );
        let error = ChangeCommand::Reject
            .outcome("s1", Event::ChangesRejected { files: Vec::new() })
            .unwrap_err();
        assert!(
            error.to_string().starts_with("nothing to reject"),
            "{error}"
        );
    }

    #[test]
    fn applied_answers_are_shown_and_saved_and_refusals_are_errors() {
        let applied = Event::ChangesApplied {
            files: vec!["a.txt".to_string()],
        };
        let outcome = ChangeCommand::Apply.outcome("s1", applied.clone()).unwrap();
        assert!(outcome.save);
        assert_eq!(outcome.shown, Some(applied));
        let refused = Event::Error {
            message: "there is no applied change to undo in this session".to_string(),
        };
        let error = ChangeCommand::Undo.outcome("s1", refused).unwrap_err();
        assert!(error.to_string().contains("no applied change"), "{error}");
        let odd = ChangeCommand::Undo.outcome("s1", Event::ChangesApplied { files: Vec::new() });
        assert!(odd.unwrap_err().to_string().contains("unexpected event"));
    }
}
