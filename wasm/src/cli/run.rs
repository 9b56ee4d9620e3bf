//! `code-mesh run` in the npm build: the request answered in the project
//! around the working directory, printed as the native binary prints it
//! (the same renderers: Markdown and colored diffs on a terminal, plain text
//! elsewhere, or JSON lines), approval requests refused with advice as the
//! native binary refuses them without a terminal, the staged changes shown
//! and saved (with what a `--yes` run wrote, for `undo`) where the native
//! binary saves them, for `code-mesh diff|apply|reject|undo` of either
//! build, the session kept in the native store for `-c`/`-s`.

use super::args::{CANCELLED, FAILURE, Format, RunArgs, SUCCESS};
use super::changes::saved_session;
use crate::error::Error;
use crate::live::{Approvals, TurnRequest};
use crate::options::ProjectOptions;
use crate::platform::NodeFs;
use crate::platform::stdio::{self, Stream, StreamWriter};
use crate::project::Project;
use code_mesh_cli::change_command::{not_applied_note, undo_note};
use code_mesh_cli::render::{JsonRenderer, Render, TextRenderer, color};
use code_mesh_cli::request_text::request_text;
use code_mesh_cli::unattended;
use code_mesh_runtime::fs::FileSystem;
use code_mesh_runtime::protocol::{Event, TurnStatus};
use code_mesh_runtime::supervisor::wants_plan;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;

/// Runs the request in `args` from the directory `cwd` with the
/// environment `env`, printing to the process's stdout and stderr;
/// returns the exit code.
pub async fn run(args: RunArgs, env: BTreeMap<String, String>, cwd: &str) -> i32 {
    let (out, err) = (
        StreamWriter::new(Stream::Stdout),
        StreamWriter::new(Stream::Stderr),
    );
    let mut render: Box<dyn Render> = match args.format {
        Format::Text => {
            // As natively: color on a terminal, unless NO_COLOR says not to.
            let no_color = env.get("NO_COLOR").map(OsStr::new);
            let color = color::enabled(stdio::is_terminal("stdout"), no_color);
            Box::new(TextRenderer::new(out, err).with_color(color))
        }
        Format::Json => Box::new(JsonRenderer::new(out, err)),
    };
    match run_turn(args, env, cwd, render.as_mut()).await {
        Ok(code) => code,
        Err(error) => {
            // One line a person can act on, as natively.
            stdio::write(Stream::Stderr, &format!("error: {error}\n"));
            FAILURE
        }
    }
}

/// The run itself; an error is printed by [`run`].
async fn run_turn(
    args: RunArgs,
    env: BTreeMap<String, String>,
    cwd: &str,
    render: &mut dyn Render,
) -> Result<i32, Error> {
    let options = ProjectOptions {
        model: args.model.clone(),
        env: Some(env.clone()),
        yes: args.yes,
        ..ProjectOptions::default()
    };
    let mut project = Project::open_directory(cwd, &options, env, true)?;
    let read = |file: &str| {
        NodeFs
            .read(&Path::new(cwd).join(file))
            .map_err(|e| e.to_string())
    };
    let prompt = request_text(&args.prompt, &args.files, read, stdio::piped_stdin())
        .map_err(Error::Usage)?;
    let words = args.prompt.join(" ");
    let plan = match (args.plan, args.no_plan) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        // Attached files and piped input are material, not the ask: whether
        // to plan is judged on the person's own words.
        _ if prompt.len() > words.len() && !args.prompt.is_empty() => Some(wants_plan(&words)),
        _ => None,
    };
    let continued = match (&args.session, args.continue_latest) {
        (Some(id), _) => Some(id.clone()),
        (None, true) => match project.sessions.latest().await? {
            Some(id) => Some(id),
            None => {
                return Err(Error::usage(format!(
                    "no session to continue in {}: run without -c to start one",
                    project.launch.root.display()
                )));
            }
        },
        (None, false) => None,
    };
    let (session, saved) = match continued {
        Some(id) => {
            // A continued session goes on with the changes it saved.
            let saved = saved_session(&project, &id)?;
            if saved.exists() {
                project.changes = saved.load()?;
            }
            (project.load_session(&id, args.yes).await?.0, saved)
        }
        None => {
            let session = project.start_session(args.yes)?;
            let saved = saved_session(&project, &session.id)?;
            (session, saved)
        }
    };
    let changes = project.changes.clone();
    let applies_before = changes.history().len();

    let request = TurnRequest {
        prompt,
        agent: args.agent.clone(),
        plan,
    };
    // The first write error: the turn goes on (the session still records
    // it), and the run fails with it at the end.
    let mut write_error = None;
    // Each staged change is saved at once, as natively; the first failure
    // is a warning at the end.
    let mut save_error = None;
    let end = session
        .turn(request, Approvals::Refuse, &mut |event: &Event| {
            let shown = show(render, event);
            if let Err(error) = shown {
                write_error.get_or_insert(error);
            }
            if matches!(event, Event::ChangeStaged { .. })
                && let Err(error) = saved.save(&changes)
            {
                save_error.get_or_insert(error);
            }
        })
        .await?;
    if let Some(error) = write_error {
        return Err(Error::io("cannot write the output")(error));
    }
    if let Some(error) = save_error {
        render
            .notice(&format!("warning: {error}"))
            .map_err(Error::io("cannot write the output"))?;
    }

    let staged = changes.summary();
    let undoable = !changes.history().is_empty();
    if !staged.is_empty() || undoable {
        saved.save(&changes)?;
    }
    if !staged.is_empty() {
        let shown = Event::Changes {
            files: staged,
            diff: changes.diff(),
        };
        session.record(&shown);
        render
            .event(&shown)
            .map_err(Error::io("cannot write the output"))?;
        render
            .notice(&not_applied_note(&saved.id))
            .map_err(Error::io("cannot write the output"))?;
    } else if changes.history().len() > applies_before {
        render
            .notice(&undo_note(&saved.id))
            .map_err(Error::io("cannot write the output"))?;
    }
    if let Some(failure) = session.take_record_failure() {
        render
            .notice(&format!(
                "warning: the session is not fully saved: {failure}"
            ))
            .map_err(Error::io("cannot write the output"))?;
    }
    match end.status {
        TurnStatus::Completed => Ok(SUCCESS),
        TurnStatus::Cancelled => {
            let reason = end
                .error
                .unwrap_or_else(|| "the request was cancelled".to_string());
            stdio::write(Stream::Stderr, &format!("cancelled: {reason}\n"));
            Ok(CANCELLED)
        }
        TurnStatus::Failed => Err(Error::TurnFailed(
            end.error
                .unwrap_or_else(|| "the request failed".to_string()),
        )),
    }
}

/// Shows `event`; an approval request, which [`Approvals::Refuse`] refuses,
/// also gets the refusal's line with what to do instead, as the native
/// binary shows it without a terminal.
fn show(render: &mut dyn Render, event: &Event) -> std::io::Result<()> {
    render.event(event)?;
    if let Event::ApprovalRequested { request, .. } = event {
        let reason = unattended::reason(&request.permission);
        render.approval(request, &unattended::refusal(request), Some(&reason))?;
    }
    Ok(())
}
