//! The Reviewer: reads the plan and the whole staged diff and gives a
//! verdict by calling its one tool, `review`, whose JSON Schema is derived
//! from [`Review`]: `{ approved, findings: [{ file, description }] }`. The
//! role's answer is the review as JSON, which the Supervisor reads: findings
//! become a fix task, then tests and another review, a bounded number of
//! times.

use crate::prompt::{reviewer_system_prompt, task_message};
use crate::structured_answer::{StructuredAnswer, ask_for, tool_spec};
use async_trait::async_trait;
use code_mesh_runtime::model::{ChatMessage, ToolSpec};
use code_mesh_runtime::protocol::Review;
use code_mesh_runtime::role::{AgentContext, Role, RoleError, Task};
use code_mesh_runtime::text::prefix_within;

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
        let messages = vec![
            ChatMessage::System {
                content: reviewer_system_prompt(&ctx),
            },
            ChatMessage::User {
                content: format!("{}\n\n<diff>\n{diff}\n</diff>", task_message(&task)),
            },
        ];
        ask_for::<Review>(&ctx, messages, self.max_attempts, "reviewer").await
    }
}

impl StructuredAnswer for Review {
    const TOOL: &'static str = REVIEW_TOOL;
    const NOUN: &'static str = "review";
    const DESCRIPTION: &'static str = "Submit the review: approved, or not with findings, each \
        naming a file and saying what is wrong and what to do.";
    const REMINDER: &'static str = "Answer by calling the `review` tool.";

    fn check(&self) -> Result<(), String> {
        if !self.approved && self.findings.is_empty() {
            Err("a review that does not approve must list findings".to_string())
        } else {
            Ok(())
        }
    }

    fn summary(&self) -> (String, String) {
        if self.approved {
            return ("approved".to_string(), String::new());
        }
        (
            format!("{} finding(s)", self.findings.len()),
            self.findings
                .iter()
                .map(|f| format!("{}: {}", f.file, f.description))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }
}

/// The `review` tool as the model sees it: its schema is [`Review`]'s.
pub fn review_tool_spec() -> ToolSpec {
    tool_spec::<Review>()
}

/// At most `budget` bytes of `text`, cut at a character boundary, with a
/// note when cut.
fn bounded(text: &str, budget: usize) -> String {
    if text.len() <= budget {
        return text.to_string();
    }
    let kept = prefix_within(text, budget);
    format!(
        "{kept}\n… (the diff is cut here: {} more bytes)",
        text.len() - kept.len()
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
