//! Plan approval: with [`super::SupervisorBuilder::approve_plans`], a
//! proposed plan waits for the person before any of its tasks is queued.
//!
//! The Supervisor emits [`Event::PlanProposed`] as always, then keeps the
//! plan here and holds its turn open. [`crate::protocol::Op::ApprovePlan`]
//! queues the plan's tasks (or those of an edited plan, checked first);
//! [`crate::protocol::Op::RejectPlan`] ends the turn as
//! [`TurnStatus::Cancelled`] with nothing queued and nothing edited.
//! Cancelled rather than failed: nothing went wrong, the person said no.

use super::Supervisor;
use super::plan_check::check_plan;
use crate::protocol::{Event, Plan, TaskId, TurnStatus};
use actix::Context;

/// A plan waiting for the person's answer.
#[derive(Debug, Clone)]
pub(crate) struct PendingPlan {
    /// The planner's task that proposed it.
    pub planner: TaskId,
    /// The plan as proposed.
    pub plan: Plan,
    /// The order its tasks can be queued in (dependencies first).
    pub order: Vec<usize>,
}

impl Supervisor {
    /// Keeps `pending` until it is approved or rejected, and its turn open.
    pub(super) fn await_approval(&mut self, pending: PendingPlan) {
        self.turns.hold(pending.planner);
        self.pending_plans.push(pending);
    }

    /// Answers [`crate::protocol::Op::ApprovePlan`]: runs the plan of the
    /// planner's task `task`, or `edited` in its place when it is a plan
    /// that can run.
    pub(super) fn approve_plan(
        &mut self,
        task: TaskId,
        edited: Option<Plan>,
        ctx: &mut Context<Self>,
    ) {
        let Some(index) = self.pending_index(task) else {
            return;
        };
        let (plan, order) = match edited {
            None => {
                let pending = self.pending_plans.remove(index);
                (pending.plan, pending.order)
            }
            Some(plan) => match check_plan(&plan) {
                Ok(order) => {
                    self.pending_plans.remove(index);
                    (plan, order)
                }
                Err(error) => {
                    // The proposed plan keeps waiting for a better answer.
                    self.emit(Event::Error {
                        message: format!("the edited plan cannot run: {error}"),
                    });
                    return;
                }
            },
        };
        self.turns.release(task);
        self.queue_plan(task, plan, order);
        self.close_turns();
        self.dispatch(ctx);
    }

    /// Answers [`crate::protocol::Op::RejectPlan`]: drops the plan of the
    /// planner's task `task` and ends its turn as cancelled.
    pub(super) fn reject_plan(&mut self, task: TaskId, reason: Option<String>) {
        let Some(index) = self.pending_index(task) else {
            return;
        };
        self.pending_plans.remove(index);
        self.turns.release(task);
        let spend = self.turns.close_turn_of(task).unwrap_or_default();
        let error = match reason {
            Some(reason) if !reason.trim().is_empty() => {
                format!("the plan was rejected: {}", reason.trim())
            }
            _ => "the plan was rejected".to_string(),
        };
        self.emit(Event::TurnComplete {
            status: TurnStatus::Cancelled,
            answer: None,
            error: Some(error),
            usage: spend.usage,
            cost_usd: spend.cost_usd,
        });
    }

    /// Where the plan of the planner's task `task` waits; reports an error
    /// when no plan of that task does.
    fn pending_index(&self, task: TaskId) -> Option<usize> {
        let index = self.pending_plans.iter().position(|p| p.planner == task);
        if index.is_none() {
            self.emit(Event::Error {
                message: format!("no plan of task {task} is waiting for approval"),
            });
        }
        index
    }
}
