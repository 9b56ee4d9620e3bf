//! `code-mesh run "<prompt>"`: one request, answered and printed — by one
//! coder, or planned first (`--plan`, `--no-plan`, or the size of the
//! request), the plan asked about on a terminal; approval requests answered
//! on the way; the changes it staged shown, then applied on the person's
//! yes or saved for `code-mesh apply`; the session kept for `-c`/`-s`; then
//! exit.

mod approvals;
pub mod opened;
mod plan_approval;
mod plan_edit;
mod recording;
mod request;
pub mod review;
pub mod roles;
pub mod turn;

use crate::args::{Format, RunArgs};
use crate::exit_code;
use crate::history_log;
use crate::interrupt;
use crate::launch::{Answering, Launch};
use crate::prompt;
use crate::session::Session;
use anyhow::bail;
use code_mesh_cli::render::{JsonRenderer, Render, TextRenderer, color};
use code_mesh_runtime::protocol::{Op, TurnStatus};
use code_mesh_runtime::supervisor::wants_plan;
use std::process::ExitCode;
use std::rc::Rc;

/// Runs the request in `args` and returns the process's exit code.
pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let launch = Launch::load()?;
    // One writer per project: a second run here is refused, naming this one.
    let _lock = launch.store.lock()?;
    let model = launch.model(args.model.clone())?;
    let model_name = model.to_string();
    tracing::debug!(model = %model_name, root = %launch.root.display(), "model chosen");
    let prompt = request::request_text(&args.prompt, &args.files)?;
    // JSON output is for programs: nobody answers questions there.
    let interactive = args.format == Format::Text && prompt::interactive();
    // A plan is shown for approval only to someone who can answer.
    let approve_plans = interactive && !args.yes;
    let plan = match (args.plan, args.no_plan) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        // Attached files and piped input are material, not the ask: whether
        // to plan is judged on the person's own words.
        _ if prompt.len() > args.prompt.join(" ").len() && !args.prompt.is_empty() => {
            Some(wants_plan(&args.prompt.join(" ")))
        }
        _ => None,
    };
    let opened = opened::OpenedSession::open(&launch.project(), &args, &model_name)?;
    let changes = opened.changes.clone();
    let applies_before = changes.history().len();

    let mut output: Box<dyn Render> = match args.format {
        Format::Text => Box::new(
            TextRenderer::new(std::io::stdout(), std::io::stderr())
                .with_color(color::stdout_enabled()),
        ),
        Format::Json => Box::new(JsonRenderer::new(std::io::stdout(), std::io::stderr())),
    };
    for warning in &opened.warnings {
        output.notice(&format!("warning: {warning}"))?;
    }
    let mut renderer = recording::Recording::new(
        output.as_mut(),
        opened.recorder.clone(),
        launch.config.history,
    );

    let answering = Answering {
        approve_plans,
        yes: args.yes,
    };
    // The session's messages so far, and the recorder for those to come.
    let builder = launch
        .builder(&model, answering, changes.clone(), opened.conversation())?
        .session_id(opened.id.clone());
    let saved = opened.saved.clone();
    let (history, id, root) = (
        launch.config.history,
        opened.id.clone(),
        launch.root.clone(),
    );
    let system = actix::System::new();
    let interrupted = Rc::new(std::cell::Cell::new(false));
    let interrupted_seen = interrupted.clone();
    let outcome = system.block_on(async move {
        let mut session = Session::start(builder);
        let ctrl_c = interrupt::cancel_on_ctrl_c(session.supervisor());
        tracing::info!(session = %id, "turn submitted");
        session.submit(Op::UserTurn {
            prompt,
            agent: args.agent,
            plan,
        });
        let end = turn::drive(
            &mut session,
            &mut renderer,
            interactive,
            approve_plans,
            (&changes, &saved),
        )
        .await?;
        tracing::info!(status = ?end.status, "turn complete");
        review::review(
            &mut session,
            &mut renderer,
            &changes,
            &saved,
            interactive,
            applies_before,
        )
        .await?;
        interrupted_seen.set(ctrl_c.get());
        if history && let Err(e) = history_log::append(&root, &id, &model_name, renderer.shown()) {
            renderer.notice(&format!("warning: the history log was not written: {e:#}"))?;
        }
        Ok::<_, anyhow::Error>((end.status, end.error))
    });

    match outcome? {
        (TurnStatus::Cancelled, error) => {
            let reason = error.unwrap_or_else(|| "the request was cancelled".to_string());
            eprintln!("cancelled: {reason}");
            Ok(exit_code::cancelled())
        }
        // Ctrl-C came after the turn ended on its own.
        _ if interrupted.get() => {
            eprintln!("cancelled: interrupted");
            Ok(exit_code::cancelled())
        }
        (TurnStatus::Completed, _) => Ok(ExitCode::SUCCESS),
        (TurnStatus::Failed, error) => {
            bail!(error.unwrap_or_else(|| "the request failed".to_string()))
        }
    }
}
