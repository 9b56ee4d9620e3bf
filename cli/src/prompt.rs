//! Asking the person at the terminal, without stopping the runtime while
//! they think.

use anyhow::Context;
use futures::channel::oneshot;
use std::io::{BufRead, IsTerminal, Write};

/// Whether a person can answer questions: stdin and stderr are terminals.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Writes `question` on stderr and reads one line of answer from stdin,
/// trimmed; `None` when stdin ends. The line is read on its own thread, so
/// the Supervisor's other agents keep working meanwhile.
pub async fn ask(question: &str) -> anyhow::Result<Option<String>> {
    let mut err = std::io::stderr();
    err.write_all(question.as_bytes())?;
    err.flush()?;
    let (tx, rx) = oneshot::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = std::io::stdin().lock().read_line(&mut line);
        let _ = tx.send(read.map(|n| (n > 0).then(|| line.trim().to_string())));
    });
    let answer = rx
        .await
        .context("the terminal reader stopped")?
        .context("cannot read the answer from the terminal")?;
    if answer.is_none() {
        // End of input leaves the cursor after the question.
        writeln!(err)?;
    }
    Ok(answer)
}
