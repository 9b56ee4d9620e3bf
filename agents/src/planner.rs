//! The Planner: turns a request into a [`Plan`] of tasks with dependencies,
//! which the Supervisor then runs as a DAG of coder agents.
//!
//! The planner gathers the project's context cheaply (a bounded file tree
//! from the `list` tool, `AGENTS.md` through the `read` tool, and where the
//! request's code-like names occur through the `grep` tool, when those
//! tools are registered) and asks the model with one tool available,
//! `plan`, whose JSON Schema is derived from [`Plan`]. Its arguments are the
//! plan: nothing is parsed out of prose. An invalid plan (no tasks, a
//! duplicate id, an unknown dependency, a cycle) goes back to the model as
//! the tool's error, a bounded number of times. The role's final answer is
//! the plan as JSON, which is what the Supervisor reads.

use crate::prompt::{planner_system_prompt, task_message};
use crate::search_terms::search_terms;
use crate::structured_answer::{StructuredAnswer, ask_for, tool_spec};
use async_trait::async_trait;
use code_mesh_runtime::model::{ChatMessage, ToolSpec};
use code_mesh_runtime::protocol::Plan;
use code_mesh_runtime::role::{AgentContext, Role, RoleError, Task};
use code_mesh_runtime::supervisor::check_plan;
use code_mesh_runtime::text::prefix_within;
use serde_json::json;

/// The name of the planner's one tool.
pub const PLAN_TOOL: &str = "plan";

/// The most characters of the file tree shown to the model.
const TREE_BUDGET: usize = 6_000;

/// The most characters of `AGENTS.md` shown to the model.
const INSTRUCTIONS_BUDGET: usize = 8_000;

/// The most characters of search results shown to the model, per term.
const MATCHES_BUDGET: usize = 2_000;

/// Breaks a request into a plan of tasks by calling the `plan` tool.
#[derive(Debug, Clone)]
pub struct Planner {
    max_attempts: u32,
}

impl Default for Planner {
    fn default() -> Self {
        Self { max_attempts: 3 }
    }
}

impl Planner {
    /// A planner that gives the model `attempts` model requests (at least
    /// one) to produce a valid plan, instead of the default 3.
    pub fn with_attempts(attempts: u32) -> Self {
        Self {
            max_attempts: attempts.max(1),
        }
    }
}

#[async_trait(?Send)]
impl Role for Planner {
    async fn run(&self, task: Task, ctx: AgentContext) -> Result<String, RoleError> {
        let context = project_context(&ctx, &task.spec.description).await;
        let messages = vec![
            ChatMessage::System {
                content: planner_system_prompt(&ctx),
            },
            ChatMessage::User {
                content: format!("{context}<request>\n{}\n</request>", task_message(&task)),
            },
        ];
        ask_for::<Plan>(&ctx, messages, self.max_attempts, "planner").await
    }
}

impl StructuredAnswer for Plan {
    const TOOL: &'static str = PLAN_TOOL;
    const NOUN: &'static str = "plan";
    const DESCRIPTION: &'static str = "Submit the plan: a summary and the tasks, each with an \
        id, a precise description, the files it will touch and the ids of the tasks it depends on.";
    const REMINDER: &'static str = "Answer by calling the `plan` tool with the whole plan.";

    fn check(&self) -> Result<(), String> {
        check_plan(self).map(|_| ()).map_err(|e| e.to_string())
    }

    fn summary(&self) -> (String, String) {
        (
            format!("plan of {} task(s)", self.tasks.len()),
            self.summary.clone(),
        )
    }
}

/// The `plan` tool as the model sees it: its schema is [`Plan`]'s.
pub fn plan_tool_spec() -> ToolSpec {
    tool_spec::<Plan>()
}

/// What the model is told about the project before the request: a bounded
/// file tree, the project's `AGENTS.md`, and where the request's code-like
/// names occur, each when it can be had.
async fn project_context(ctx: &AgentContext, request: &str) -> String {
    let mut context = String::new();
    if let Some(tree) = call_tool(ctx, "list", json!({})).await {
        context.push_str("<files>\n");
        context.push_str(prefix_within(&tree, TREE_BUDGET));
        context.push_str("\n</files>\n\n");
    }
    if let Some(instructions) = call_tool(ctx, "read", json!({ "filePath": "AGENTS.md" })).await {
        context.push_str("<project-instructions file=\"AGENTS.md\">\n");
        context.push_str(prefix_within(&instructions, INSTRUCTIONS_BUDGET));
        context.push_str("\n</project-instructions>\n\n");
    }
    for term in search_terms(request) {
        let pattern = regex_escape(&term);
        let found = call_tool(ctx, "grep", json!({ "pattern": pattern })).await;
        // The grep tool's answer when nothing matched says nothing useful here.
        if let Some(found) = found.filter(|found| found != "No files found") {
            context.push_str(&format!("<matches term=\"{term}\">\n"));
            context.push_str(prefix_within(&found, MATCHES_BUDGET));
            context.push_str("\n</matches>\n\n");
        }
    }
    context
}

/// `term` as a regular expression matching it literally.
fn regex_escape(term: &str) -> String {
    let mut escaped = String::with_capacity(term.len());
    for c in term.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The output of tool `name` called with `arguments`, or `None` when it is
/// not registered or fails (a project without `AGENTS.md`, say).
async fn call_tool(ctx: &AgentContext, name: &str, arguments: serde_json::Value) -> Option<String> {
    let tool = ctx.tools().get(name)?;
    let output = tool.call(arguments, &ctx.tool_context()).await.ok()?;
    Some(output.output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_tool_schema_describes_tasks_with_ids_files_and_dependencies() {
        let spec = plan_tool_spec();
        let schema = spec.parameters.to_string();
        for word in [
            "summary",
            "tasks",
            "id",
            "description",
            "files",
            "depends_on",
        ] {
            assert!(schema.contains(&format!("\"{word}\"")), "{word}: {schema}");
        }
        assert_eq!(spec.parameters["type"], "object");
        assert!(spec.parameters.get("$schema").is_none());
    }

    #[test]
    fn bounded_cuts_at_a_character_boundary() {
        assert_eq!(prefix_within("héllo", 2), "h");
        assert_eq!(prefix_within("abc", 10), "abc");
    }
}
