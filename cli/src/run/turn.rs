//! One turn as every front end of this binary drives it: events rendered
//! as they come, approval requests and proposed plans answered, until the
//! turn completes.

use super::{approvals, plan_approval};
use crate::render::Render;
use crate::saved::SavedSession;
use crate::session::Session;
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
/// and about proposed plans when `approve_plans`. Each staged or written
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
    loop {
        let event = session.next().await?;
        if let Err(e) = renderer.event(&event) {
            session.submit(Op::Cancel);
            return Err(anyhow::Error::new(e).context("cannot write output"));
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
            Event::PlanProposed { task, .. } if approve_plans => {
                session.submit(plan_approval::answer(task).await?);
            }
            Event::TurnComplete { status, error, .. } => {
                return Ok(TurnEnd { status, error });
            }
            _ => {}
        }
    }
}
