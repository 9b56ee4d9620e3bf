//! The Planner: turns a request into a [`Plan`] of tasks with dependencies,
//! which the Supervisor then runs as a DAG of coder agents.
//!
//! The planner gathers the project's context cheaply (a bounded file tree
//! from the `list` tool, `AGENTS.md` through the `read` tool, when those
//! tools are registered) and asks the model with one tool available,
//! `plan`, whose JSON Schema is derived from [`Plan`]. Its arguments are the
//! plan: nothing is parsed out of prose. An invalid plan (no tasks, a
//! duplicate id, an unknown dependency, a cycle) goes back to the model as
//! the tool's error, a bounded number of times. The role's final answer is
//! the plan as JSON, which is what the Supervisor reads.

use crate::agent_loop::stream_answer;
use crate::prompt::{planner_system_prompt, task_message};
use async_trait::async_trait;
use code_mesh_runtime::model::{ChatMessage, ModelRequest, ToolCall, ToolSpec};
use code_mesh_runtime::protocol::{Event, Plan};
use code_mesh_runtime::role::{AgentContext, Role, RoleError, Task};
use code_mesh_runtime::supervisor::check_plan;
use serde_json::json;

/// The name of the planner's one tool.
pub const PLAN_TOOL: &str = "plan";

/// The most characters of the file tree shown to the model.
const TREE_BUDGET: usize = 6_000;

/// The most characters of `AGENTS.md` shown to the model.
const INSTRUCTIONS_BUDGET: usize = 8_000;

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
        let context = project_context(&ctx).await;
        let mut messages = vec![
            ChatMessage::System {
                content: planner_system_prompt(&ctx),
            },
            ChatMessage::User {
                content: format!("{context}<request>\n{}\n</request>", task_message(&task)),
            },
        ];
        let provider = ctx.provider()?;
        let tools = vec![plan_tool_spec()];
        let mut last_problem = String::from("the model never called the `plan` tool");
        for _ in 0..self.max_attempts {
            let request = ModelRequest {
                model: ctx.model().model.clone(),
                messages: messages.clone(),
                tools: tools.clone(),
                ..ModelRequest::default()
            };
            let answer = stream_answer(&ctx, provider.stream(request).await?).await?;
            messages.extend(answer.reasoning.into_iter().map(ChatMessage::Reasoning));
            messages.push(ChatMessage::Assistant {
                content: answer.text,
                tool_calls: answer.calls.clone(),
            });
            if answer.calls.is_empty() {
                messages.push(ChatMessage::User {
                    content: format!(
                        "Answer by calling the `{PLAN_TOOL}` tool with the whole plan."
                    ),
                });
                continue;
            }
            for call in &answer.calls {
                match accept_plan(&ctx, call) {
                    Ok(plan) => {
                        return serde_json::to_string(&plan)
                            .map_err(|e| RoleError::Failed(format!("cannot write the plan: {e}")));
                    }
                    Err(problem) => {
                        messages.push(ChatMessage::Tool {
                            call_id: call.id.clone(),
                            content: format!("Error: {problem}"),
                        });
                        last_problem = problem;
                    }
                }
            }
        }
        Err(RoleError::Stopped(format!(
            "the planner gave no valid plan in {} model requests; the last problem: {last_problem}",
            self.max_attempts
        )))
    }
}

/// The `plan` tool as the model sees it: its schema is [`Plan`]'s.
pub fn plan_tool_spec() -> ToolSpec {
    let mut parameters = serde_json::to_value(schemars::schema_for!(Plan)).unwrap_or(json!({}));
    // The schema's own metadata means nothing to a model's tool parameters.
    if let Some(object) = parameters.as_object_mut() {
        object.remove("$schema");
        object.remove("title");
    }
    ToolSpec {
        name: PLAN_TOOL.to_string(),
        description: "Submit the plan: a summary and the tasks, each with an id, a precise \
                      description, the files it will touch and the ids of the tasks it depends on."
            .to_string(),
        parameters,
    }
}

/// Reads and checks one tool call as a plan, reporting it as a tool call to
/// the front end; returns the problem, for the model, when it is not one.
fn accept_plan(ctx: &AgentContext, call: &ToolCall) -> Result<Plan, String> {
    let arguments = serde_json::from_str::<serde_json::Value>(&call.arguments)
        .unwrap_or_else(|_| serde_json::Value::String(call.arguments.clone()));
    ctx.emit(Event::ToolCallBegin {
        agent: ctx.agent(),
        call_id: call.id.clone(),
        tool: call.name.clone(),
        arguments,
    });
    let outcome = if call.name == PLAN_TOOL {
        serde_json::from_str::<Plan>(&call.arguments)
            .map_err(|e| format!("the arguments do not match the plan's schema: {e}"))
            .and_then(|plan| match check_plan(&plan) {
                Ok(_) => Ok(plan),
                Err(e) => Err(e.to_string()),
            })
    } else {
        Err(format!(
            "unknown tool `{}`; the only tool is `{PLAN_TOOL}`",
            call.name
        ))
    };
    let (title, output, is_error) = match &outcome {
        Ok(plan) => (
            format!("plan of {} task(s)", plan.tasks.len()),
            plan.summary.clone(),
            false,
        ),
        Err(problem) => (call.name.clone(), format!("Error: {problem}"), true),
    };
    ctx.emit(Event::ToolCallEnd {
        agent: ctx.agent(),
        call_id: call.id.clone(),
        tool: call.name.clone(),
        title,
        output,
        is_error,
    });
    outcome
}

/// What the model is told about the project before the request: a bounded
/// file tree and the project's `AGENTS.md`, each when it can be had.
async fn project_context(ctx: &AgentContext) -> String {
    let mut context = String::new();
    if let Some(tree) = call_tool(ctx, "list", json!({})).await {
        context.push_str("<files>\n");
        context.push_str(bounded(&tree, TREE_BUDGET));
        context.push_str("\n</files>\n\n");
    }
    if let Some(instructions) = call_tool(ctx, "read", json!({ "filePath": "AGENTS.md" })).await {
        context.push_str("<project-instructions file=\"AGENTS.md\">\n");
        context.push_str(bounded(&instructions, INSTRUCTIONS_BUDGET));
        context.push_str("\n</project-instructions>\n\n");
    }
    context
}

/// The output of tool `name` called with `arguments`, or `None` when it is
/// not registered or fails (a project without `AGENTS.md`, say).
async fn call_tool(ctx: &AgentContext, name: &str, arguments: serde_json::Value) -> Option<String> {
    let tool = ctx.tools().get(name)?;
    let output = tool.call(arguments, &ctx.tool_context()).await.ok()?;
    Some(output.output)
}

/// At most `budget` bytes of `text`, cut at a character boundary.
fn bounded(text: &str, budget: usize) -> &str {
    if text.len() <= budget {
        return text;
    }
    let mut end = budget;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
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
        assert_eq!(bounded("héllo", 2), "h");
        assert_eq!(bounded("abc", 10), "abc");
    }
}
