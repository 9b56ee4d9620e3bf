//! `code-mesh sessions show ID`: the session's transcript.

use super::{load, markdown};
use crate::project::Project;
use std::io::Write;
use std::process::ExitCode;

/// Prints session `id`'s transcript (the Markdown `export` writes).
pub fn show(project: &Project, id: &str) -> anyhow::Result<ExitCode> {
    let loaded = load(project, id)?;
    let text = markdown::transcript(id, &loaded.records);
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
