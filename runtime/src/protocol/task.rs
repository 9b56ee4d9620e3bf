//! Tasks: units of work the Supervisor queues and hands to agents.

use super::TaskId;
use serde::{Deserialize, Serialize};

/// What a front end or an agent asks the Supervisor to queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSpec {
    /// The registered role that should run it (`coder`, `planner`, …).
    pub role: String,
    /// What to do, in words the role's model reads.
    pub description: String,
    /// Tasks that must finish successfully before this one starts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<TaskId>,
    /// Higher runs first among ready tasks; ties keep queue order.
    #[serde(default)]
    pub priority: i32,
    /// The files (relative to the project root) the task expects to write.
    /// While it runs it holds a lease on them: a ready task naming one of
    /// them waits until it ends, so no two agents edit a file at once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

impl TaskSpec {
    /// A task for `role` with no dependencies and priority 0.
    pub fn new(role: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            role: role.into(),
            description: description.into(),
            depends_on: Vec::new(),
            priority: 0,
            files: Vec::new(),
        }
    }

    /// Adds a dependency on `task`.
    pub fn after(mut self, task: TaskId) -> Self {
        self.depends_on.push(task);
        self
    }

    /// Declares a file the task expects to write (see [`Self::files`]).
    pub fn touching(mut self, file: impl Into<String>) -> Self {
        self.files.push(file.into());
        self
    }

    /// Sets the priority.
    pub fn with_priority(mut self, priority: i32) -> Self {
        self.priority = priority;
        self
    }
}

/// Where a task is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// Waiting for its dependencies.
    Blocked,
    /// Ready, waiting for an agent slot.
    Ready,
    /// An agent is working on it.
    Running,
    /// Finished successfully.
    Done,
    /// Ended without success (retry budget spent, a dependency failed, or cancelled).
    Failed,
}
