//! The `todowrite` tool: the agent's checklist, replaced whole on each call
//! and sent to the front end as an [`Event::TodoUpdated`].

use crate::args::parse_args;
use crate::schema::tool_spec;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::protocol::{AgentId, Event, Todo, TodoPriority, TodoStatus};
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use schemars::JsonSchema;
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

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
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TodoWriteArgs {
    /// The updated todo list
    todos: Vec<TodoItem>,
}

/// One item as the model writes it: a [`Todo`], described for the model
/// here rather than in the protocol, which knows nothing of schemas.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TodoItem {
    /// Unique identifier for the todo item
    id: String,
    /// Brief description of the task
    content: String,
    /// Current status of the task
    #[serde(with = "TodoStatusArg")]
    status: TodoStatus,
    /// Priority level of the task
    #[serde(with = "TodoPriorityArg")]
    priority: TodoPriority,
}

impl From<TodoItem> for Todo {
    fn from(item: TodoItem) -> Self {
        Todo {
            id: item.id,
            content: item.content,
            status: item.status,
            priority: item.priority,
        }
    }
}

/// [`TodoStatus`] as the model names it, for the schema the protocol's enum
/// does not carry. Serde's remote derive deserializes straight into
/// `TodoStatus`, so a variant here that the protocol lacks does not compile.
#[derive(Deserialize, JsonSchema)]
#[serde(remote = "TodoStatus", rename_all = "snake_case")]
enum TodoStatusArg {
    Pending,
    InProgress,
    Completed,
    Cancelled,
}

/// [`TodoPriority`] as the model names it, as [`TodoStatusArg`] is for
/// [`TodoStatus`].
#[derive(Deserialize, JsonSchema)]
#[serde(remote = "TodoPriority", rename_all = "snake_case")]
enum TodoPriorityArg {
    High,
    Medium,
    Low,
}

#[async_trait(?Send)]
impl Tool for TodoWriteTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        tool_spec::<TodoWriteArgs>(
            "todowrite",
            include_str!("descriptions/todowrite.txt"),
            &PARAMETERS,
        )
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let TodoWriteArgs { todos } = parse_args("todowrite", arguments)?;
        let todos: Vec<Todo> = todos.into_iter().map(Todo::from).collect();
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
