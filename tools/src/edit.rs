//! The `edit` tool: replaces a piece of text in a file, atomically, and shows
//! the diff.

use crate::args::parse_args;
use crate::atomic_write::write_atomically;
use crate::diff::{describe_lines, unified_diff};
use crate::replace::{ReplaceError, replace, with_line_endings_of};
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use serde::Deserialize;
use serde_json::json;
use std::fs;
use std::io;
use std::path::Path;

/// Replaces text in a file of the project:
/// `edit {filePath, oldString, newString, replaceAll}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EditTool;

/// The arguments, as OpenCode names them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EditArgs {
    file_path: String,
    old_string: String,
    new_string: String,
    replace_all: Option<bool>,
}

#[async_trait(?Send)]
impl Tool for EditTool {
    fn spec(&self) -> ToolSpec {
        ToolSpec {
            name: "edit".to_string(),
            description: include_str!("descriptions/edit.txt").to_string(),
            parameters: json!({
                "type": "object",
                "properties": {
                    "filePath": {
                        "type": "string",
                        "description": "The path of the file to modify, relative to the project root"
                    },
                    "oldString": {
                        "type": "string",
                        "description": "The exact text to replace, copied from the file"
                    },
                    "newString": {
                        "type": "string",
                        "description": "The text to replace it with (must be different from oldString)"
                    },
                    "replaceAll": {
                        "type": "boolean",
                        "description": "Replace every occurrence of oldString (default false)"
                    }
                },
                "required": ["filePath", "oldString", "newString"],
                "additionalProperties": false
            }),
        }
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: EditArgs = parse_args("edit", arguments)?;
        if args.old_string == args.new_string {
            return Err(ToolError::Failed(
                "oldString and newString are identical, so there is nothing to change; put the \
                 replacement text in newString"
                    .to_string(),
            ));
        }
        let workspace = Workspace::from_context(ctx)?;
        let path = workspace.resolve_for_write(&args.file_path)?;
        let shown = workspace.relative(&path);
        if path.is_dir() {
            return Err(ToolError::Failed(format!(
                "{shown} is a directory, not a file; give the path of a file to edit"
            )));
        }
        let output = if args.old_string.is_empty() {
            create(&workspace, &path, &args.new_string)?
        } else {
            let content = read_text(&workspace, &path)?;
            let old = with_line_endings_of(&content, &args.old_string);
            let new = with_line_endings_of(&content, &args.new_string);
            let replaced = replace(&content, &old, &new, args.replace_all.unwrap_or(false))
                .map_err(|error| explain(error, &shown))?;
            save(&path, &shown, &replaced.content)?;
            let count = replaced.count;
            let noun = if count == 1 {
                "replacement"
            } else {
                "replacements"
            };
            format!(
                "Edited {shown} ({count} {noun}).\n\n{}",
                unified_diff(&shown, &content, &replaced.content)
            )
        };
        Ok(ToolOutput::new(shown, output))
    }
}

/// The empty-`oldString` case: creates the file with `contents`, unless it
/// already holds something.
fn create(workspace: &Workspace, path: &Path, contents: &str) -> Result<String, ToolError> {
    let shown = workspace.relative(path);
    let existing = match fs::read(path) {
        Ok(existing) => existing,
        Err(error) if error.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(source) => {
            return Err(ToolError::Io {
                path: shown,
                source,
            });
        }
    };
    if !existing.is_empty() {
        return Err(ToolError::Failed(format!(
            "{shown} already exists and is not empty, so an empty oldString cannot create it; \
             read the file and pass the text to replace in oldString, or use the write tool to \
             replace the whole file"
        )));
    }
    save(path, &shown, contents)?;
    Ok(format!(
        "Created {shown} ({}).\n\n{}",
        describe_lines(contents.lines().count()),
        unified_diff(&shown, "", contents)
    ))
}

/// The file's contents as text.
fn read_text(workspace: &Workspace, path: &Path) -> Result<String, ToolError> {
    let shown = workspace.relative(path);
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Err(workspace.not_found(path));
        }
        Err(source) => {
            return Err(ToolError::Io {
                path: shown,
                source,
            });
        }
    };
    String::from_utf8(bytes).map_err(|_| {
        ToolError::Failed(format!(
            "{shown} is not UTF-8 text; edit only changes text files"
        ))
    })
}

/// Writes `contents` to `path` atomically.
fn save(path: &Path, shown: &str, contents: &str) -> Result<(), ToolError> {
    write_atomically(path, contents.as_bytes()).map_err(|source| ToolError::Io {
        path: shown.to_string(),
        source,
    })
}

/// What the model should do about a failed replacement.
fn explain(error: ReplaceError, shown: &str) -> ToolError {
    ToolError::Failed(match error {
        ReplaceError::NotFound => format!(
            "oldString was not found in {shown}. Read the file again and copy the text to \
             replace exactly, with the same whitespace and indentation and without the \
             line-number prefixes the read tool adds"
        ),
        ReplaceError::Ambiguous(count) => format!(
            "oldString matches {count} places in {shown}. Add more surrounding lines to \
             oldString so that it matches exactly one place, or set replaceAll to true to \
             replace every occurrence"
        ),
    })
}
