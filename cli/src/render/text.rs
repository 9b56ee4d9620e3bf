//! `--format text`: the answer streamed on stdout, one compact line per tool
//! call, per staged or written file and per approval, the tokens used and
//! any failure on stderr, so `code-mesh run … > answer.md` keeps just the
//! answer (and the diff of changes left for review). Plain text: no colors.

use super::Render;
use crate::numbers;
use code_mesh_runtime::model::Usage;
use code_mesh_runtime::permission::{ApprovalDecision, ApprovalRequest};
use code_mesh_runtime::protocol::{ChangedFile, Event, FileStatus};
use std::io::Write;

/// Streams the model's text to `out` and progress lines to `err`.
pub struct TextRenderer<O: Write, E: Write> {
    out: O,
    err: E,
    /// Whether the last thing written to `out` ended a line.
    at_line_start: bool,
}

impl<O: Write, E: Write> TextRenderer<O, E> {
    /// A renderer writing the answer to `out` and progress to `err`.
    pub fn new(out: O, err: E) -> Self {
        Self {
            out,
            err,
            at_line_start: true,
        }
    }

    /// Ends the streamed text's line before a progress line interrupts it.
    fn break_line(&mut self) -> std::io::Result<()> {
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
            Event::AgentMessageDelta { delta, .. } => {
                self.out.write_all(delta.as_bytes())?;
                self.out.flush()?;
                if !delta.is_empty() {
                    self.at_line_start = delta.ends_with('\n');
                }
            }
            Event::ToolCallEnd {
                tool,
                title,
                output,
                is_error,
                ..
            } => {
                self.break_line()?;
                if *is_error {
                    let first = output.lines().next().unwrap_or_default();
                    let reason = first.strip_prefix("Error: ").unwrap_or(first);
                    writeln!(self.err, "✗ {tool:<5} {reason}")?;
                } else {
                    writeln!(self.err, "• {tool:<5} {title}")?;
                }
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
            Event::ChangeStaged { path, written, .. } => {
                self.break_line()?;
                let verb = if *written { "wrote" } else { "staged" };
                writeln!(self.err, "{verb} {path}")?;
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
                self.out.write_all(diff.as_bytes())?;
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
                writeln!(self.err, "undone: {} put back", files.join(", "))?;
            }
            Event::TurnComplete {
                usage, cost_usd, ..
            } => {
                self.break_line()?;
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

/// The line that says how an approval request was answered:
/// `allowed bash `cargo test` once`, `refused bash `rm -rf x``, with
/// `: reason` after a refusal when one is given.
pub fn approval_line(
    request: &ApprovalRequest,
    decision: &ApprovalDecision,
    reason: Option<&str>,
) -> String {
    let what = &request.permission;
    match decision {
        ApprovalDecision::Once => format!("allowed {what} `{}` once", request.pattern),
        ApprovalDecision::Always => format!(
            "allowed {what} `{}` for the rest of this run",
            request.always.join("`, `")
        ),
        ApprovalDecision::Reject { .. } => match reason {
            Some(reason) => format!("refused {what} `{}`: {reason}", request.pattern),
            None => format!("refused {what} `{}`", request.pattern),
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

    #[test]
    fn staged_changes_are_listed_on_stderr_and_their_diff_goes_to_stdout() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut r = TextRenderer::new(&mut out, &mut err);
        let agent = AgentId(1);
        r.event(&Event::ChangeStaged {
            agent,
            path: "src/a.rs".into(),
            written: false,
        })
        .unwrap();
        r.event(&Event::ChangeStaged {
            agent,
            path: "src/b.rs".into(),
            written: true,
        })
        .unwrap();
        r.event(&Event::Changes {
            files: vec![ChangedFile {
                path: "src/a.rs".into(),
                status: FileStatus::Modified,
                additions: 3,
                deletions: 1,
            }],
            diff: "--- a/src/a.rs\n+++ b/src/a.rs\n".into(),
        })
        .unwrap();
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "staged src/a.rs\nwrote src/b.rs\nM src/a.rs +3 -1\n"
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
            "allowed bash `cargo test --all` once"
        );
        assert_eq!(
            line(ApprovalDecision::Always, None),
            "allowed bash `cargo test *` for the rest of this run"
        );
        assert_eq!(
            line(
                ApprovalDecision::Reject { message: None },
                Some("no terminal")
            ),
            "refused bash `cargo test --all`: no terminal"
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
