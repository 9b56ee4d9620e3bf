//! Asking the person at the terminal whether to run a proposed plan, which
//! the renderer has just shown as a numbered checklist.

use crate::prompt;
use code_mesh_runtime::protocol::{Op, TaskId};

/// Asks "Run this plan?" and returns the answer for the planner's task
/// `task`: [`Op::ApprovePlan`] on yes, else [`Op::RejectPlan`] (the turn
/// then ends with nothing edited).
pub async fn answer(task: TaskId) -> anyhow::Result<Op> {
    let answer = prompt::ask("Run this plan? [y/N] ").await?;
    let yes = matches!(
        answer.map(|a| a.to_lowercase()).as_deref(),
        Some("y" | "yes")
    );
    Ok(if yes {
        Op::ApprovePlan { task, plan: None }
    } else {
        Op::RejectPlan {
            task,
            reason: Some("not approved at the terminal".to_string()),
        }
    })
}
