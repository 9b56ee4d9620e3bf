//! One turn as every front end of this binary drives it: events rendered
//! as they come, approval requests and proposed plans answered, until the
//! turn completes.

use super::approvals;
use super::plan_approval::PlanQuestion;
use crate::session::Session;
use code_mesh_cli::render::Render;
use code_mesh_cli::saved_session::SavedSession;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::protocol::{Event, Op, TurnStatus};

/// How a turn ended.
#[derive(Debug)]
pub struct TurnEnd {
    /// Completed, failed or cancelled.
    pub status: TurnStatus,
    /// Why it failed or was cancelled, when said.
    pub error: Option<String>,
}

/// Renders the session's events until [`Event::TurnComplete`], asking the
/// person about approval requests when `interactive` (else refusing them)
/// and about proposed plans when `approve_plans` (an edited plan the
/// Supervisor refuses with [`Event::Error`] is shown and the question asked
/// again, as the plan keeps waiting). Each staged or written
/// change is saved to `saved` at once, so a crash loses no applied change
/// (`code-mesh undo` can still put it back). A write error cancels the turn
/// and is returned: nobody is reading any more.
pub async fn drive(
    session: &mut Session,
    renderer: &mut dyn Render,
    interactive: bool,
    approve_plans: bool,
    (changes, saved): (&SessionChanges, &SavedSession),
) -> anyhow::Result<TurnEnd> {
    // The question about a plan whose edited version the Supervisor is
    // checking: its answer is the next event, an error when it is refused.
    let mut edited_plan: Option<PlanQuestion> = None;
    loop {
        let event = session.next().await?;
        if let Err(e) = renderer.event(&event) {
            session.submit(Op::Cancel);
            return Err(anyhow::Error::new(e).context("cannot write output"));
        }
        if !matches!(event, Event::Error { .. }) {
            // Anything else follows an edited plan that was taken.
            edited_plan = None;
        }
        match event {
            Event::ChangeStaged { .. } => {
                if let Err(e) = saved.save(changes) {
                    renderer.notice(&format!("warning: {e:#}"))?;
                }
            }
            Event::ApprovalRequested { id, request } => {
                let decision = approvals::answer(&request, interactive, renderer).await?;
                session.submit(Op::Approve { id, decision });
            }
            Event::PlanProposed { task, plan } if approve_plans => {
                let question = PlanQuestion::new(task, &plan)?;
                ask_plan(session, renderer, question, &mut edited_plan).await?;
            }
            Event::Error { message } if edited_plan.is_some() => {
                renderer.notice(&format!("error: {message}"))?;
                if let Some(question) = edited_plan.take() {
                    ask_plan(session, renderer, question, &mut edited_plan).await?;
                }
            }
            Event::TurnComplete { status, error, .. } => {
                return Ok(TurnEnd { status, error });
            }
            _ => {}
        }
    }
}

/// Asks `question` and submits the answer; keeps the question in `edited`
/// when the answer is an edited plan, for the Supervisor may refuse it.
async fn ask_plan(
    session: &mut Session,
    renderer: &mut dyn Render,
    mut question: PlanQuestion,
    edited: &mut Option<PlanQuestion>,
) -> anyhow::Result<()> {
    let answer = question.ask(renderer).await?;
    if matches!(answer, Op::ApprovePlan { plan: Some(_), .. }) {
        *edited = Some(question);
    }
    session.submit(answer);
    Ok(())
}
