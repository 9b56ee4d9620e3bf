//! The CLI's output: `process.stdout` and `process.stderr` in Node (the
//! console elsewhere), and Node's standard input when it is piped.

use super::node::{builtin_module, node_process};
use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// One of the process's output streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output: the answer, the diff, JSON lines.
    Stdout,
    /// Standard error: tool lines, notices, errors.
    Stderr,
}

impl Stream {
    /// The property of `process` that holds it.
    fn name(self) -> &'static str {
        match self {
            Self::Stdout => "stdout",
            Self::Stderr => "stderr",
        }
    }
}

/// Writes `text` to `stream`: `process.<stream>.write` in Node, else the
/// console (a line at a time). Nothing to do when neither exists.
pub fn write(stream: Stream, text: &str) {
    if text.is_empty() {
        return;
    }
    let node_stream = node_process()
        .and_then(|process| Reflect::get(&process, &stream.name().into()).ok())
        .filter(JsValue::is_object);
    if let Some(target) = node_stream
        && let Ok(write) = Reflect::get(&target, &"write".into())
        && let Some(write) = write.dyn_ref::<Function>()
    {
        let _ = write.call1(&target, &text.into());
        return;
    }
    let line = text.strip_suffix('\n').unwrap_or(text);
    match stream {
        Stream::Stdout => console("log", line),
        Stream::Stderr => console("error", line),
    }
}

/// One of the process's streams as a [`std::io::Write`], for the CLI's
/// renderers: each write goes out at once through [`write`]. A character
/// split between two writes waits for its last byte, so JavaScript only
/// ever sees whole characters.
#[derive(Debug)]
pub struct StreamWriter {
    stream: Stream,
    /// The start of a character whose other bytes are still to come.
    partial: Vec<u8>,
}

impl StreamWriter {
    /// A writer to `stream`.
    pub fn new(stream: Stream) -> Self {
        Self {
            stream,
            partial: Vec::new(),
        }
    }
}

impl std::io::Write for StreamWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.partial.extend_from_slice(buf);
        let bytes = std::mem::take(&mut self.partial);
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            // Only the last character is incomplete: keep it for the next write.
            Err(error) if error.utf8_error().error_len().is_none() => {
                let valid = error.utf8_error().valid_up_to();
                let mut bytes = error.into_bytes();
                self.partial = bytes.split_off(valid);
                String::from_utf8_lossy(&bytes).into_owned()
            }
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        };
        write(self.stream, &text);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `console.<method>(text)`, when there is a console.
pub fn console(method: &str, text: &str) {
    let Ok(console) = Reflect::get(&js_sys::global(), &"console".into()) else {
        return;
    };
    if let Ok(log) = Reflect::get(&console, &method.into())
        && let Some(log) = log.dyn_ref::<Function>()
    {
        let _ = log.call1(&console, &text.into());
    }
}

/// Whether `process.<stream>` is a terminal (`isTTY`); false outside Node.
pub fn is_terminal(stream: &str) -> bool {
    node_process()
        .and_then(|process| Reflect::get(&process, &stream.into()).ok())
        .and_then(|stream| Reflect::get(&stream, &"isTTY".into()).ok())
        .is_some_and(|tty| tty.is_truthy())
}

/// Everything piped to Node's standard input, read synchronously
/// (`fs.readFileSync(0)`); `None` when stdin is a terminal, closed, or
/// there is none.
pub fn piped_stdin() -> Option<Vec<u8>> {
    if node_process().is_none() || is_terminal("stdin") {
        return None;
    }
    let fs = builtin_module("fs").ok()?;
    let read = Reflect::get(&fs, &"readFileSync".into()).ok()?;
    let read = read.dyn_ref::<Function>()?;
    let bytes = read.call1(&fs, &JsValue::from(0)).ok()?;
    Some(js_sys::Uint8Array::new(&bytes).to_vec())
}
