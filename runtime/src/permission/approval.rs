//! Asking a person: the request an `ask` rule turns into, the answers, and
//! the [`Approver`] that carries them (the Supervisor, which asks the front
//! end through an event and waits for its op).

use crate::protocol::AgentId;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// What an agent wants to do and needs a person's yes for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRequest {
    /// The agent asking.
    pub agent: AgentId,
    /// The permission (`bash`, `webfetch`, `external_directory`, …).
    pub permission: String,
    /// What exactly: the command, the URL, the path.
    pub pattern: String,
    /// The rule patterns an "always" answer adds for the rest of the session
    /// (`git push *` for `git push origin main`).
    pub always: Vec<String>,
    /// One line for people, e.g. "Run `cargo test` (run the tests)".
    pub title: String,
}

/// A person's answer to an [`ApprovalRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum ApprovalDecision {
    /// Yes, this once.
    Once,
    /// Yes, and to everything matching the request's `always` patterns for
    /// the rest of the session.
    Always,
    /// No; `message` (optional) tells the agent what to do instead.
    Reject {
        /// The person's words for the agent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
}

/// Who answers approval requests. The Supervisor's approver emits
/// [`crate::protocol::Event::ApprovalRequested`] and waits for the front
/// end's [`crate::protocol::Op::Approve`]; tests and embedders may answer
/// directly.
#[async_trait(?Send)]
pub trait Approver {
    /// Asks and waits for the answer. An approver that can no longer get
    /// one (the session is cancelled) answers with a rejection.
    async fn ask(&self, request: ApprovalRequest) -> ApprovalDecision;
}
