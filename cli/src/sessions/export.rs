//! `code-mesh sessions export ID [--format markdown|json]`.

use super::{load, markdown};
use crate::args::{ExportArgs, ExportFormat};
use crate::project::Project;
use std::io::Write;
use std::process::ExitCode;

/// Writes the session on stdout: Markdown for people, or its records as
/// a JSON array.
pub fn export(project: &Project, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let loaded = load(project, &args.id)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ExportFormat::Markdown => {
            out.write_all(markdown::transcript(&args.id, &loaded.records).as_bytes())?;
        }
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &loaded.records)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
