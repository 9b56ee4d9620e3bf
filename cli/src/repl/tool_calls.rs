//! `/tools`: the last turn's tool calls, each shown as one compact line
//! while it ran, kept with its full output so the person can read what the
//! model saw. Only the last turn's are kept: outputs can be whole files.

use code_mesh_cli::render::Render;
use code_mesh_runtime::permission::{ApprovalDecision, ApprovalRequest};
use code_mesh_runtime::protocol::Event;

/// One finished tool call, as the model saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCall {
    pub tool: String,
    pub title: String,
    pub output: String,
    pub is_error: bool,
}

impl ToolCall {
    /// `  2  read   ok     src/lib.rs`, numbered from 1.
    pub fn summary(&self, number: usize) -> String {
        let outcome = if self.is_error { "error" } else { "ok" };
        format!("{number:>3}  {:<6} {outcome:<6} {}", self.tool, self.title)
    }
}

/// Renders through `inner` and keeps each [`Event::ToolCallEnd`] in `calls`;
/// the runtime is untouched.
pub struct Recording<'a> {
    pub inner: &'a mut dyn Render,
    pub calls: &'a mut Vec<ToolCall>,
}

impl Render for Recording<'_> {
    fn event(&mut self, event: &Event) -> std::io::Result<()> {
        if let Event::ToolCallEnd {
            tool,
            title,
            output,
            is_error,
            ..
        } = event
        {
            self.calls.push(ToolCall {
                tool: tool.clone(),
                title: title.clone(),
                output: output.clone(),
                is_error: *is_error,
            });
        }
        self.inner.event(event)
    }

    fn notice(&mut self, line: &str) -> std::io::Result<()> {
        self.inner.notice(line)
    }

    fn approval(
        &mut self,
        request: &ApprovalRequest,
        decision: &ApprovalDecision,
        reason: Option<&str>,
    ) -> std::io::Result<()> {
        self.inner.approval(request, decision, reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_cli::render::TextRenderer;
    use code_mesh_runtime::protocol::AgentId;

    #[test]
    fn tool_call_ends_are_kept_and_still_rendered() {
        let mut inner = TextRenderer::new(Vec::new(), Vec::new());
        let mut calls = Vec::new();
        let mut recording = Recording {
            inner: &mut inner,
            calls: &mut calls,
        };
        recording
            .event(&Event::ToolCallEnd {
                agent: AgentId(1),
                call_id: "call_read".into(),
                tool: "read".into(),
                title: "notes.txt".into(),
                output: "1\tone\n2\ttwo\n".into(),
                is_error: false,
            })
            .unwrap();
        assert_eq!(
            calls,
            [ToolCall {
                tool: "read".into(),
                title: "notes.txt".into(),
                output: "1\tone\n2\ttwo\n".into(),
                is_error: false,
            }]
        );
        assert_eq!(calls[0].summary(1), "  1  read   ok     notes.txt");
    }
}
