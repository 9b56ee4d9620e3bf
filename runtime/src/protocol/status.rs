//! The answer to [`super::Op::Status`]: what is running and what is waiting.

use super::{AgentId, PlanStatus, TaskId, TaskState};
use crate::model::Usage;
use serde::{Deserialize, Serialize};

/// A snapshot of the Supervisor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReport {
    /// Live agents.
    pub agents: Vec<AgentStatus>,
    /// Every task the Supervisor knows, in queue order.
    pub tasks: Vec<TaskStatus>,
    /// The plans proposed in this session, oldest first, with each
    /// planned task's state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<PlanStatus>,
    /// Tokens used by every model request of the session so far.
    #[serde(default)]
    pub usage: Usage,
    /// What the session's requests cost so far in US dollars, over those
    /// whose model's price is known; absent when none was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
}

/// One live agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentStatus {
    /// Its id.
    pub id: AgentId,
    /// The role it plays.
    pub role: String,
    /// What it is doing.
    pub state: AgentState,
    /// The task it holds, if any.
    pub task: Option<TaskId>,
    /// The model it uses, `provider/model`.
    #[serde(default)]
    pub model: String,
    /// Tokens its task's model requests have used so far (over every attempt).
    #[serde(default)]
    pub usage: Usage,
}

/// What an agent is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentState {
    /// Running its task.
    Working,
    /// Being restarted after a failure.
    Restarting,
}

/// One task and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskStatus {
    /// Its id.
    pub id: TaskId,
    /// The role that runs it.
    pub role: String,
    /// Its description.
    pub description: String,
    /// Where it stands.
    pub state: TaskState,
    /// Attempts made so far.
    pub attempts: u32,
}
