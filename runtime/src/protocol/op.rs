//! Requests a front end sends to the Supervisor.

use super::{Plan, TaskId, TaskSpec};
use crate::permission::ApprovalDecision;
use serde::{Deserialize, Serialize};

/// One request from a front end. The Supervisor answers with [`super::Event`]s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// A person's request. It becomes a task for `agent` when one is named;
    /// otherwise for the planner role when `plan` says so, else for the
    /// default role (`coder`). When every task of the turn has ended the
    /// Supervisor emits [`super::Event::TurnComplete`].
    UserTurn {
        /// What the person asked for.
        prompt: String,
        /// The role that should handle it; `None` lets `plan` decide between
        /// the planner and the default role. A named role wins over `plan`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<String>,
        /// Whether to plan the request first: `Some(true)` gives it to the
        /// planner role (`--plan`), `Some(false)` to the default role alone
        /// (`--no-plan`), `None` decides by the request's size (see
        /// [`crate::supervisor::wants_plan`]), planning only when a planner
        /// role is registered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        plan: Option<bool>,
    },
    /// Run the plan the planner's task `task` proposed
    /// ([`super::Event::PlanProposed`]), when the Supervisor waits for plan
    /// approval. `plan`, when given, replaces the proposed one (an edited
    /// task list); it is checked like the planner's, and an invalid one is
    /// answered with an [`super::Event::Error`] while the plan keeps waiting.
    ApprovePlan {
        /// The planner's task, as in [`super::Event::PlanProposed`].
        task: TaskId,
        /// The plan to run instead of the proposed one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        plan: Option<Plan>,
    },
    /// Do not run the plan the planner's task `task` proposed: its turn ends
    /// as [`super::TurnStatus::Cancelled`] (the person stopped it; nothing
    /// failed) with `reason` as its error, and no file is edited.
    RejectPlan {
        /// The planner's task, as in [`super::Event::PlanProposed`].
        task: TaskId,
        /// Why, in the person's words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
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
    /// Write the staged changes of `paths` only (relative to the project
    /// root), all or nothing; the others stay staged. Answered like
    /// [`Op::ApplyChanges`]; a path without a staged change is skipped.
    ApplyFiles {
        /// The files to write, as [`super::Event::Changes`] names them.
        paths: Vec<String>,
    },
    /// Drop every staged change; answered with [`super::Event::ChangesRejected`].
    RejectChanges,
    /// Undo the latest applied change, byte for byte; answered with
    /// [`super::Event::ChangesUndone`] or an [`super::Event::Error`].
    Undo,
    /// Compact the session's conversation now (`/compact`): its older part
    /// is summarised by the default role's model. Runs as a turn of the
    /// default role, so it ends with [`super::Event::TurnComplete`], after
    /// [`super::Event::Compacted`] when there was something to compact.
    Compact,
}
