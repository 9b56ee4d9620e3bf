//! What an agent may ask of the Supervisor while it runs a task, besides
//! sending other agents messages.

use super::{PlannedTask, Recipient};
use serde::{Deserialize, Serialize};

/// A request from an agent to the Supervisor, made with
/// [`crate::role::AgentContext::ask_supervisor`]. The answer is a line of
/// text for the agent's model, or why the request was refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case")]
pub enum AgentRequest {
    /// Adds a task to the plan the agent's task belongs to. The plan with
    /// the task must still pass the plan checks (unique ids, known
    /// dependencies, no cycle); the task is queued for the worker role and
    /// [`super::Event::PlanUpdated`] reports it. Splitting a task is adding
    /// its parts and finishing one's own.
    AddTask {
        /// The new task, in the plan's own terms.
        task: PlannedTask,
    },
    /// Sends `text` to an agent or a role through the mesh, optionally
    /// waiting for the reply.
    Message {
        /// Who it is for.
        to: Recipient,
        /// What to say.
        text: String,
        /// Whether to wait for an answer: the next message a recipient sends
        /// the asker, or, for a role with no live agent, what the
        /// blackboard holds.
        wait_for_reply: bool,
    },
    /// Records a one-line summary of a file on the blackboard.
    NoteFile {
        /// The file, relative to the project root.
        path: String,
        /// What it holds, in a line.
        summary: String,
    },
}
