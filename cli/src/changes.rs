//! `code-mesh diff|apply|reject|undo`: load a run's saved changes, send the
//! command's op to a Supervisor holding them, show its answer, and save the
//! result. What each answer means is the library's
//! ([`code_mesh_cli::change_command`]), shared with the npm build.

use crate::args::SessionArgs;
use crate::project::Project;
use crate::session::Session;
use anyhow::Context;
use code_mesh_cli::change_command::ChangeCommand;
use code_mesh_cli::render::{Render, TextRenderer};
use code_mesh_cli::saved_session::SavedSession;
use code_mesh_runtime::supervisor::SupervisorBuilder;
use std::process::ExitCode;

/// Runs `command` on the session `args` names (default: the project's
/// latest): `diff` shows the staged changes, `apply` writes them all or
/// nothing, `reject` drops them, `undo` puts back what the latest apply
/// changed. Those that change the session hold the project's lock, so they
/// do not race a run in the same project.
pub fn run(command: ChangeCommand, args: SessionArgs) -> anyhow::Result<ExitCode> {
    let project = Project::current()?;
    let _lock = if command.writes() {
        Some(project.store.lock()?)
    } else {
        None
    };
    let root = project.root;
    let saved = SavedSession::find(&project.paths.data_dir, &root, args.session.as_deref())?;
    let changes = saved.load()?;
    let builder = SupervisorBuilder::new()
        .project_root(root)
        .session_id(saved.id.clone())
        .changes(changes.clone());
    let answer = actix::System::new().block_on(async move {
        let mut session = Session::start(builder);
        session.submit(command.op());
        session.change_answer().await
    })?;
    let outcome = command.outcome(&saved.id, answer)?;
    if outcome.save {
        saved.save(&changes)?;
    }
    if let Some(shown) = &outcome.shown {
        TextRenderer::new(std::io::stdout(), std::io::stderr())
            .event(shown)
            .context("cannot write output")?;
    }
    if let Some(note) = &outcome.note {
        eprintln!("{note}");
    }
    Ok(ExitCode::SUCCESS)
}
