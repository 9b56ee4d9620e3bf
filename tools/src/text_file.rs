//! A text file as the editing tools (`edit`, `multiedit`, `apply_patch`) see
//! it: read with errors the model can act on, its UTF-8 byte-order mark and
//! CRLF line endings taken off so that matching works on plain `\n` text,
//! and both put back when the new text is saved. Files are read as agents
//! see them (staged content over the disk's) and saved through
//! [`ToolContext::write_files`](code_mesh_runtime::tool::ToolContext::write_files).

use crate::workspace::Workspace;
use code_mesh_runtime::tool::{ToolContext, ToolError};
use std::borrow::Cow;
use std::path::Path;

/// The UTF-8 byte-order mark some editors put at the start of a file.
const BOM: char = '\u{feff}';

/// A file's text with its encoding quirks set aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextFile {
    /// The text, without a byte-order mark and with `\r\n` turned into `\n`
    /// if the file used CRLF throughout.
    pub(crate) text: String,
    /// Whether the file started with a byte-order mark.
    bom: bool,
    /// Whether every line ending was `\r\n`.
    crlf: bool,
}

impl TextFile {
    /// Splits `raw` into its text and its quirks. Only a file whose line
    /// endings are all `\r\n` is normalised: a file mixing both is matched as
    /// it is, so saving it never changes lines nobody edited.
    pub(crate) fn decode(mut raw: String) -> Self {
        let bom = raw.starts_with(BOM);
        if bom {
            raw.replace_range(..BOM.len_utf8(), "");
        }
        let crlf = uses_crlf_throughout(&raw);
        if crlf {
            raw = raw.replace("\r\n", "\n");
        }
        Self {
            text: raw,
            bom,
            crlf,
        }
    }

    /// `text` (from the model) in the form matched against this file: its
    /// `\r\n` become `\n` when the file's were normalised.
    pub(crate) fn normalize<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.crlf && text.contains("\r\n") {
            text.replace("\r\n", "\n").into()
        } else {
            text.into()
        }
    }

    /// `text` in the file's own form: byte-order mark and CRLF put back
    /// (borrowed when the file has neither, which spares a big file a copy).
    pub(crate) fn encode<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !self.bom && !self.crlf {
            return Cow::Borrowed(text);
        }
        let mut raw = String::with_capacity(text.len() + text.len() / 32 + 3);
        if self.bom {
            raw.push(BOM);
        }
        if self.crlf {
            // Every `\r\n` became `\n` on decoding, so every `\n` goes back.
            raw.push_str(&text.replace('\n', "\r\n"));
        } else {
            raw.push_str(text);
        }
        Cow::Owned(raw)
    }
}

/// Whether `text` has line endings and every one is `\r\n`.
fn uses_crlf_throughout(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut newlines = 0;
    for (at, _) in text.match_indices('\n') {
        if at == 0 || bytes[at - 1] != b'\r' {
            return false;
        }
        newlines += 1;
    }
    newlines > 0
}

/// Reads the file at `path` as UTF-8 text, as agents see it (its staged
/// content if the session changed it). A missing file (staged deletions
/// included) is [`ToolError::NotFound`] with similar names suggested; a
/// directory or a binary file is refused with advice.
pub(crate) fn read_text(
    ctx: &ToolContext,
    workspace: &Workspace,
    path: &Path,
) -> Result<String, ToolError> {
    let shown = workspace.relative(path);
    if workspace.disk().is_dir(path) {
        return Err(ToolError::Failed(format!(
            "{shown} is a directory, not a file; give the path of a file"
        )));
    }
    let Some(bytes) = ctx.read_file(path)? else {
        return Err(workspace.not_found(path));
    };
    String::from_utf8(bytes).map_err(|_| {
        ToolError::Failed(format!(
            "{shown} is not UTF-8 text; only text files can be edited"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_bom_are_taken_off_and_put_back() {
        let file = TextFile::decode("\u{feff}one\r\ntwo\r\n".to_string());
        assert_eq!(file.text, "one\ntwo\n");
        assert_eq!(file.encode("one\n2\n"), "\u{feff}one\r\n2\r\n");
    }

    #[test]
    fn mixed_line_endings_are_left_alone() {
        let file = TextFile::decode("one\r\ntwo\nthree\r\n".to_string());
        assert_eq!(file.text, "one\r\ntwo\nthree\r\n");
        assert_eq!(file.encode("x\ny"), "x\ny");
    }

    #[test]
    fn model_text_follows_the_file() {
        let file = TextFile::decode("a\r\nb\r\n".to_string());
        assert_eq!(file.normalize("a\r\nb"), "a\nb");
        let plain = TextFile::decode("a\nb\n".to_string());
        assert_eq!(plain.normalize("a\r\nb"), "a\r\nb");
    }

    #[test]
    fn a_lone_carriage_return_survives_a_round_trip() {
        let raw = "a\rb\r\nc\r\n";
        let file = TextFile::decode(raw.to_string());
        assert_eq!(file.encode(&file.text), raw);
    }
}
