//! Requests a front end sends to the Supervisor.

use super::TaskSpec;
use crate::permission::ApprovalDecision;
use serde::{Deserialize, Serialize};

/// One request from a front end. The Supervisor answers with [`super::Event`]s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// A person's request. It becomes a task for `agent` (default `coder`);
    /// when every task of the turn has ended the Supervisor emits
    /// [`super::Event::TurnComplete`].
    UserTurn {
        /// What the person asked for.
        prompt: String,
        /// The role that should handle it; `None` means the default role.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<String>,
    },
    /// Queue a task directly (dependencies and priority included).
    EnqueueTask {
        /// The task to queue.
        task: TaskSpec,
    },
    /// Stop every running task and drop the queued ones; each ends as failed
    /// with reason "cancelled".
    Cancel,
    /// Ask for a [`super::StatusReport`]; answered with [`super::Event::Status`].
    Status,
    /// The answer to [`super::Event::ApprovalRequested`] number `id`.
    Approve {
        /// The request's id.
        id: u64,
        /// Once, always, or reject (with words for the agent).
        #[serde(flatten)]
        decision: ApprovalDecision,
    },
    /// Show the staged changes; answered with [`super::Event::Changes`].
    ShowChanges,
    /// Write every staged change to disk (all or nothing); answered with
    /// [`super::Event::ChangesApplied`] or an [`super::Event::Error`].
    ApplyChanges,
    /// Drop every staged change; answered with [`super::Event::ChangesRejected`].
    RejectChanges,
    /// Undo the latest applied change, byte for byte; answered with
    /// [`super::Event::ChangesUndone`] or an [`super::Event::Error`].
    Undo,
}
