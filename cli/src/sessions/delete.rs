//! `code-mesh sessions delete ID`.

use crate::project::Project;
use code_mesh_runtime::session::SessionStore;
use std::process::ExitCode;

/// Removes session `id`: its log, its saved changes, its index entry.
/// Takes the project's lock, so a running session is not removed under it.
pub fn delete(project: &Project, id: &str) -> anyhow::Result<ExitCode> {
    let _lock = project.store.lock()?;
    project.store.delete(id)?;
    eprintln!("deleted session {id}");
    Ok(ExitCode::SUCCESS)
}
