//! What agents ask of the Supervisor while they work ([`AgentRequest`]):
//! a task added to their plan, a message (and perhaps its reply), a file
//! summary on the blackboard.
//!
//! A question for a role with no live agent — the planner's agent retires
//! once its plan is proposed — is answered from the blackboard: the plan
//! with every task's state, the finished tasks and the file summaries. That
//! is what the planner knew and more, costs no model request, and cannot
//! start a second plan. A message to an agent that waits for a reply from
//! the sender is that reply; it is not delivered to the inbox.

use super::Supervisor;
use super::SupervisorError;
use super::plan_check::check_plan;
use super::plan_run::worker_description;
use super::replies::Reply;
use crate::protocol::{AgentId, AgentRequest, Envelope, PlannedTask, Recipient, TaskId, TaskSpec};
use actix::prelude::*;
use serde_json::json;
use std::collections::BTreeSet;

/// The most bytes of the blackboard a question's answer holds.
const ANSWER_BUDGET: usize = 6_000;

/// An agent's [`AgentRequest`], made while it runs `task`.
#[derive(Debug, Message)]
#[rtype(result = "Reply")]
pub(crate) struct AgentAsks {
    /// The asking agent.
    pub agent: AgentId,
    /// The task it runs.
    pub task: TaskId,
    /// What it asks.
    pub request: AgentRequest,
}

impl Handler<AgentAsks> for Supervisor {
    type Result = ResponseFuture<Reply>;

    fn handle(&mut self, asks: AgentAsks, ctx: &mut Self::Context) -> Self::Result {
        let AgentAsks {
            agent,
            task,
            request,
        } = asks;
        let now = |reply: Reply| -> Self::Result { Box::pin(async move { reply }) };
        if self.agents.get(&agent).is_none_or(|slot| slot.task != task) {
            return now(Err(SupervisorError::SenderNotLive { from: agent }));
        }
        match request {
            AgentRequest::AddTask { task: planned } => now(self.add_task(task, planned, ctx)),
            AgentRequest::NoteFile { path, summary } => {
                now(Ok(if self.blackboard.note_file(&path, &summary) {
                    format!("noted {path} on the blackboard")
                } else {
                    format!("{path} was not noted: the blackboard holds as many files as it keeps")
                }))
            }
            AgentRequest::Message {
                to,
                text,
                wait_for_reply,
            } => self.message(agent, to, text, wait_for_reply),
        }
    }
}

impl Supervisor {
    /// Adds `planned` to the plan run `task` belongs to, queues it for the
    /// worker role and reports the plan.
    fn add_task(&mut self, task: TaskId, planned: PlannedTask, ctx: &mut Context<Self>) -> Reply {
        let Some(index) = self.plans.iter().position(|run| run.involves(task)) else {
            return Err(SupervisorError::NotInPlan { task });
        };
        let Some(run) = self.plans.get(index) else {
            return Err(SupervisorError::NotInPlan { task });
        };
        let mut plan = run.plan.clone();
        plan.tasks.push(planned.clone());
        check_plan(&plan).map_err(|e| SupervisorError::PlanChangeRefused {
            reason: e.to_string(),
        })?;
        let depends_on: Vec<TaskId> = planned
            .depends_on
            .iter()
            .filter_map(|dep| {
                let position = plan.tasks.iter().position(|t| &t.id == dep)?;
                run.tasks
                    .iter()
                    .find(|(i, _)| *i == position)
                    .map(|(_, id)| *id)
            })
            .collect();
        let planner = run.planner;
        let mut spec = TaskSpec::new(
            self.settings.worker_role.clone(),
            worker_description(&plan, &planned),
        );
        spec.depends_on = depends_on;
        spec.files = planned.files.clone();
        let id = self.queue_task(spec, Some(planner))?;
        if let Some(run) = self.plans.get_mut(index) {
            run.tasks.push((plan.tasks.len() - 1, id));
            run.plan = plan;
        }
        self.report_plan_of(id);
        self.dispatch(ctx);
        let after = if planned.depends_on.is_empty() {
            "it starts when an agent is free".to_string()
        } else {
            format!("it starts after {}", planned.depends_on.join(", "))
        };
        Ok(format!(
            "task `{}` was added to the plan as {id}; {after}",
            planned.id
        ))
    }

    /// Sends `text` from `agent` to `to`; when `wait` holds, resolves to the
    /// reply (see the module's doc for who answers).
    fn message(
        &mut self,
        agent: AgentId,
        to: Recipient,
        text: String,
        wait: bool,
    ) -> ResponseFuture<Reply> {
        let now = |reply: Reply| -> ResponseFuture<Reply> { Box::pin(async move { reply }) };
        if let Recipient::Agent(to) = to
            && self.replies.answer(agent, to, &text)
        {
            return now(Ok(format!("{to} was waiting for your reply; it has it")));
        }
        let envelope = Envelope {
            from: Some(agent),
            to: to.clone(),
            body: json!({ "text": text, "wait_for_reply": wait }),
        };
        let recipients = match self.mesh.route(&envelope) {
            Ok(recipients) => recipients,
            Err(SupervisorError::NoAgentOfRole { role })
                if self.settings.roles.contains_key(&role) =>
            {
                return now(Ok(self.answer_from_blackboard(agent, &role)));
            }
            Err(error) => return now(Err(error)),
        };
        let delivered = self.route(envelope);
        let names = recipients
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if !wait || delivered == 0 {
            return now(Ok(format!("delivered to {names}")));
        }
        if let Some(busy) = recipients.iter().find(|r| self.replies.is_waiting(**r)) {
            // Waiting on an agent that waits would risk waiting forever.
            return now(Ok(format!(
                "delivered to {names}; not waiting for a reply, since {busy} is itself waiting for one"
            )));
        }
        // A role's message may reach the sender too; it will not answer itself.
        let from: BTreeSet<AgentId> = recipients.into_iter().filter(|r| *r != agent).collect();
        if from.is_empty() {
            return now(Ok(format!("delivered to {names}; nobody else can reply")));
        }
        let reply = self.replies.wait(agent, from);
        Box::pin(async move {
            reply.await.unwrap_or_else(|_| {
                Err(SupervisorError::NoReply {
                    reason: "the wait was cancelled".to_string(),
                })
            })
        })
    }

    /// The answer to `agent`'s question for `role`, which has no live agent.
    fn answer_from_blackboard(&self, agent: AgentId, role: &str) -> String {
        let plan = self
            .agents
            .get(&agent)
            .and_then(|slot| self.plans.iter().find(|run| run.involves(slot.task)))
            .map(|run| run.planner);
        let board = self.blackboard.view(plan).full_text(ANSWER_BUDGET);
        format!(
            "No live agent plays `{role}` (its agents retire when their task is done), so \
             the Supervisor answers from the blackboard, which holds what they left:\n\n{board}"
        )
    }
}
