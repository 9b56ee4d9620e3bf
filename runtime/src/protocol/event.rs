//! What the runtime tells front ends. One stream per Supervisor, in order.

use super::{AgentId, ChangedFile, Envelope, Plan, PlanStatus, StatusReport, TaskId, Todo};
use crate::model::Usage;
use crate::permission::ApprovalRequest;
use serde::{Deserialize, Serialize};

/// Something that happened. Serialized as one JSON object tagged by `"type"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The Supervisor is up; always the first event.
    SessionStarted {
        /// The session's id.
        session_id: String,
        /// `provider/model` used by default.
        model: String,
        /// The project root tools are confined to.
        project: String,
    },
    /// A task entered the queue.
    TaskQueued {
        /// Its id.
        task: TaskId,
        /// The role that will run it.
        role: String,
        /// What it is.
        description: String,
        /// What it waits for.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        depends_on: Vec<TaskId>,
    },
    /// A planner's task ended with a plan; its tasks are queued next (each
    /// with a [`Event::TaskQueued`]). When the Supervisor was built with
    /// plan approval, nothing is queued yet: it waits for
    /// [`super::Op::ApprovePlan`] or [`super::Op::RejectPlan`] naming `task`,
    /// and the turn stays open meanwhile.
    PlanProposed {
        /// The planner's task.
        task: TaskId,
        /// The plan as the planner wrote it.
        plan: Plan,
    },
    /// A task of a running plan started or ended, or the plan changed.
    PlanUpdated {
        /// The plan with every task's state.
        plan: PlanStatus,
    },
    /// An agent actor was started for a task.
    AgentSpawned {
        /// The new agent.
        agent: AgentId,
        /// Its role.
        role: String,
        /// The task it was given.
        task: TaskId,
    },
    /// An agent began (or, after a restart, began again) a task.
    TaskStarted {
        /// The task.
        task: TaskId,
        /// The agent running it.
        agent: AgentId,
        /// 1 for the first try, 2 after the first restart, …
        attempt: u32,
    },
    /// Streamed text from an agent's model.
    AgentMessageDelta {
        /// Who is speaking.
        agent: AgentId,
        /// The next piece of text.
        delta: String,
    },
    /// An agent's tool call is about to run.
    ToolCallBegin {
        /// The calling agent.
        agent: AgentId,
        /// The model's id for the call.
        call_id: String,
        /// The tool's name.
        tool: String,
        /// The arguments as the model sent them (a string when they were not valid JSON).
        arguments: serde_json::Value,
    },
    /// A tool call ended; `output` is what the model is shown.
    ToolCallEnd {
        /// The calling agent.
        agent: AgentId,
        /// The model's id for the call.
        call_id: String,
        /// The tool's name.
        tool: String,
        /// One line for people: the file read, the command run, …
        title: String,
        /// The full result given to the model.
        output: String,
        /// Whether the call failed (the model sees the error and can carry on).
        is_error: bool,
    },
    /// An agent replaced its checklist (the `todowrite` tool).
    TodoUpdated {
        /// The agent whose checklist it is.
        agent: AgentId,
        /// The whole list as it now stands, in the agent's order.
        todos: Vec<Todo>,
    },
    /// A tool staged a change to a file, or wrote it through (`edit: allow`).
    ChangeStaged {
        /// The agent whose tool made the change.
        agent: AgentId,
        /// The file, relative to the project root.
        path: String,
        /// Whether the change went to disk at once rather than waiting for approval.
        written: bool,
    },
    /// An agent needs a person's yes; answer with [`super::Op::Approve`]
    /// carrying the same `id`. The agent waits until then.
    ApprovalRequested {
        /// The request's id.
        id: u64,
        /// What is asked.
        #[serde(flatten)]
        request: ApprovalRequest,
    },
    /// The staged changes (the answer to [`super::Op::ShowChanges`]).
    Changes {
        /// One entry per file, ordered by path.
        files: Vec<ChangedFile>,
        /// The unified diff of them all.
        diff: String,
    },
    /// The staged changes were written to disk.
    ChangesApplied {
        /// The files written or removed, relative to the project root.
        files: Vec<String>,
    },
    /// The staged changes were dropped; the disk is untouched.
    ChangesRejected {
        /// The files that had changes, relative to the project root.
        files: Vec<String>,
    },
    /// The latest applied change was undone.
    ChangesUndone {
        /// The files put back, relative to the project root.
        files: Vec<String>,
    },
    /// Tokens used by one model request.
    Usage {
        /// The agent whose request it was.
        agent: AgentId,
        /// The counts.
        usage: Usage,
        /// What the request cost in US dollars, when the model's price is known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cost_usd: Option<f64>,
    },
    /// An agent made its conversation smaller: old tool outputs pruned
    /// and, when that was not enough (or on [`super::Op::Compact`]), the
    /// older part replaced by a summary the model wrote.
    Compacted {
        /// The agent that compacted.
        agent: AgentId,
        /// The conversation's estimated size before, in tokens.
        before_tokens: u64,
        /// Its estimated size after, in tokens.
        after_tokens: u64,
        /// Whether the older part was summarised (else only pruned).
        summarized: bool,
    },
    /// A message between agents was delivered to `to`.
    MessageDelivered {
        /// The receiving agent.
        to: AgentId,
        /// The message.
        envelope: Envelope,
    },
    /// An agent failed and was restarted; its task is retried.
    AgentRestarted {
        /// The agent (same id after restart).
        agent: AgentId,
        /// The task it retries.
        task: TaskId,
        /// The attempt about to start.
        attempt: u32,
        /// Why the last attempt failed.
        reason: String,
    },
    /// A task ended successfully.
    TaskFinished {
        /// The task.
        task: TaskId,
        /// The agent that did it.
        agent: AgentId,
        /// The agent's final answer.
        summary: String,
    },
    /// A task ended without success; it will not run again.
    TaskFailed {
        /// The task.
        task: TaskId,
        /// Why, in words for a person.
        reason: String,
        /// How many attempts were made.
        attempts: u32,
    },
    /// An agent finished its work and was stopped.
    AgentRetired {
        /// The agent.
        agent: AgentId,
        /// Its role.
        role: String,
    },
    /// The answer to [`super::Op::Status`].
    Status {
        /// The snapshot.
        report: StatusReport,
    },
    /// Something went wrong outside any task (a bad op, say).
    Error {
        /// What happened and what to do.
        message: String,
    },
    /// Every task of a user turn has ended; always the last event of a turn.
    TurnComplete {
        /// Success or failure of the turn as a whole.
        status: TurnStatus,
        /// The final answer of the turn's first task, when it succeeded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer: Option<String>,
        /// Why the turn failed, when it did.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// Tokens used by every model request of the turn, summed.
        #[serde(default)]
        usage: Usage,
        /// What the turn's requests cost in US dollars, summed over those
        /// whose model's price is known; absent when none was.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cost_usd: Option<f64>,
    },
}

/// How a turn ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnStatus {
    /// Every task finished.
    Completed,
    /// At least one task failed.
    Failed,
    /// The turn was cancelled.
    Cancelled,
}
