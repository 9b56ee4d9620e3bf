//! The `todowrite` tool: the agent's checklist, replaced whole on each call
//! and sent to the front end as an [`Event::TodoUpdated`].

use crate::args::parse_args;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::protocol::{AgentId, Event, Todo, TodoStatus};
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use serde::Deserialize;
use serde_json::json;
use std::cell::RefCell;
use std::collections::HashMap;

/// Replaces the calling agent's checklist: `todowrite {todos}`. Keeps each
/// agent's latest list, which [`TodoWriteTool::todos`] returns.
#[derive(Debug, Default)]
pub struct TodoWriteTool {
    lists: RefCell<HashMap<AgentId, Vec<Todo>>>,
}

impl TodoWriteTool {
    /// A tool with no checklists yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// `agent`'s checklist as it last wrote it (empty if it never did).
    pub fn todos(&self, agent: AgentId) -> Vec<Todo> {
        self.lists.borrow().get(&agent).cloned().unwrap_or_default()
    }
}

/// The arguments, as OpenCode names them.
#[derive(Deserialize)]
struct TodoWriteArgs {
    todos: Vec<Todo>,
}

#[async_trait(?Send)]
impl Tool for TodoWriteTool {
    fn spec(&self) -> ToolSpec {
        ToolSpec {
            name: "todowrite".to_string(),
            description: include_str!("descriptions/todowrite.txt").to_string(),
            parameters: json!({
                "type": "object",
                "properties": {
                    "todos": {
                        "type": "array",
                        "description": "The updated todo list",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": {
                                    "type": "string",
                                    "description": "Unique identifier for the todo item"
                                },
                                "content": {
                                    "type": "string",
                                    "description": "Brief description of the task"
                                },
                                "status": {
                                    "type": "string",
                                    "enum": ["pending", "in_progress", "completed", "cancelled"],
                                    "description": "Current status of the task"
                                },
                                "priority": {
                                    "type": "string",
                                    "enum": ["high", "medium", "low"],
                                    "description": "Priority level of the task"
                                }
                            },
                            "required": ["id", "content", "status", "priority"],
                            "additionalProperties": false
                        }
                    }
                },
                "required": ["todos"],
                "additionalProperties": false
            }),
        }
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let TodoWriteArgs { todos } = parse_args("todowrite", arguments)?;
        let open = todos
            .iter()
            .filter(|todo| !matches!(todo.status, TodoStatus::Completed | TodoStatus::Cancelled))
            .count();
        let output = serde_json::to_string_pretty(&todos)
            .map_err(|error| ToolError::Failed(format!("could not show the checklist: {error}")))?;
        self.lists.borrow_mut().insert(ctx.agent, todos.clone());
        ctx.emit(Event::TodoUpdated {
            agent: ctx.agent,
            todos,
        });
        Ok(ToolOutput::new(format!("{open} todos"), output))
    }
}
