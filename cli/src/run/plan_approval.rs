//! Asking the person at the terminal whether to run a proposed plan, which
//! the renderer has just shown as a numbered checklist: yes, no, or edit
//! its task list first.

use super::plan_edit;
use crate::prompt;
use code_mesh_cli::render::Render;
use code_mesh_runtime::protocol::{Op, Plan, TaskId};

/// The question about one proposed plan, kept while the plan waits: asked
/// again when an edited plan does not parse or the Supervisor refuses it.
#[derive(Debug)]
pub struct PlanQuestion {
    /// The planner's task that proposed the plan.
    task: TaskId,
    /// What the next `e` opens in the editor: the proposed plan as JSON,
    /// then the text last edited (even when it did not parse), so no edit
    /// is lost.
    draft: String,
}

impl PlanQuestion {
    /// The question about `plan`, proposed by the planner's task `task`.
    pub fn new(task: TaskId, plan: &Plan) -> anyhow::Result<Self> {
        Ok(Self {
            task,
            draft: plan_edit::plan_text(plan)?,
        })
    }

    /// Asks "Run this plan? [y]es / [n]o / [e]dit" until it has an answer
    /// for the Supervisor: `y` approves the proposed plan
    /// ([`Op::ApprovePlan`] without a plan), `e` opens the draft in the
    /// person's editor and approves the plan read back (an unreadable one is
    /// shown and the question asked again), anything else — or the end of
    /// input — is [`Op::RejectPlan`] (the turn then ends with nothing
    /// edited).
    pub async fn ask(&mut self, renderer: &mut dyn Render) -> anyhow::Result<Op> {
        loop {
            let answer = prompt::ask("Run this plan? [y]es / [n]o / [e]dit ").await?;
            match answer.map(|a| a.to_lowercase()).as_deref() {
                Some("y" | "yes") => {
                    return Ok(Op::ApprovePlan {
                        task: self.task,
                        plan: None,
                    });
                }
                Some("e" | "edit") => {
                    if let Some(plan) = self.edit(renderer).await? {
                        return Ok(Op::ApprovePlan {
                            task: self.task,
                            plan: Some(plan),
                        });
                    }
                }
                _ => {
                    return Ok(Op::RejectPlan {
                        task: self.task,
                        reason: Some("not approved at the terminal".to_string()),
                    });
                }
            }
        }
    }

    /// Opens the draft in the editor and reads it back as a plan; `None`,
    /// once the problem is shown, when the editor failed or the text is not
    /// a plan.
    async fn edit(&mut self, renderer: &mut dyn Render) -> anyhow::Result<Option<Plan>> {
        let edited = match plan_edit::edit_text(&self.draft).await {
            Ok(text) => text,
            Err(e) => {
                renderer.notice(&format!("error: {e:#}"))?;
                return Ok(None);
            }
        };
        self.draft = edited;
        match plan_edit::read_plan(&self.draft) {
            Ok(plan) => Ok(Some(plan)),
            Err(e) => {
                renderer.notice(&format!("error: {e:#}"))?;
                Ok(None)
            }
        }
    }
}
