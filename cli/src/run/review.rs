//! After the turn: the changes the run staged are shown, applied when the
//! person at the terminal says so, and otherwise saved for `code-mesh
//! diff`, `apply` and `reject`, with a note saying how to go on. What a
//! `--yes` run wrote is saved too, for `code-mesh undo`.

use crate::prompt;
use crate::render::Render;
use crate::saved::SavedSession;
use crate::session::Session;
use anyhow::bail;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::protocol::{Event, Op};

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
    session.submit(Op::ShowChanges);
    let shown = session.change_answer().await?;
    let mut failure = None;
    if let Event::Changes { files, .. } = &shown
        && !files.is_empty()
    {
        renderer.event(&shown)?;
        if ask && confirm().await? {
            session.submit(Op::ApplyChanges);
            let answer = session.change_answer().await?;
            renderer.event(&answer)?;
            if let Event::Error { message } = answer {
                failure = Some(message);
            }
        }
    }
    let staged = !changes.staged().is_empty();
    if staged || !changes.history().is_empty() {
        saved.save(changes)?;
    }
    let id = &saved.id;
    if staged {
        renderer.notice(&format!(
            "Not applied; saved as session {id}:\n  \
             code-mesh diff     show the changes again\n  \
             code-mesh apply    write them to disk\n  \
             code-mesh reject   drop them\n\
             (these act on the latest session; -s {id} picks this one)"
        ))?;
    } else if changes.history().len() > applies_before {
        renderer.notice(&format!(
            "code-mesh undo -s {id} puts the files back as they were"
        ))?;
    }
    match failure {
        Some(message) => bail!(message),
        None => Ok(()),
    }
}

/// Asks whether to apply; anything but yes keeps the changes staged.
async fn confirm() -> anyhow::Result<bool> {
    let answer = prompt::ask("Apply these changes? [y/N] ").await?;
    Ok(matches!(
        answer.map(|a| a.to_lowercase()).as_deref(),
        Some("y" | "yes")
    ))
}
