//! `--format text`: the answer streamed on stdout, one compact line per tool
//! call and any failure on stderr, so `code-mesh run … > answer.md` keeps
//! just the answer.

use super::Render;
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
            Event::TurnComplete { .. } => self.break_line()?,
            _ => {}
        }
        Ok(())
    }
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
}
