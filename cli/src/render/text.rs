//! `--format text`: the answer streamed on stdout, one compact line per tool
//! call, per staged or written file and per approval, a plan as a checklist
//! ticked as its tasks end, the tokens used and any failure on stderr, so `code-mesh run … > answer.md` keeps just the
//! answer (and the diff of changes left for review). Plain text unless
//! [`TextRenderer::with_color`]: then the answer's Markdown is styled a
//! line at a time and the diff colored.

use super::Render;
use super::diff;
use super::markdown::MarkdownLines;
use super::plan::PlanChecklist;
use super::tool_summary::result_summary;
use crate::numbers;
use code_mesh_runtime::model::Usage;
use code_mesh_runtime::permission::{ApprovalDecision, ApprovalRequest};
use code_mesh_runtime::protocol::{AgentId, ChangedFile, Event, FileStatus};
use std::io::Write;

/// Streams the model's text to `out` and progress lines to `err`.
pub struct TextRenderer<O: Write, E: Write> {
    out: O,
    err: E,
    /// Whether the last thing written to `out` ended a line.
    at_line_start: bool,
    /// Files a tool staged or wrote, shown under its line when it ends.
    changed: Vec<ChangedByTool>,
    /// Refused requests whose tool error is not shown again: the refusal's
    /// line already said it. By agent, with what was asked.
    refused: Vec<(AgentId, String)>,
    /// The plans' tasks as last shown.
    plans: PlanChecklist,
    /// The agent whose streamed text was written last: another agent's
    /// text starts on a new line rather than running on (agents of a plan
    /// speak at once).
    speaking: Option<AgentId>,
    /// Whether to style the answer and color diffs.
    color: bool,
    /// With color: the streamed text of the line not yet complete.
    pending: String,
    /// With color: the answer's Markdown so far.
    markdown: MarkdownLines,
}

/// One [`Event::ChangeStaged`] waiting for its tool's line.
struct ChangedByTool {
    agent: AgentId,
    path: String,
    written: bool,
}

impl<O: Write, E: Write> TextRenderer<O, E> {
    /// A renderer writing the answer to `out` and progress to `err`.
    pub fn new(out: O, err: E) -> Self {
        Self {
            out,
            err,
            at_line_start: true,
            changed: Vec::new(),
            refused: Vec::new(),
            plans: PlanChecklist::default(),
            speaking: None,
            color: false,
            pending: String::new(),
            markdown: MarkdownLines::default(),
        }
    }

    /// Styles the answer's Markdown (a line at a time, each shown once
    /// complete) and colors diffs when `color`; see
    /// [`super::color::stdout_enabled`].
    pub fn with_color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    /// Writes streamed text: as it comes without color; with color, each
    /// complete line styled.
    fn write_text(&mut self, delta: &str) -> std::io::Result<()> {
        if !self.color {
            self.out.write_all(delta.as_bytes())?;
        } else {
            self.pending.push_str(delta);
            while let Some(end) = self.pending.find('\n') {
                let line: String = self.pending.drain(..=end).collect();
                let styled = self
                    .markdown
                    .line(line.trim_end_matches(['\n', '\r']), true);
                writeln!(self.out, "{styled}")?;
            }
        }
        self.out.flush()?;
        if !delta.is_empty() {
            self.at_line_start = delta.ends_with('\n');
        }
        Ok(())
    }

    /// Whether this failed tool call of `agent` is a refusal already shown
    /// (its error names what was refused); forgets the refusal if so.
    fn already_refused(&mut self, agent: AgentId, output: &str) -> bool {
        let found = self
            .refused
            .iter()
            .position(|(a, pattern)| *a == agent && output.contains(pattern.as_str()));
        found.map(|i| self.refused.remove(i)).is_some()
    }

    /// Lists the files `agent`'s tool changed (every agent's when `None`)
    /// under its line, `  staged src/a.rs` or `  wrote src/a.rs`, leaving
    /// out the one file a tool's `title` already names (`src/a.rs (staged)`).
    fn list_changed(&mut self, agent: Option<AgentId>, title: &str) -> std::io::Result<()> {
        let (mine, others) = std::mem::take(&mut self.changed)
            .into_iter()
            .partition(|c| agent.is_none_or(|a| a == c.agent));
        self.changed = others;
        let mine: Vec<ChangedByTool> = mine;
        let named = |c: &ChangedByTool| {
            title == c.path || title.strip_prefix(c.path.as_str()) == Some(" (staged)")
        };
        if let [only] = mine.as_slice()
            && named(only)
        {
            return Ok(());
        }
        for change in mine {
            let verb = if change.written { "wrote" } else { "staged" };
            writeln!(self.err, "  {verb} {}", change.path)?;
        }
        Ok(())
    }

    /// Ends the streamed text's line before a progress line interrupts it.
    fn break_line(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            let styled = self.markdown.line(&line, self.color);
            self.out.write_all(styled.as_bytes())?;
        }
        if !self.at_line_start {
            self.out.write_all(b"\n")?;
            self.out.flush()?;
            self.at_line_start = true;
        }
        Ok(())
    }
}

impl<O: Write, E: Write> Render for TextRenderer<O, E> {
    fn event(&mut self, event: &Event) -> std::io::Result<()> {
        match event {
            Event::AgentMessageDelta { agent, delta } => {
                if self.speaking.is_some_and(|last| last != *agent) {
                    self.break_line()?;
                }
                self.speaking = Some(*agent);
                self.write_text(delta)?;
            }
            Event::ToolCallEnd {
                agent,
                tool,
                title,
                output,
                is_error,
                ..
            } => {
                self.break_line()?;
                if *is_error && self.already_refused(*agent, output) {
                    // The refusal's line said it.
                } else if *is_error {
                    let first = output.lines().next().unwrap_or_default();
                    let reason = first.strip_prefix("Error: ").unwrap_or(first);
                    writeln!(self.err, "✗ {tool:<5} {reason}")?;
                } else {
                    match result_summary(tool, output) {
                        Some(summary) => writeln!(self.err, "• {tool:<5} {title} · {summary}")?,
                        None => writeln!(self.err, "• {tool:<5} {title}")?,
                    }
                }
                self.list_changed(Some(*agent), title)?;
            }
            Event::AgentRestarted {
                agent,
                attempt,
                reason,
                ..
            } => {
                self.break_line()?;
                writeln!(
                    self.err,
                    "↻ {agent} restarted (attempt {attempt}): {reason}"
                )?;
            }
            Event::ChangeStaged {
                agent,
                path,
                written,
            } => self.changed.push(ChangedByTool {
                agent: *agent,
                path: path.clone(),
                written: *written,
            }),
            Event::PlanProposed { plan, .. } => {
                self.break_line()?;
                for line in self.plans.proposed(plan) {
                    writeln!(self.err, "{line}")?;
                }
            }
            Event::PlanUpdated { plan } => {
                let lines = self.plans.updated(plan);
                if !lines.is_empty() {
                    self.break_line()?;
                }
                for line in lines {
                    writeln!(self.err, "{line}")?;
                }
            }
            Event::ApprovalRequested { .. } => {
                // The question is asked on stderr; it starts on its own line.
                self.break_line()?;
            }
            Event::Changes { files, diff } => {
                self.break_line()?;
                for file in files {
                    writeln!(self.err, "{}", changed_file_line(file))?;
                }
                self.err.flush()?;
                self.out
                    .write_all(diff::colored(diff, self.color).as_bytes())?;
                if !diff.is_empty() && !diff.ends_with('\n') {
                    self.out.write_all(b"\n")?;
                }
                self.out.flush()?;
            }
            Event::ChangesApplied { files } if !files.is_empty() => {
                self.break_line()?;
                writeln!(self.err, "applied {}", files.join(", "))?;
            }
            Event::ChangesRejected { files } if !files.is_empty() => {
                self.break_line()?;
                writeln!(
                    self.err,
                    "rejected {}; the files are as they were",
                    files.join(", ")
                )?;
            }
            Event::ChangesUndone { files } if !files.is_empty() => {
                self.break_line()?;
                writeln!(self.err, "undid the changes to {}", files.join(", "))?;
            }
            Event::Compacted {
                before_tokens,
                after_tokens,
                summarized,
                ..
            } => {
                self.break_line()?;
                let how = if *summarized {
                    "summarised the older part"
                } else {
                    "pruned old tool outputs"
                };
                writeln!(
                    self.err,
                    "• context {how}: about {} → {} tokens",
                    numbers::count(*before_tokens),
                    numbers::count(*after_tokens)
                )?;
            }
            Event::TurnComplete {
                usage, cost_usd, ..
            } => {
                self.break_line()?;
                self.markdown.reset();
                self.list_changed(None, "")?;
                if let Some(line) = usage_line(usage, *cost_usd) {
                    writeln!(self.err, "{line}")?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn notice(&mut self, line: &str) -> std::io::Result<()> {
        self.break_line()?;
        writeln!(self.err, "{line}")
    }

    fn approval(
        &mut self,
        request: &ApprovalRequest,
        decision: &ApprovalDecision,
        reason: Option<&str>,
    ) -> std::io::Result<()> {
        if matches!(decision, ApprovalDecision::Reject { .. }) {
            self.refused.push((request.agent, request.pattern.clone()));
        }
        self.notice(&approval_line(request, decision, reason))
    }
}

/// `M src/lib.rs +3 -1`: status letter, path, lines added and removed.
fn changed_file_line(file: &ChangedFile) -> String {
    let status = match file.status {
        FileStatus::Added => 'A',
        FileStatus::Modified => 'M',
        FileStatus::Deleted => 'D',
    };
    format!(
        "{status} {} +{} -{}",
        file.path, file.additions, file.deletions
    )
}

/// The line that says how an approval request was answered, shaped like a
/// tool's line: ``✓ bash  allowed `cargo test` once``,
/// ``✗ bash  refused `rm -rf x` `` with `: reason` after a refusal when one
/// is given.
pub(super) fn approval_line(
    request: &ApprovalRequest,
    decision: &ApprovalDecision,
    reason: Option<&str>,
) -> String {
    let what = &request.permission;
    let pattern = &request.pattern;
    match decision {
        ApprovalDecision::Once => format!("✓ {what:<5} allowed `{pattern}` once"),
        ApprovalDecision::Always => format!(
            "✓ {what:<5} allowed `{}` for the rest of this run",
            request.always.join("`, `")
        ),
        ApprovalDecision::Reject { .. } => match reason {
            Some(reason) => format!("✗ {what:<5} refused `{pattern}`: {reason}"),
            None => format!("✗ {what:<5} refused `{pattern}`"),
        },
    }
}

/// `tokens 1,234 in · 56 out · $0.0031` (with `(… cached)` after the input
/// when some was); `None` when no tokens were counted.
fn usage_line(usage: &Usage, cost_usd: Option<f64>) -> Option<String> {
    if usage.input_tokens == 0 && usage.output_tokens == 0 {
        return None;
    }
    let mut line = format!("tokens {} in", numbers::count(usage.input_tokens));
    if usage.cached_input_tokens > 0 {
        line.push_str(&format!(
            " ({} cached)",
            numbers::count(usage.cached_input_tokens)
        ));
    }
    line.push_str(&format!(" · {} out", numbers::count(usage.output_tokens)));
    if let Some(cost) = cost_usd {
        line.push_str(&format!(" · {}", numbers::cost(cost)));
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::protocol::AgentId;

    #[test]
    fn tool_line_breaks_streamed_text_and_goes_to_stderr() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut r = TextRenderer::new(&mut out, &mut err);
        let agent = AgentId(1);
        r.event(&Event::AgentMessageDelta {
            agent,
            delta: "Reading".into(),
        })
        .unwrap();
        r.event(&Event::ToolCallEnd {
            agent,
            call_id: "c1".into(),
            tool: "read".into(),
            title: "src/lib.rs".into(),
            output: "<file>…".into(),
            is_error: false,
        })
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "Reading\n");
        assert_eq!(String::from_utf8(err).unwrap(), "• read  src/lib.rs\n");
    }

    #[test]
    fn another_agents_text_starts_on_its_own_line() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut r = TextRenderer::new(&mut out, &mut err);
        for (agent, delta) in [(1, "Wrote a."), (2, "Wrote "), (2, "b."), (1, "\n")] {
            r.event(&Event::AgentMessageDelta {
                agent: AgentId(agent),
                delta: delta.into(),
            })
            .unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "Wrote a.\nWrote b.\n\n");
    }

    #[test]
    fn with_color_the_answer_is_styled_a_line_at_a_time_and_the_rest_at_the_end() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut r = TextRenderer::new(&mut out, &mut err).with_color(true);
        for delta in ["# Ti", "tle\n- one", "\nlast"] {
            r.event(&Event::AgentMessageDelta {
                agent: AgentId(1),
                delta: delta.into(),
            })
            .unwrap();
        }
        r.event(&turn_complete(Usage::default(), None)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{1b}[1mTitle\u{1b}[0m\n• one\nlast\n"
        );
    }

    fn turn_complete(usage: Usage, cost_usd: Option<f64>) -> Event {
        Event::TurnComplete {
            status: code_mesh_runtime::protocol::TurnStatus::Completed,
            answer: None,
            error: None,
            usage,
            cost_usd,
        }
    }

    #[test]
    fn turn_end_prints_the_tokens_and_cost_on_stderr() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let usage = Usage {
            input_tokens: 1_234,
            output_tokens: 56,
            cached_input_tokens: 0,
        };
        TextRenderer::new(&mut out, &mut err)
            .event(&turn_complete(usage, Some(0.003_1)))
            .unwrap();
        assert!(out.is_empty());
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "tokens 1,234 in · 56 out · $0.0031\n"
        );
    }

    #[test]
    fn cached_tokens_are_shown_and_an_unknown_cost_left_out() {
        let usage = Usage {
            input_tokens: 2_000,
            output_tokens: 10,
            cached_input_tokens: 1_500,
        };
        assert_eq!(
            usage_line(&usage, None).unwrap(),
            "tokens 2,000 in (1,500 cached) · 10 out"
        );
    }

    fn staged(agent: u64, path: &str, written: bool) -> Event {
        Event::ChangeStaged {
            agent: AgentId(agent),
            path: path.into(),
            written,
        }
    }

    fn tool_end(agent: u64, tool: &str, title: &str) -> Event {
        Event::ToolCallEnd {
            agent: AgentId(agent),
            call_id: "c".into(),
            tool: tool.into(),
            title: title.into(),
            output: String::new(),
            is_error: false,
        }
    }

    #[test]
    fn changed_files_are_listed_under_their_tool_unless_its_title_names_the_one_file() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut r = TextRenderer::new(&mut out, &mut err);
        for event in [
            staged(1, "src/a.rs", false),
            tool_end(1, "edit", "src/a.rs (staged)"),
            staged(1, "src/b.rs", false),
            staged(2, "src/c.rs", true),
            staged(1, "src/d.rs", false),
            tool_end(1, "apply_patch", "2 files (staged)"),
            tool_end(2, "write", "src/c.rs"),
        ] {
            r.event(&event).unwrap();
        }
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "• edit  src/a.rs (staged)\n\
             • apply_patch 2 files (staged)\n  staged src/b.rs\n  staged src/d.rs\n\
             • write src/c.rs\n"
        );
    }

    #[test]
    fn staged_changes_are_listed_on_stderr_and_their_diff_goes_to_stdout() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        TextRenderer::new(&mut out, &mut err)
            .event(&Event::Changes {
                files: vec![
                    ChangedFile {
                        path: "src/a.rs".into(),
                        status: FileStatus::Modified,
                        additions: 3,
                        deletions: 1,
                    },
                    ChangedFile {
                        path: "new.txt".into(),
                        status: FileStatus::Added,
                        additions: 1,
                        deletions: 0,
                    },
                ],
                diff: "--- a/src/a.rs\n+++ b/src/a.rs\n".into(),
            })
            .unwrap();
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "M src/a.rs +3 -1\nA new.txt +1 -0\n"
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "--- a/src/a.rs\n+++ b/src/a.rs\n"
        );
    }

    #[test]
    fn approval_outcomes_name_the_permission_and_what_was_asked() {
        let request = ApprovalRequest {
            agent: AgentId(1),
            permission: "bash".into(),
            pattern: "cargo test --all".into(),
            always: vec!["cargo test *".into()],
            title: "Run the tests".into(),
        };
        let line = |decision, reason| approval_line(&request, &decision, reason);
        assert_eq!(
            line(ApprovalDecision::Once, None),
            "✓ bash  allowed `cargo test --all` once"
        );
        assert_eq!(
            line(ApprovalDecision::Always, None),
            "✓ bash  allowed `cargo test *` for the rest of this run"
        );
        assert_eq!(
            line(
                ApprovalDecision::Reject { message: None },
                Some("no terminal")
            ),
            "✗ bash  refused `cargo test --all`: no terminal"
        );
    }

    #[test]
    fn a_refused_call_is_shown_once_not_again_as_its_tool_error() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut r = TextRenderer::new(&mut out, &mut err);
        let request = ApprovalRequest {
            agent: AgentId(1),
            permission: "bash".into(),
            pattern: "rm -rf build".into(),
            always: vec!["rm *".into()],
            title: "Clean".into(),
        };
        let failed = |output: &str| Event::ToolCallEnd {
            agent: AgentId(1),
            call_id: "c".into(),
            tool: "bash".into(),
            title: String::new(),
            output: output.into(),
            is_error: true,
        };
        r.approval(&request, &ApprovalDecision::Reject { message: None }, None)
            .unwrap();
        r.event(&failed("the person rejected bash `rm -rf build`"))
            .unwrap();
        r.event(&failed("Error: no such directory")).unwrap();
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "✗ bash  refused `rm -rf build`\n✗ bash  no such directory\n"
        );
    }

    #[test]
    fn a_turn_without_tokens_prints_no_usage_line() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        TextRenderer::new(&mut out, &mut err)
            .event(&turn_complete(Usage::default(), None))
            .unwrap();
        assert!(err.is_empty());
    }
}
