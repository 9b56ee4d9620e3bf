//! An agent's checklist, as the `todowrite` tool keeps it and front ends show
//! it: OpenCode's todo items, same field names and values.

use serde::{Deserialize, Serialize};

/// One item of an agent's checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Todo {
    /// Identifies the item across updates of the list.
    pub id: String,
    /// What is to be done, briefly.
    pub content: String,
    /// Where the item stands.
    pub status: TodoStatus,
    /// How much it matters.
    pub priority: TodoPriority,
}

/// Where a checklist item stands. Serialized in snake case (`in_progress`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TodoStatus {
    /// Not started.
    Pending,
    /// Being worked on (one item at a time, by convention).
    InProgress,
    /// Done.
    Completed,
    /// Dropped: no longer needed.
    Cancelled,
}

/// How much a checklist item matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TodoPriority {
    /// Do first.
    High,
    /// The usual.
    Medium,
    /// When there is time.
    Low,
}
