//! The Reviewer: reads the plan and the whole staged diff and gives a
//! verdict by calling its one tool, `review`, whose JSON Schema is derived
//! from [`Review`]: `{ approved, findings: [{ file, description }] }`. The
//! role's answer is the review as JSON, which the Supervisor reads: findings
//! become a fix task, then tests and another review, a bounded number of
//! times.

use crate::agent_loop::stream_answer;
use crate::prompt::{reviewer_system_prompt, task_message};
use async_trait::async_trait;
use code_mesh_runtime::model::{ChatMessage, ModelRequest, ToolCall, ToolSpec};
use code_mesh_runtime::protocol::{Event, Review};
use code_mesh_runtime::role::{AgentContext, Role, RoleError, Task};
use serde_json::json;

/// The name of the reviewer's one tool.
pub const REVIEW_TOOL: &str = "review";

/// The most characters of the staged diff shown to the model.
const DIFF_BUDGET: usize = 100_000;

/// Reviews the staged diff by calling the `review` tool.
#[derive(Debug, Clone)]
pub struct Reviewer {
    max_attempts: u32,
}

impl Default for Reviewer {
    fn default() -> Self {
        Self { max_attempts: 3 }
    }
}

impl Reviewer {
    /// A reviewer that gives the model `attempts` model requests (at least
    /// one) to call `review` properly, instead of the default 3.
    pub fn with_attempts(attempts: u32) -> Self {
        Self {
            max_attempts: attempts.max(1),
        }
    }
}

#[async_trait(?Send)]
impl Role for Reviewer {
    async fn run(&self, task: Task, ctx: AgentContext) -> Result<String, RoleError> {
        let diff = ctx.changes().diff();
        let diff = if diff.trim().is_empty() {
            "(nothing is staged)".to_string()
        } else {
            bounded(&diff, DIFF_BUDGET)
        };
        let mut messages = vec![
            ChatMessage::System {
                content: reviewer_system_prompt(&ctx),
            },
            ChatMessage::User {
                content: format!("{}\n\n<diff>\n{diff}\n</diff>", task_message(&task)),
            },
        ];
        let provider = ctx.provider()?;
        let tools = vec![review_tool_spec()];
        let mut last_problem = String::from("the model never called the `review` tool");
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
                    content: format!("Answer by calling the `{REVIEW_TOOL}` tool."),
                });
                continue;
            }
            for call in &answer.calls {
                match accept_review(&ctx, call) {
                    Ok(review) => {
                        return serde_json::to_string(&review).map_err(|e| {
                            RoleError::Failed(format!("cannot write the review: {e}"))
                        });
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
            "the reviewer gave no valid review in {} model requests; the last problem: {last_problem}",
            self.max_attempts
        )))
    }
}

/// The `review` tool as the model sees it: its schema is [`Review`]'s.
pub fn review_tool_spec() -> ToolSpec {
    let mut parameters = serde_json::to_value(schemars::schema_for!(Review)).unwrap_or(json!({}));
    if let Some(object) = parameters.as_object_mut() {
        object.remove("$schema");
        object.remove("title");
    }
    ToolSpec {
        name: REVIEW_TOOL.to_string(),
        description: "Submit the review: approved, or not with findings, each naming a file and \
                      saying what is wrong and what to do."
            .to_string(),
        parameters,
    }
}

/// Reads one tool call as a review, reporting it as a tool call to the
/// front end; returns the problem, for the model, when it is not one.
fn accept_review(ctx: &AgentContext, call: &ToolCall) -> Result<Review, String> {
    let arguments = serde_json::from_str::<serde_json::Value>(&call.arguments)
        .unwrap_or_else(|_| serde_json::Value::String(call.arguments.clone()));
    ctx.emit(Event::ToolCallBegin {
        agent: ctx.agent(),
        call_id: call.id.clone(),
        tool: call.name.clone(),
        arguments,
    });
    let outcome = if call.name == REVIEW_TOOL {
        serde_json::from_str::<Review>(&call.arguments)
            .map_err(|e| format!("the arguments do not match the review's schema: {e}"))
            .and_then(|review| {
                if !review.approved && review.findings.is_empty() {
                    Err("a review that does not approve must list findings".to_string())
                } else {
                    Ok(review)
                }
            })
    } else {
        Err(format!(
            "unknown tool `{}`; the only tool is `{REVIEW_TOOL}`",
            call.name
        ))
    };
    let (title, output, is_error) = match &outcome {
        Ok(review) if review.approved => ("approved".to_string(), String::new(), false),
        Ok(review) => (
            format!("{} finding(s)", review.findings.len()),
            review
                .findings
                .iter()
                .map(|f| format!("{}: {}", f.file, f.description))
                .collect::<Vec<_>>()
                .join("\n"),
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

/// At most `budget` bytes of `text`, cut at a character boundary, with a
/// note when cut.
fn bounded(text: &str, budget: usize) -> String {
    if text.len() <= budget {
        return text.to_string();
    }
    let mut end = budget;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n… (the diff is cut here: {} more bytes)",
        text.get(..end).unwrap_or_default(),
        text.len() - end
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_review_tool_schema_has_approved_and_findings_with_file_and_description() {
        let spec = review_tool_spec();
        let schema = spec.parameters.to_string();
        for word in ["approved", "findings", "file", "description"] {
            assert!(schema.contains(&format!("\"{word}\"")), "{word}: {schema}");
        }
        assert_eq!(spec.parameters["type"], "object");
        assert!(spec.parameters.get("$schema").is_none());
    }
}
