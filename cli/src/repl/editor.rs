//! The line editor, on a thread of its own so the runtime keeps working
//! while the person types: prompts, history saved per project, and lines
//! ending in `\` continued on the next.
//!
//! rustyline rather than reedline: it is smaller and starts faster (no
//! crossterm, no SQLite history), and its default features are off except
//! file history.

use anyhow::Context;
use futures::channel::oneshot;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};
use std::path::PathBuf;
use std::sync::mpsc;

/// What reading a line gave.
#[derive(Debug)]
pub enum Read {
    /// A line (continuations joined with newlines), without its ending.
    Line(String),
    /// Ctrl-C at the prompt.
    Interrupted,
    /// Ctrl-D, or the end of input.
    Eof,
}

/// A request to the editor thread.
enum Request {
    /// Read a line after `prompt`.
    Read(String, oneshot::Sender<anyhow::Result<Read>>),
}

/// The editor thread's handle; the thread ends when this is dropped.
pub struct LineEditor {
    requests: mpsc::Sender<Request>,
}

/// The prompt of a continuation line.
const CONTINUATION: &str = "… ";

impl LineEditor {
    /// Starts the editor, its history loaded from (and saved to) `history`.
    pub fn start(history: PathBuf) -> anyhow::Result<Self> {
        let config = Config::builder().auto_add_history(false).build();
        let mut editor: Editor<(), DefaultHistory> =
            Editor::with_config(config).context("cannot start the line editor")?;
        // A missing file is a first run; a broken one starts afresh.
        let _ = editor.load_history(&history);
        let (requests, inbox) = mpsc::channel();
        std::thread::spawn(move || serve(editor, &history, &inbox));
        Ok(Self { requests })
    }

    /// Reads a line after `prompt`, continuing it while it ends in `\`.
    pub async fn read(&self, prompt: &str) -> anyhow::Result<Read> {
        let (tx, rx) = oneshot::channel();
        self.requests
            .send(Request::Read(prompt.to_string(), tx))
            .ok()
            .context("the line editor stopped")?;
        rx.await.context("the line editor stopped")?
    }
}

fn serve(
    mut editor: Editor<(), DefaultHistory>,
    history: &PathBuf,
    inbox: &mpsc::Receiver<Request>,
) {
    while let Ok(Request::Read(prompt, reply)) = inbox.recv() {
        let read = read_continued(&mut editor, &prompt);
        if let Ok(Read::Line(line)) = &read
            && !line.trim().is_empty()
        {
            let _ = editor.add_history_entry(line.as_str());
            if let Some(dir) = history.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            // History is a convenience: failing to save it is not worth a word.
            let _ = editor.save_history(history);
        }
        let _ = reply.send(read);
    }
}

/// One logical line: physical lines ending in `\` are joined by newlines.
fn read_continued(editor: &mut Editor<(), DefaultHistory>, prompt: &str) -> anyhow::Result<Read> {
    let mut text = String::new();
    let mut prompt = prompt;
    loop {
        match editor.readline(prompt) {
            Ok(line) => match line.strip_suffix('\\') {
                Some(start) => {
                    text.push_str(start);
                    text.push('\n');
                    prompt = CONTINUATION;
                }
                None => {
                    text.push_str(&line);
                    return Ok(Read::Line(text));
                }
            },
            Err(ReadlineError::Interrupted) => return Ok(Read::Interrupted),
            Err(ReadlineError::Eof) => return Ok(Read::Eof),
            Err(error) => return Err(error).context("cannot read from the terminal"),
        }
    }
}
