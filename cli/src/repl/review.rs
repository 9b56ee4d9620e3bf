//! After a turn that left changes staged: the diff is shown and the person
//! applies all of it, chooses file by file, or keeps it staged for later
//! (`/apply`, `/reject`).

use crate::run::review;
use crate::session::Session;
use code_mesh_cli::render::Render;

/// Shows the staged changes and, when someone can answer (`ask`), asks
/// `Apply? [a]ll / [p]er file / [n]o`.
pub async fn review_changes(
    session: &mut Session,
    renderer: &mut dyn Render,
    ask: bool,
) -> anyhow::Result<()> {
    let files = review::show_staged(session, renderer).await?;
    if files.is_empty() {
        return Ok(());
    }
    if !ask {
        return kept(renderer);
    }
    let Some(op) = review::ask_apply(&files).await? else {
        return kept(renderer);
    };
    if let Some(reason) = review::send_change_op(session, renderer, op).await? {
        renderer.notice(&format!("error: {reason}"))?;
    }
    Ok(())
}

fn kept(renderer: &mut dyn Render) -> anyhow::Result<()> {
    renderer.notice("Kept staged: /apply writes them, /reject drops them, /diff shows them.")?;
    Ok(())
}
