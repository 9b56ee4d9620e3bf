//! Plans: a request broken into tasks with dependencies, as the planner
//! proposes it and as the Supervisor reports it while it runs.

use super::{TaskId, TaskState};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A request broken into tasks. The planner's `plan` tool takes exactly
/// this shape (its JSON Schema is derived from it), so the plan is data,
/// never parsed out of prose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    /// The approach in a sentence or two; every coder reads it.
    pub summary: String,
    /// The tasks, each small enough for one agent.
    pub tasks: Vec<PlannedTask>,
}

/// One task of a [`Plan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlannedTask {
    /// A short id unique within the plan (`t1`, `parser`, …), used by `depends_on`.
    pub id: String,
    /// What to do, precisely enough for an agent that sees only this task
    /// and the plan's summary.
    pub description: String,
    /// Files (relative to the project root) the task expects to create or edit.
    #[serde(default)]
    pub files: Vec<String>,
    /// Ids of the tasks that must finish before this one starts; tasks that
    /// do not depend on each other run at the same time.
    #[serde(default)]
    pub depends_on: Vec<String>,
}

/// A plan as it runs: each planned task with its queue id and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStatus {
    /// The plan's summary.
    pub summary: String,
    /// The planned tasks, in the plan's order.
    pub tasks: Vec<PlanTaskStatus>,
}

/// One planned task and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanTaskStatus {
    /// Its id in the plan.
    pub id: String,
    /// Its id in the Supervisor's queue.
    pub task: TaskId,
    /// What it is.
    pub description: String,
    /// Where it stands.
    pub state: TaskState,
}
