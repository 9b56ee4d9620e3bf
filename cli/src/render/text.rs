//! `--format text`: the answer streamed on stdout, one compact line per tool
//! call, the tokens used and any failure on stderr, so
//! `code-mesh run … > answer.md` keeps just the answer.

use super::Render;
use crate::numbers;
use code_mesh_runtime::model::Usage;
use code_mesh_runtime::protocol::Event;
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
    fn a_turn_without_tokens_prints_no_usage_line() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        TextRenderer::new(&mut out, &mut err)
            .event(&turn_complete(Usage::default(), None))
            .unwrap();
        assert!(err.is_empty());
    }
}
