//! After a turn that left changes staged: the diff is shown and the person
//! applies all of it, chooses file by file, or keeps it staged for later
//! (`/apply`, `/reject`).

use crate::prompt;
use crate::render::Render;
use crate::run::review;
use crate::session::Session;
use code_mesh_runtime::protocol::{ChangedFile, Op};

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
    let answer = prompt::ask("Apply? [a]ll / [p]er file / [n]o ").await?;
    let op = match answer.map(|a| a.to_lowercase()).as_deref() {
        Some("a" | "all" | "y" | "yes") => Op::ApplyChanges,
        Some("p" | "per file") => match choose(&files).await? {
            Some(paths) => Op::ApplyFiles { paths },
            None => return kept(renderer),
        },
        _ => return kept(renderer),
    };
    if let Some(reason) = review::send_change_op(session, renderer, op).await? {
        renderer.notice(&format!("error: {reason}"))?;
    }
    Ok(())
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

fn kept(renderer: &mut dyn Render) -> anyhow::Result<()> {
    renderer.notice("Kept staged: /apply writes them, /reject drops them, /diff shows them.")?;
    Ok(())
}
