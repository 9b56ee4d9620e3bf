//! [`SupervisorError`]: what can go wrong when asking the Supervisor for something.

use crate::protocol::{AgentId, TaskId};

/// Why the Supervisor refused a request. Each message says what happened and
/// what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupervisorError {
    /// A task named a role nobody registered.
    #[error(
        "no role named `{role}` is registered; registered roles: {}",
        list(known)
    )]
    UnknownRole {
        /// The role asked for.
        role: String,
        /// The roles that are registered, sorted.
        known: Vec<String>,
    },
    /// A task depends on a task the Supervisor has never queued.
    #[error(
        "the task depends on {task}, which was never queued; queue dependencies first and use the ids the Supervisor returned"
    )]
    UnknownDependency {
        /// The missing task.
        task: TaskId,
    },
    /// A message was addressed to an agent that is not running.
    #[error(
        "{to} is not a live agent (it finished, or never existed); the message was not delivered"
    )]
    AgentNotLive {
        /// The addressee.
        to: AgentId,
    },
    /// A message claims to come from an agent that is not running.
    #[error(
        "{from} is not a live agent, so it cannot send messages; the message was not delivered"
    )]
    SenderNotLive {
        /// The claimed sender.
        from: AgentId,
    },
    /// The mesh topology forbids this role pair.
    #[error(
        "the mesh topology does not let `{from_role}` agents message `{to_role}` agents; the message was not delivered"
    )]
    MessageDenied {
        /// The sender's role.
        from_role: String,
        /// The addressee's role.
        to_role: String,
    },
    /// A message was addressed to a role with no live agent.
    #[error("no live agent plays role `{role}`; the message was not delivered")]
    NoAgentOfRole {
        /// The role addressed.
        role: String,
    },
    /// A broadcast found nobody it was allowed to reach.
    #[error(
        "no other live agent may receive a broadcast from {from}; the message was not delivered"
    )]
    NoBroadcastRecipient {
        /// Who broadcast: an agent, or the front end.
        from: String,
    },
    /// An agent asked to change a plan, but its task is not part of one.
    #[error(
        "{task} is not part of a plan run, so there is no plan to add a task to; do the work yourself"
    )]
    NotInPlan {
        /// The asking agent's task.
        task: TaskId,
    },
    /// The plan with the asked-for change would not pass the plan checks.
    #[error("the task was not added: {reason}; fix the task and ask again")]
    PlanChangeRefused {
        /// What the plan checks said.
        reason: String,
    },
    /// An agent waited for a reply that will not come.
    #[error("no reply: {reason}; carry on without it")]
    NoReply {
        /// Why (the recipients finished, the turn was cancelled, …).
        reason: String,
    },
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none (register one with SupervisorBuilder::role)".to_string()
    } else {
        names.join(", ")
    }
}
