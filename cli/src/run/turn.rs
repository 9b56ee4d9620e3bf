//! One turn as every front end of this binary drives it: events rendered
//! as they come, approval requests and proposed plans answered, until the
//! turn completes.

use super::{approvals, plan_approval};
use crate::render::Render;
use crate::session::Session;
use code_mesh_runtime::protocol::{Event, Op, TurnStatus};

/// How a turn ended.
#[derive(Debug)]
pub struct TurnEnd {
    /// Completed, failed or cancelled.
    pub status: TurnStatus,
    /// Why it failed or was cancelled, when said.
    pub error: Option<String>,
    /// The session's id, when [`Event::SessionStarted`] came during the turn.
    pub session_id: Option<String>,
}

/// Renders the session's events until [`Event::TurnComplete`], asking the
/// person about approval requests when `interactive` (else refusing them)
/// and about proposed plans when `approve_plans`. A write error cancels the
/// turn and is returned: nobody is reading any more.
pub async fn drive(
    session: &mut Session,
    renderer: &mut dyn Render,
    interactive: bool,
    approve_plans: bool,
) -> anyhow::Result<TurnEnd> {
    let mut session_id = None;
    loop {
        let event = session.next().await?;
        if let Err(e) = renderer.event(&event) {
            session.submit(Op::Cancel);
            return Err(anyhow::Error::new(e).context("cannot write output"));
        }
        match event {
            Event::SessionStarted { session_id: id, .. } => session_id = Some(id),
            Event::ApprovalRequested { id, request } => {
                let decision = approvals::answer(&request, interactive, renderer).await?;
                session.submit(Op::Approve { id, decision });
            }
            Event::PlanProposed { task, .. } if approve_plans => {
                session.submit(plan_approval::answer(task).await?);
            }
            Event::TurnComplete { status, error, .. } => {
                return Ok(TurnEnd {
                    status,
                    error,
                    session_id,
                });
            }
            _ => {}
        }
    }
}
