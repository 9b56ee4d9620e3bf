//! The `read` tool: a text file's lines, numbered as OpenCode shows them,
//! as agents see the file: a file with a staged change is read from the
//! change set (a staged deletion is not found, a staged creation is there);
//! any other is streamed from the machine's disk, reading no further than
//! the window, or read whole through the session's disk when the project
//! lives elsewhere (Node's `fs`, memory).
//! Every read is noted in the session, for `write`'s read-before-overwrite
//! rule.

use crate::args::parse_args;
use crate::schema::tool_spec;
use crate::truncate::MAX_BYTES;
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use schemars::JsonSchema;
use serde::Deserialize;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::sync::OnceLock;

/// Lines read when the model gives no `limit`.
const DEFAULT_LIMIT: usize = 2000;
/// Characters of one line shown before it is cut with `...`.
const MAX_LINE_CHARS: usize = 2000;
/// Bytes sampled to tell a binary file from a text one.
const BINARY_SAMPLE_BYTES: usize = 8192;
/// Bytes of one line kept in memory: enough for [`MAX_LINE_CHARS`]
/// characters of up to four bytes each, and one more to know it was cut.
const MAX_LINE_BYTES: u64 = 4 * MAX_LINE_CHARS as u64 + 4;
/// The read buffer: large, since skipping to a deep offset streams the
/// file through it.
const BUFFER_BYTES: usize = 256 * 1024;

/// Reads a text file of the project: `read {filePath, offset, limit}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadTool;

/// The arguments, as OpenCode names them.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ReadArgs {
    /// The path of the file to read, relative to the project root
    file_path: String,
    /// The line number to start reading from (0-based)
    offset: Option<usize>,
    /// The number of lines to read (defaults to 2000)
    #[schemars(range(min = 1))]
    limit: Option<usize>,
}

#[async_trait(?Send)]
impl Tool for ReadTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        tool_spec::<ReadArgs>("read", include_str!("descriptions/read.txt"), &PARAMETERS)
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: ReadArgs = parse_args("read", arguments)?;
        let limit = args.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 {
            return Err(ToolError::InvalidArguments {
                tool: "read".to_string(),
                message: "limit must be at least 1; leave it out to read up to 2000 lines"
                    .to_string(),
            });
        }
        let workspace = Workspace::from_context(ctx)?;
        let path = workspace.resolve_checked(ctx, &args.file_path).await?;
        let shown = workspace.relative(&path);
        let offset = args.offset.unwrap_or(0);
        let staged = ctx.changes.is_staged(&path);
        if !staged && workspace.disk().is_dir(&path) {
            return Err(ToolError::Failed(format!(
                "{shown} is a directory, not a file; list its contents with the list tool or \
                 `ls`"
            )));
        }
        let window = if staged || !workspace.disk().is_native() {
            let Some(bytes) = ctx.read_file(&path)? else {
                return Err(workspace.not_found(&path));
            };
            read_text_window(Cursor::new(bytes), &shown, offset, limit)?
        } else {
            let file = match File::open(&path) {
                Ok(file) => file,
                Err(error) if error.kind() == io::ErrorKind::NotFound => {
                    return Err(workspace.not_found(&path));
                }
                Err(source) => {
                    return Err(ToolError::Io {
                        path: shown,
                        source,
                    });
                }
            };
            read_text_window(file, &shown, offset, limit)?
        };
        ctx.changes.note_read(&path);
        let output = render(&shown, &window, offset)?;
        Ok(ToolOutput::new(shown, output))
    }

    fn is_read_only(&self) -> bool {
        true
    }
}

/// Reads the window `offset..offset + limit` of the file `source` (shown as
/// `shown`), refusing a binary file. Only the lines up to the end of the
/// window are read: a window near the start of a huge file costs what the
/// window costs.
fn read_text_window(
    mut source: impl Read,
    shown: &str,
    offset: usize,
    limit: usize,
) -> Result<Window, ToolError> {
    let io_error = |source| ToolError::Io {
        path: shown.to_string(),
        source,
    };
    let mut sample = Vec::with_capacity(BINARY_SAMPLE_BYTES);
    source
        .by_ref()
        .take(BINARY_SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)
        .map_err(io_error)?;
    if looks_binary(&sample) {
        return Err(ToolError::Failed(format!(
            "{shown} looks like a binary file; read only shows text files"
        )));
    }
    let mut reader = BufReader::with_capacity(BUFFER_BYTES, Cursor::new(sample).chain(source));
    read_window(&mut reader, offset, limit).map_err(io_error)
}

/// The lines of a file one read shows.
#[derive(Debug, Default, PartialEq, Eq)]
struct Window {
    /// The lines shown, numbered and cut, in order from the offset.
    lines: Vec<String>,
    /// The file's line count, known when the end of the file was reached.
    total: Option<usize>,
    /// Whether the window stopped at the 50 KB limit rather than at `limit`
    /// lines or the end of the file.
    capped: bool,
}

/// Reads lines `offset..offset + limit` of a file from `reader`, at most
/// 50 KB of them (their text, as OpenCode counts it, so a window of long
/// lines still fits the shared output limit). The lines before the window
/// are skipped without being kept, and reading stops once the window is full
/// (looking one byte further to know whether the file goes on).
fn read_window(reader: &mut impl BufRead, offset: usize, limit: usize) -> io::Result<Window> {
    let mut window = Window::default();
    let mut index = 0;
    while index < offset {
        if reader.skip_until(b'\n')? == 0 {
            window.total = Some(index);
            return Ok(window);
        }
        index += 1;
    }
    let mut bytes = 0;
    let mut raw = Vec::new();
    while window.lines.len() < limit {
        raw.clear();
        if !read_line(reader, &mut raw)? {
            window.total = Some(index);
            return Ok(window);
        }
        let text = String::from_utf8_lossy(&raw);
        let line = cut_long_line(&text);
        let size = line.len() + usize::from(!window.lines.is_empty());
        if bytes + size > MAX_BYTES {
            window.capped = true;
            return Ok(window);
        }
        bytes += size;
        window.lines.push(format!("{:05}| {line}", index + 1));
        index += 1;
    }
    if reader.fill_buf()?.is_empty() {
        window.total = Some(index);
    }
    Ok(window)
}

/// Reads the next line into `line`, without its `\n` (or `\r\n`) and
/// without what lies past [`MAX_LINE_BYTES`], which is skipped. `false` at
/// the end of the file.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<bool> {
    let read = reader
        .by_ref()
        .take(MAX_LINE_BYTES)
        .read_until(b'\n', line)?;
    if read == 0 {
        return Ok(false);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    } else if read as u64 == MAX_LINE_BYTES {
        // A very long line: the rest is cut from the output anyway.
        reader.skip_until(b'\n')?;
    }
    Ok(true)
}

/// The window in OpenCode's format: inside `<file>` tags, each line
/// prefixed with its 5-digit 1-based number, followed by a note saying
/// whether the file goes on.
fn render(shown: &str, window: &Window, offset: usize) -> Result<String, ToolError> {
    if let Some(total) = window.total
        && offset > 0
        && offset >= total
    {
        let advice = if total == 0 {
            "the file is empty".to_string()
        } else {
            format!("use an offset below {total}")
        };
        return Err(ToolError::Failed(format!(
            "offset {offset} is past the end of {shown}, which has {total} lines; {advice}"
        )));
    }
    let end = offset + window.lines.len();
    let mut output = String::from("<file>\n");
    if !window.lines.is_empty() {
        output.push_str(&window.lines.join("\n"));
        output.push_str("\n\n");
    }
    match window.total {
        _ if window.capped => output.push_str(&format!(
            "(Output capped at 50 KB. Use 'offset' parameter to read beyond line {end})"
        )),
        Some(total) => output.push_str(&format!("(End of file - total {total} lines)")),
        None => output.push_str(&format!(
            "(File has more lines. Use 'offset' parameter to read beyond line {end})"
        )),
    }
    output.push_str("\n</file>");
    Ok(output)
}

/// `line`, cut after [`MAX_LINE_CHARS`] characters with `...` appended.
fn cut_long_line(line: &str) -> std::borrow::Cow<'_, str> {
    match line.char_indices().nth(MAX_LINE_CHARS) {
        Some((cut, _)) => format!("{}...", &line[..cut]).into(),
        None => line.into(),
    }
}

/// Whether `bytes` look like a binary file: a NUL byte in the first 8 KiB, or
/// more than 30% control characters there (OpenCode's rule).
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(BINARY_SAMPLE_BYTES)];
    if sample.is_empty() {
        return false;
    }
    if sample.contains(&0) {
        return true;
    }
    let control = sample
        .iter()
        .filter(|&&byte| byte < 9 || (byte > 13 && byte < 32))
        .count();
    control * 10 > sample.len() * 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_on_a_character_boundary() {
        let line = "é".repeat(MAX_LINE_CHARS + 5);
        let cut = cut_long_line(&line);
        assert_eq!(cut.chars().count(), MAX_LINE_CHARS + 3);
        assert!(cut.ends_with("é..."));
    }

    fn window(text: &str, offset: usize, limit: usize) -> Window {
        read_window(&mut Cursor::new(text.as_bytes()), offset, limit).unwrap()
    }

    #[test]
    fn the_window_is_read_and_the_rest_only_looked_at() {
        let read = window("a\nb\r\nc\nd\n", 1, 2);
        assert_eq!(read.lines, vec!["00002| b", "00003| c"]);
        assert_eq!(read.total, None);
        assert_eq!(window("a\nb\nc", 1, 2).total, Some(3));
        assert_eq!(window("a\nb\nc\n", 1, 2).total, Some(3));
    }

    #[test]
    fn line_ends_follow_str_lines() {
        for text in ["", "\n", "a", "a\n", "a\r\nb\r", "a\n\nb\n\n", "x\ry\n"] {
            let read = window(text, 0, 100);
            let expected: Vec<String> = text
                .lines()
                .enumerate()
                .map(|(index, line)| format!("{:05}| {line}", index + 1))
                .collect();
            assert_eq!(read.lines, expected, "{text:?}");
            assert_eq!(read.total, Some(expected.len()), "{text:?}");
        }
    }

    #[test]
    fn an_offset_past_the_end_finds_the_length() {
        assert_eq!(window("a\nb\n", 5, 10).total, Some(2));
        assert_eq!(window("a\nb\n", 2, 10).total, Some(2));
    }

    #[test]
    fn a_huge_line_is_cut_without_being_kept_whole() {
        let text = format!("{}\nnext\n", "x".repeat(100_000));
        let read = window(&text, 0, 2);
        assert_eq!(read.lines[0].len(), "00001| ".len() + MAX_LINE_CHARS + 3);
        assert_eq!(read.lines[1], "00002| next");
    }

    #[test]
    fn text_with_tabs_and_newlines_is_not_binary() {
        assert!(!looks_binary(b"fn main() {\r\n\tprintln!();\n}\n"));
        assert!(looks_binary(b"\x01\x02\x03\x04text"));
    }
}
