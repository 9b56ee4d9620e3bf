//! `code-mesh run "<prompt>"`: one request, answered and printed — by one
//! coder, or planned first (`--plan`, `--no-plan`, or the size of the
//! request), the plan asked about on a terminal; approval requests answered
//! on the way; the changes it staged shown, then applied on the person's
//! yes or saved for `code-mesh apply`; then exit.

mod approvals;
mod plan_approval;
pub mod review;
pub mod roles;
pub mod turn;

use crate::args::{Format, RunArgs};
use crate::launch::{Answering, Launch};
use crate::prompt;
use crate::render::{JsonRenderer, Render, TextRenderer, color};
use crate::saved::SavedSession;
use crate::session::Session;
use anyhow::bail;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::protocol::{Op, TurnStatus};
use std::process::ExitCode;

/// Runs the request in `args` and returns the process's exit code.
pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let launch = Launch::load()?;
    let model = launch.model(args.model)?;
    let prompt = args.prompt.join(" ");
    // JSON output is for programs: nobody answers questions there.
    let interactive = args.format == Format::Text && prompt::interactive();
    // A plan is shown for approval only to someone who can answer.
    let approve_plans = interactive && !args.yes;
    let plan = match (args.plan, args.no_plan) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let changes = SessionChanges::new(&launch.root);

    let mut renderer: Box<dyn Render> = match args.format {
        Format::Text => Box::new(
            TextRenderer::new(std::io::stdout(), std::io::stderr())
                .with_color(color::stdout_enabled()),
        ),
        Format::Json => Box::new(JsonRenderer::new(std::io::stdout(), std::io::stderr())),
    };

    let answering = Answering {
        approve_plans,
        yes: args.yes,
    };
    let builder = launch.builder(&model, answering, changes.clone())?;
    let Launch { paths, root, .. } = launch;
    let system = actix::System::new();
    let outcome = system.block_on(async move {
        let mut session = Session::start(builder);
        session.submit(Op::UserTurn {
            prompt,
            agent: args.agent,
            plan,
        });
        let end = turn::drive(&mut session, renderer.as_mut(), interactive, approve_plans).await?;
        let Some(session_id) = end.session_id else {
            bail!("the runtime did not say which session this is");
        };
        let saved = SavedSession::new(&paths.data_dir, &root, &session_id)?;
        review::review(
            &mut session,
            renderer.as_mut(),
            &changes,
            &saved,
            interactive,
        )
        .await?;
        Ok((end.status, end.error))
    });

    match outcome? {
        (TurnStatus::Completed, _) => Ok(ExitCode::SUCCESS),
        (TurnStatus::Cancelled, error) => {
            bail!(error.unwrap_or_else(|| "the request was cancelled".to_string()))
        }
        (TurnStatus::Failed, error) => {
            bail!(error.unwrap_or_else(|| "the request failed".to_string()))
        }
    }
}
