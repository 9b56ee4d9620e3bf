//! The agent actor: one attempt at one task by one role.
//!
//! The Supervisor starts an [`Agent`] with a fresh [`AgentContext`], gives it
//! its task with [`AssignTask`], and forwards it other agents' messages with
//! [`Deliver`]. The role's future runs spawned in the actor's context, so the
//! mailbox stays responsive while the role works. When the future ends the
//! agent reports [`AttemptEnded`] and stops; [`CancelTask`] drops the future
//! (and with it any in-flight request or tool) and stops the agent.

use super::Supervisor;
use crate::protocol::{AgentId, Envelope, TaskId};
use crate::role::{AgentContext, Role, RoleError, Task};
use actix::prelude::*;
use futures::FutureExt;
use futures::channel::mpsc;
use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;

/// Starts the agent's work on a task. An agent runs one task, once.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub(crate) struct AssignTask(pub Task);

/// A message from another agent, for the role's inbox.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub(crate) struct Deliver(pub Envelope);

/// Drops the running task's future and stops the agent.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub(crate) struct CancelTask;

/// An agent's report to the Supervisor: its attempt at a task is over.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub(crate) struct AttemptEnded {
    /// The reporting agent.
    pub agent: AgentId,
    /// The task it ran.
    pub task: TaskId,
    /// Which attempt this was.
    pub attempt: u32,
    /// The role's answer, or why the attempt failed.
    pub outcome: Result<String, AttemptFailure>,
}

/// Why an attempt failed, and whether another attempt may do better.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AttemptFailure {
    /// For people.
    pub reason: String,
    /// Whether the Supervisor should restart the agent and try again.
    pub retryable: bool,
}

impl AttemptFailure {
    fn from_role_error(error: &RoleError) -> Self {
        Self {
            reason: error.to_string(),
            retryable: error.is_retryable(),
        }
    }

    fn from_panic(payload: &(dyn Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Self {
            reason: format!("agent panicked: {message}"),
            retryable: true,
        }
    }
}

/// The actor behind one agent.
pub(crate) struct Agent {
    id: AgentId,
    role: Rc<dyn Role>,
    /// Handed to the role when the task arrives; `None` afterwards.
    context: Option<AgentContext>,
    /// The sending half of the role's inbox.
    inbox: mpsc::UnboundedSender<Envelope>,
    supervisor: Addr<Supervisor>,
    /// The role's running future, so that it can be cancelled.
    work: Option<SpawnHandle>,
}

impl Agent {
    /// An agent that will run `role` with `context`; `inbox` feeds the
    /// context's receiver.
    pub fn new(
        role: Rc<dyn Role>,
        context: AgentContext,
        inbox: mpsc::UnboundedSender<Envelope>,
        supervisor: Addr<Supervisor>,
    ) -> Self {
        Self {
            id: context.agent(),
            role,
            context: Some(context),
            inbox,
            supervisor,
            work: None,
        }
    }
}

impl Actor for Agent {
    type Context = Context<Self>;
}

impl Handler<AssignTask> for Agent {
    type Result = ();

    fn handle(&mut self, AssignTask(task): AssignTask, ctx: &mut Self::Context) {
        let (agent, task_id, attempt) = (self.id, task.id, task.attempt);
        let Some(context) = self.context.take() else {
            self.supervisor.do_send(AttemptEnded {
                agent,
                task: task_id,
                attempt,
                outcome: Err(AttemptFailure {
                    reason: format!("{agent} was given a second task; an agent runs one"),
                    retryable: true,
                }),
            });
            return;
        };
        let role = Rc::clone(&self.role);
        let run = async move { role.run(task, context).await };
        let work = AssertUnwindSafe(run)
            .catch_unwind()
            .map(|result| match result {
                Ok(Ok(summary)) => Ok(summary),
                Ok(Err(error)) => Err(AttemptFailure::from_role_error(&error)),
                Err(payload) => Err(AttemptFailure::from_panic(payload.as_ref())),
            })
            .into_actor(self)
            .map(move |outcome, act, ctx| {
                act.work = None;
                act.supervisor.do_send(AttemptEnded {
                    agent,
                    task: task_id,
                    attempt,
                    outcome,
                });
                ctx.stop();
            });
        self.work = Some(ctx.spawn(work));
    }
}

impl Handler<Deliver> for Agent {
    type Result = ();

    fn handle(&mut self, Deliver(envelope): Deliver, _: &mut Self::Context) {
        // The role may already have dropped its context; the message then has
        // nobody left to read it.
        let _ = self.inbox.unbounded_send(envelope);
    }
}

impl Handler<CancelTask> for Agent {
    type Result = ();

    fn handle(&mut self, _: CancelTask, ctx: &mut Self::Context) {
        if let Some(work) = self.work.take() {
            ctx.cancel_future(work);
        }
        // Stopping drops the context's futures without polling them again.
        ctx.stop();
    }
}
