//! The request `run` sends: the prompt's words, the files attached with
//! `-f`, and whatever was piped on stdin (`git diff | code-mesh run
//! "review this"`), each attached in a tagged block the model can tell apart.

use anyhow::{Context, bail};
use std::io::{IsTerminal, Read};
use std::path::Path;

/// The most bytes one attached file or the piped input may hold: beyond
/// that the agent should read it with its tools instead.
const ATTACHMENT_LIMIT: usize = 256 * 1024;

/// The request made of `words`, the `files` attached, and stdin when it is
/// not a terminal. An error names a file that cannot be attached, or says
/// there is nothing to ask.
pub fn request_text(words: &[String], files: &[String]) -> anyhow::Result<String> {
    let mut request = words.join(" ");
    for file in files {
        let content = attachment(Path::new(file))?;
        request.push_str(&format!("\n\n<file path=\"{file}\">\n{content}\n</file>"));
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let piped = bounded_text(stdin.lock(), "the piped input")?;
        let piped = piped.trim_end();
        if !piped.is_empty() {
            if request.trim().is_empty() {
                request = piped.to_string();
            } else {
                request.push_str(&format!("\n\n<stdin>\n{piped}\n</stdin>"));
            }
        }
    }
    if request.trim().is_empty() {
        bail!("nothing to ask: give a prompt (code-mesh run \"…\"), or pipe one on stdin");
    }
    Ok(request)
}

/// The text of the file at `path`, refused when missing, binary or too big.
fn attachment(path: &Path) -> anyhow::Result<String> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot attach {}", path.display()))?;
    bounded_text(file, &path.display().to_string())
}

/// All of `reader` as UTF-8 text, at most [`ATTACHMENT_LIMIT`] bytes;
/// `what` names it in errors.
fn bounded_text(reader: impl Read, what: &str) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(ATTACHMENT_LIMIT).unwrap_or(u64::MAX) + 1;
    reader
        .take(limit)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {what}"))?;
    if bytes.len() > ATTACHMENT_LIMIT {
        bail!(
            "{what} is over {} KiB: name the file in the prompt and let the agent read it",
            ATTACHMENT_LIMIT / 1024
        );
    }
    if bytes.contains(&0) {
        bail!("{what} is binary; only text can be attached");
    }
    String::from_utf8(bytes).with_context(|| format!("{what} is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_and_binary_or_oversized_input_refused() {
        assert_eq!(bounded_text(&b"hello\n"[..], "x").unwrap(), "hello\n");
        let binary = bounded_text(&b"a\0b"[..], "blob").unwrap_err().to_string();
        assert!(binary.contains("blob is binary"), "{binary}");
        let big = vec![b'a'; ATTACHMENT_LIMIT + 1];
        let error = bounded_text(&big[..], "big").unwrap_err().to_string();
        assert!(error.contains("over 256 KiB"), "{error}");
    }

    #[test]
    fn a_missing_attachment_is_named() {
        let error = format!(
            "{:#}",
            attachment(Path::new("no/such/file.rs")).unwrap_err()
        );
        assert!(error.contains("cannot attach no/such/file.rs"), "{error}");
    }
}
