//! `--format json`: one event per line, exactly the protocol's JSON form.

use super::Render;
use code_mesh_runtime::protocol::Event;
use std::io::Write;

/// Prints each event as a JSON line on stdout, flushed at once so readers
/// see events as they happen.
pub struct JsonRenderer<W: Write> {
    out: W,
}

impl<W: Write> JsonRenderer<W> {
    /// A renderer writing to `out`.
    pub fn new(out: W) -> Self {
        Self { out }
    }
}

impl<W: Write> Render for JsonRenderer<W> {
    fn event(&mut self, event: &Event) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, event)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}
