//! `code-mesh status`: where the project stands — its latest session, the
//! model the config chooses, the changes waiting for `apply`, whether a run
//! is working now, and the last plan and agents its log recorded. It only
//! reads, so it works while a run is going on.

mod activity;

use crate::launch::DEFAULT_MODEL;
use crate::project::Project;
use crate::time::utc;
use code_mesh_cli::numbers;
use code_mesh_cli::saved_session::SavedSession;
use code_mesh_runtime::config::Config;
use code_mesh_runtime::protocol::{ChangedFile, FileStatus};
use code_mesh_runtime::session::{SessionRecord, SessionStore, SessionSummary};
use std::io::Write;
use std::process::ExitCode;

/// Prints the project's status on stdout.
pub fn status() -> anyhow::Result<ExitCode> {
    let project = Project::current()?;
    let config = Config::load(
        &project.paths.global_config(),
        &project.root.join(".code-mesh").join("config.json"),
    )?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "project  {}", project.root.display())?;
    match &config.model {
        Some(model) => writeln!(out, "model    {model} (from the config)")?,
        None => writeln!(
            out,
            "model    {DEFAULT_MODEL} (the default; the config names none)"
        )?,
    }
    if let Some(pid) = project.store.lock_holder() {
        writeln!(out, "a run is working: pid {pid}")?;
    }

    let Some(latest) = project.store.latest()? else {
        writeln!(out, "session  none yet: `code-mesh run` starts one")?;
        return Ok(ExitCode::SUCCESS);
    };
    tracing::debug!(session = %latest.id, "reading the latest session");
    let loaded = project.store.load(&latest.id)?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    show_session(&mut out, &latest, &loaded.records)?;
    show_staged(&mut out, &project, &latest.id)?;
    activity::show(&mut out, &loaded.records)?;
    Ok(ExitCode::SUCCESS)
}

/// The session's summary: id, title, last activity, model, size.
fn show_session(
    out: &mut impl Write,
    summary: &SessionSummary,
    records: &[SessionRecord],
) -> anyhow::Result<()> {
    writeln!(out, "session  {}", summary.id)?;
    writeln!(out, "  title          {}", summary.title)?;
    writeln!(out, "  last activity  {}", utc(summary.last_activity_ms))?;
    let model = records.iter().find_map(|record| match record {
        SessionRecord::Started { model, .. } => Some(model.as_str()),
        _ => None,
    });
    if let Some(model) = model {
        writeln!(out, "  model          {model}")?;
    }
    writeln!(out, "  messages       {}", summary.messages)?;
    writeln!(out, "  tokens         {}", numbers::count(summary.tokens))?;
    Ok(())
}

/// The session's staged changes, one `M path +a -d` line each, if any.
fn show_staged(out: &mut impl Write, project: &Project, id: &str) -> anyhow::Result<()> {
    let saved = SavedSession::new(&project.paths.data_dir, &project.root, id)?;
    if !saved.path.is_file() {
        return Ok(());
    }
    let files = saved.load()?.summary();
    if files.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "staged changes, not applied (`code-mesh diff` shows them, `apply` writes them):"
    )?;
    for file in &files {
        writeln!(out, "  {}", changed_file_line(file))?;
    }
    Ok(())
}

/// `M src/lib.rs +3 -1`: status letter, path, lines added and removed.
fn changed_file_line(file: &ChangedFile) -> String {
    let letter = match file.status {
        FileStatus::Added => 'A',
        FileStatus::Modified => 'M',
        FileStatus::Deleted => 'D',
    };
    format!(
        "{letter} {} +{} -{}",
        file.path, file.additions, file.deletions
    )
}
