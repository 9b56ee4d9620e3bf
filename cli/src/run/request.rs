//! The request `run` sends: the prompt's words, the files attached with
//! `-f`, and whatever was piped on stdin (`git diff | code-mesh run
//! "review this"`), each attached in a tagged block the model can tell apart.

use anyhow::Context;
use code_mesh_cli::request_text as shared;
use std::fs::File;
use std::io::{IsTerminal, Read};

/// The request made of `words`, the `files` attached, and stdin when it is
/// not a terminal (see [`code_mesh_cli::request_text`]). An error names a
/// file that cannot be attached, or says there is nothing to ask.
pub fn request_text(words: &[String], files: &[String]) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let piped = if stdin.is_terminal() {
        None
    } else {
        Some(read_bounded(stdin.lock()).context("cannot read the piped input")?)
    };
    shared::request_text(words, files, read_attachment, piped).map_err(anyhow::Error::msg)
}

/// The bytes of the file `-f` names (see [`read_bounded`]).
fn read_attachment(file: &str) -> Result<Vec<u8>, String> {
    File::open(file)
        .and_then(read_bounded)
        .map_err(|error| error.to_string())
}

/// All of `reader`, up to one byte over [`shared::ATTACHMENT_LIMIT`] (enough
/// to tell it is too big without reading a huge file whole).
fn read_bounded(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(shared::ATTACHMENT_LIMIT).unwrap_or(u64::MAX) + 1;
    reader.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_and_binary_or_oversized_input_refused() {
        let attach = |bytes: &[u8]| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("f");
            std::fs::write(&path, bytes).unwrap();
            let name = path.display().to_string();
            shared::request_text(&[], &[name], read_attachment, None)
        };
        assert!(attach(b"hello\n").unwrap().contains("hello\n"));
        let binary = attach(b"a\0b").unwrap_err();
        assert!(binary.contains("is binary"), "{binary}");
        let big = vec![b'a'; shared::ATTACHMENT_LIMIT * 2];
        assert_eq!(
            read_bounded(&big[..]).unwrap().len(),
            shared::ATTACHMENT_LIMIT + 1
        );
        let error = attach(&big).unwrap_err();
        assert!(error.contains("over 256 KiB"), "{error}");
    }

    #[test]
    fn a_missing_attachment_is_named() {
        let error =
            shared::request_text(&[], &["no/such/file.rs".to_string()], read_attachment, None)
                .unwrap_err();
        assert!(error.contains("cannot attach no/such/file.rs"), "{error}");
    }
}
