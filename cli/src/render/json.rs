//! `--format json`: one event per line, exactly the protocol's JSON form.

use super::Render;
use super::text::approval_line;
use code_mesh_runtime::permission::{ApprovalDecision, ApprovalRequest};
use code_mesh_runtime::protocol::Event;
use std::io::Write;

/// Prints each event as a JSON line on stdout, flushed at once so readers
/// see events as they happen; the command's own notices go to stderr, so
/// stdout stays JSON.
pub struct JsonRenderer<W: Write, E: Write> {
    out: W,
    err: E,
}

impl<W: Write, E: Write> JsonRenderer<W, E> {
    /// A renderer writing events to `out` and notices to `err`.
    pub fn new(out: W, err: E) -> Self {
        Self { out, err }
    }
}

impl<W: Write, E: Write> Render for JsonRenderer<W, E> {
    fn event(&mut self, event: &Event) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, event)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }

    fn notice(&mut self, line: &str) -> std::io::Result<()> {
        writeln!(self.err, "{line}")
    }

    fn approval(
        &mut self,
        request: &ApprovalRequest,
        decision: &ApprovalDecision,
        reason: Option<&str>,
    ) -> std::io::Result<()> {
        self.notice(&approval_line(request, decision, reason))
    }
}
