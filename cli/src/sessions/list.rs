//! `code-mesh sessions list`: one line per session, the latest first.

use crate::project::Project;
use crate::time::utc;
use code_mesh_cli::numbers;
use code_mesh_runtime::session::SessionStore;
use std::io::Write;
use std::process::ExitCode;

/// Lists the project's sessions on stdout.
pub fn list(project: &Project) -> anyhow::Result<ExitCode> {
    let sessions = project.store.list()?;
    if sessions.is_empty() {
        eprintln!(
            "no sessions in {} yet: `code-mesh run` starts one",
            project.root.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<36}  {:<20}  {:>8}  {:>10}  TITLE",
        "ID", "LAST ACTIVITY", "MESSAGES", "TOKENS"
    )?;
    for session in sessions {
        writeln!(
            out,
            "{:<36}  {:<20}  {:>8}  {:>10}  {}",
            session.id,
            utc(session.last_activity_ms),
            session.messages,
            numbers::count(session.tokens),
            session.title
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
