//! The `read` tool: a text file's lines, numbered as OpenCode shows them.

use crate::args::parse_args;
use crate::truncate::MAX_BYTES;
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use serde::Deserialize;
use serde_json::json;
use std::fs;
use std::io;

/// Lines read when the model gives no `limit`.
const DEFAULT_LIMIT: usize = 2000;
/// Characters of one line shown before it is cut with `...`.
const MAX_LINE_CHARS: usize = 2000;
/// Bytes sampled to tell a binary file from a text one.
const BINARY_SAMPLE_BYTES: usize = 8192;

/// Reads a text file of the project: `read {filePath, offset, limit}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadTool;

/// The arguments, as OpenCode names them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReadArgs {
    file_path: String,
    /// The 0-based line to start at.
    offset: Option<usize>,
    /// How many lines to show.
    limit: Option<usize>,
}

#[async_trait(?Send)]
impl Tool for ReadTool {
    fn spec(&self) -> ToolSpec {
        ToolSpec {
            name: "read".to_string(),
            description: include_str!("descriptions/read.txt").to_string(),
            parameters: json!({
                "type": "object",
                "properties": {
                    "filePath": {
                        "type": "string",
                        "description": "The path of the file to read, relative to the project root"
                    },
                    "offset": {
                        "type": "integer",
                        "minimum": 0,
                        "description": "The line number to start reading from (0-based)"
                    },
                    "limit": {
                        "type": "integer",
                        "minimum": 1,
                        "description": "The number of lines to read (defaults to 2000)"
                    }
                },
                "required": ["filePath"],
                "additionalProperties": false
            }),
        }
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
        let path = workspace.resolve(&args.file_path)?;
        let shown = workspace.relative(&path);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(workspace.not_found(&path));
            }
            Err(_) if path.is_dir() => {
                return Err(ToolError::Failed(format!(
                    "{shown} is a directory, not a file; list its contents with the list tool \
                     or `ls`"
                )));
            }
            Err(source) => {
                return Err(ToolError::Io {
                    path: shown,
                    source,
                });
            }
        };
        if looks_binary(&bytes) {
            return Err(ToolError::Failed(format!(
                "{shown} looks like a binary file; read only shows text files"
            )));
        }
        let text = String::from_utf8_lossy(&bytes);
        let output = render(&shown, &text, args.offset.unwrap_or(0), limit)?;
        Ok(ToolOutput::new(shown, output))
    }

    fn is_read_only(&self) -> bool {
        true
    }
}

/// Lines `offset..offset + limit` of `text` in OpenCode's format: inside
/// `<file>` tags, each prefixed with its 5-digit 1-based number, followed by
/// a note saying whether the file goes on.
fn render(shown: &str, text: &str, offset: usize, limit: usize) -> Result<String, ToolError> {
    let lines: Vec<&str> = text.lines().collect();
    let total = lines.len();
    if offset > 0 && offset >= total {
        let advice = if total == 0 {
            "the file is empty".to_string()
        } else {
            format!("use an offset below {total}")
        };
        return Err(ToolError::Failed(format!(
            "offset {offset} is past the end of {shown}, which has {total} lines; {advice}"
        )));
    }
    let mut end = offset.saturating_add(limit).min(total);
    // At most 50 KB of lines (their text, as OpenCode counts it), so a
    // window of long lines still fits the shared output limit.
    let mut bytes = 0;
    let mut capped = false;
    let mut numbered: Vec<String> = Vec::new();
    for (index, line) in lines.iter().enumerate().take(end).skip(offset) {
        let line = cut_long_line(line);
        let size = line.len() + usize::from(!numbered.is_empty());
        if bytes + size > MAX_BYTES {
            capped = true;
            end = index;
            break;
        }
        bytes += size;
        numbered.push(format!("{:05}| {line}", index + 1));
    }

    let mut output = String::from("<file>\n");
    if !numbered.is_empty() {
        output.push_str(&numbered.join("\n"));
        output.push_str("\n\n");
    }
    if capped {
        output.push_str(&format!(
            "(Output capped at 50 KB. Use 'offset' parameter to read beyond line {end})"
        ));
    } else if end < total {
        output.push_str(&format!(
            "(File has more lines. Use 'offset' parameter to read beyond line {end})"
        ));
    } else {
        output.push_str(&format!("(End of file - total {total} lines)"));
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

    #[test]
    fn text_with_tabs_and_newlines_is_not_binary() {
        assert!(!looks_binary(b"fn main() {\r\n\tprintln!();\n}\n"));
        assert!(looks_binary(b"\x01\x02\x03\x04text"));
    }
}
