//! After the turn: the changes the run staged are shown, applied when the
//! person at the terminal says so, and otherwise saved for `code-mesh
//! diff`, `apply` and `reject`, with a note saying how to go on. What a
//! `--yes` run wrote is saved too, for `code-mesh undo`. The pieces are
//! shared with the interactive mode, which asks its own question.

use crate::prompt;
use crate::session::Session;
use anyhow::bail;
use code_mesh_cli::change_command::{not_applied_note, undo_note};
use code_mesh_cli::render::Render;
use code_mesh_cli::saved_session::SavedSession;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::protocol::{ChangedFile, Event, Op};

/// Shows what the turn left staged, offers to apply it when `ask`, and
/// saves the session's changes to `saved` when there is anything to keep.
/// `applies_before` is how many undoable applies the session had when the
/// run began: the undo hint is given only when this run wrote something.
/// An error only when the person asked to apply and it failed.
pub async fn review(
    session: &mut Session,
    renderer: &mut dyn Render,
    changes: &SessionChanges,
    saved: &SavedSession,
    ask: bool,
    applies_before: usize,
) -> anyhow::Result<()> {
    let mut failure = None;
    let files = show_staged(session, renderer).await?;
    if !files.is_empty()
        && ask
        && let Some(op) = ask_apply(&files).await?
    {
        failure = send_change_op(session, renderer, op).await?;
    }
    let staged = keep(changes, saved)?;
    let id = &saved.id;
    if staged {
        renderer.notice(&not_applied_note(id))?;
    } else if changes.history().len() > applies_before {
        renderer.notice(&undo_note(id))?;
    }
    match failure {
        Some(message) => bail!(message),
        None => Ok(()),
    }
}

/// Shows the staged changes (nothing when there are none) and returns
/// their files.
pub async fn show_staged(
    session: &mut Session,
    renderer: &mut dyn Render,
) -> anyhow::Result<Vec<ChangedFile>> {
    session.submit(Op::ShowChanges);
    let shown = session.change_answer().await?;
    match &shown {
        Event::Changes { files, .. } if !files.is_empty() => {
            renderer.event(&shown)?;
            Ok(files.clone())
        }
        _ => Ok(Vec::new()),
    }
}

/// Sends a change-set op (apply, reject, undo …), shows the answer, and
/// returns the runtime's reason when it was refused.
pub async fn send_change_op(
    session: &mut Session,
    renderer: &mut dyn Render,
    op: Op,
) -> anyhow::Result<Option<String>> {
    session.submit(op);
    let answer = session.change_answer().await?;
    renderer.event(&answer)?;
    Ok(match answer {
        Event::Error { message } => Some(message),
        _ => None,
    })
}

/// Saves the session's changes to `saved` when anything is staged or
/// undoable; returns whether anything is still staged.
pub fn keep(changes: &SessionChanges, saved: &SavedSession) -> anyhow::Result<bool> {
    let staged = !changes.staged().is_empty();
    if staged || !changes.history().is_empty() {
        saved.save(changes)?;
    }
    Ok(staged)
}

/// Asks `Apply? [a]ll / [p]er file / [n]o` about `files` on the terminal:
/// the op that applies what the person chose, `None` to keep it all staged.
pub async fn ask_apply(files: &[ChangedFile]) -> anyhow::Result<Option<Op>> {
    let answer = prompt::ask("Apply? [a]ll / [p]er file / [n]o ").await?;
    Ok(match answer.map(|a| a.to_lowercase()).as_deref() {
        Some("a" | "all" | "y" | "yes") => Some(Op::ApplyChanges),
        Some("p" | "per file") => choose(files).await?.map(|paths| Op::ApplyFiles { paths }),
        _ => None,
    })
}

/// Asks for each file; `None` when none was chosen.
async fn choose(files: &[ChangedFile]) -> anyhow::Result<Option<Vec<String>>> {
    let mut chosen = Vec::new();
    for file in files {
        let question = format!(
            "Apply {} (+{} -{})? [y/N] ",
            file.path, file.additions, file.deletions
        );
        let answer = prompt::ask(&question).await?;
        if matches!(
            answer.map(|a| a.to_lowercase()).as_deref(),
            Some("y" | "yes")
        ) {
            chosen.push(file.path.clone());
        }
    }
    Ok((!chosen.is_empty()).then_some(chosen))
}
