//! `code-mesh sessions list|show|export|delete`: the project's saved
//! sessions. Only `delete` takes the project's lock; the others read, so
//! they work while a run is going on.

mod delete;
mod export;
mod list;
pub mod markdown;
mod show;

use crate::args::SessionsCommand;
use crate::project::Project;
use code_mesh_runtime::session::{LoadedSession, SessionStore};
use std::process::ExitCode;

/// Runs a `sessions` command.
pub fn sessions(command: SessionsCommand) -> anyhow::Result<ExitCode> {
    let project = Project::current()?;
    match command {
        SessionsCommand::List => list::list(&project),
        SessionsCommand::Show(arg) => show::show(&project, &arg.id),
        SessionsCommand::Export(args) => export::export(&project, &args),
        SessionsCommand::Delete(arg) => delete::delete(&project, &arg.id),
    }
}

/// Session `id`, loaded, its skipped lines shown as warnings on stderr.
fn load(project: &Project, id: &str) -> anyhow::Result<LoadedSession> {
    let loaded = project.store.load(id)?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(loaded)
}
