//! `code-mesh diff|apply|reject|undo` in the npm build: the changes a run
//! saved (natively or here — the same file in the native store) loaded
//! through Node's `fs`, the command's op sent to a Supervisor holding them,
//! its answer shown and the result saved, all as the native binary does
//! (what each answer means is `code_mesh_cli::change_command`'s).

use super::args::{FAILURE, SUCCESS, SessionArgs};
use crate::change_op;
use crate::error::Error;
use crate::options::ProjectOptions;
use crate::platform::stdio::{self, Stream, StreamWriter};
use crate::project::Project;
use code_mesh_cli::change_command::ChangeCommand;
use code_mesh_cli::render::{Render, TextRenderer};
use code_mesh_cli::saved_session::SavedSession;
use std::collections::BTreeMap;

/// Runs `command` on the session `args` names (default: the project's
/// latest) in the project around `cwd`; returns the exit code.
pub async fn changes(
    command: ChangeCommand,
    args: SessionArgs,
    env: BTreeMap<String, String>,
    cwd: &str,
) -> i32 {
    match run_command(command, args, env, cwd).await {
        Ok(()) => SUCCESS,
        Err(error) => {
            stdio::write(Stream::Stderr, &format!("error: {error}\n"));
            FAILURE
        }
    }
}

/// The command itself; an error is printed by [`changes`].
async fn run_command(
    command: ChangeCommand,
    args: SessionArgs,
    env: BTreeMap<String, String>,
    cwd: &str,
) -> Result<(), Error> {
    let options = ProjectOptions {
        env: Some(env.clone()),
        ..ProjectOptions::default()
    };
    let project = Project::open_directory(cwd, &options, env, true)?;
    let saved = find_saved(&project, args.session.as_deref())?;
    let changes = saved.load()?;
    let answer = change_op::answer(
        project.launch.root.clone(),
        Some(saved.id.clone()),
        changes.clone(),
        command.op(),
    )
    .await?;
    let outcome = command.outcome(&saved.id, answer)?;
    if outcome.save {
        saved.save(&changes)?;
    }
    if let Some(shown) = &outcome.shown {
        TextRenderer::new(
            StreamWriter::new(Stream::Stdout),
            StreamWriter::new(Stream::Stderr),
        )
        .event(shown)
        .map_err(Error::io("cannot write the output"))?;
    }
    if let Some(note) = &outcome.note {
        stdio::write(Stream::Stderr, &format!("{note}\n"));
    }
    Ok(())
}

/// The saved changes of session `id` (default: the latest) of `project`.
fn find_saved(project: &Project, id: Option<&str>) -> Result<SavedSession, Error> {
    let data_dir = data_dir(project)?;
    Ok(SavedSession::find_on(
        &project.launch.disk,
        data_dir,
        &project.launch.root,
        id,
    )?)
}

/// Where session `id` of `project` keeps its changes (it may not exist yet).
pub fn saved_session(project: &Project, id: &str) -> Result<SavedSession, Error> {
    let data_dir = data_dir(project)?;
    Ok(SavedSession::new_on(
        &project.launch.disk,
        data_dir,
        &project.launch.root,
        id,
    )?)
}

/// The project's data directory; a project held in memory has none.
fn data_dir(project: &Project) -> Result<&std::path::Path, Error> {
    project.data_dir.as_deref().ok_or_else(|| {
        Error::usage("a project held in memory keeps no saved changes: open a directory")
    })
}
