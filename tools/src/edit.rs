//! The `edit` tool: replaces a piece of text in a file, hands the result to
//! the session's change set (staged, or written through atomically), and
//! shows the diff. The matching (exact, then tolerant strategies) is in
//! `replace`; this module turns its results and failures into what the
//! model sees, and is shared with `multiedit`.

use crate::args::parse_args;
use crate::diff::{describe_lines, unified_diff};
use crate::replace::{ReplaceError, Replaced, Strategy, replace};
use crate::schema::tool_spec;
use crate::staged::write_title;
use crate::text_file::{TextFile, read_text};
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{FileWrite, Tool, ToolContext, ToolError, ToolOutput, WriteMode};
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Replaces text in a file of the project:
/// `edit {filePath, oldString, newString, replaceAll}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EditTool;

/// The arguments, as OpenCode names them. The replacement's descriptions
/// are shared with `multiedit`'s edits, which take the same three.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EditArgs {
    /// The path of the file to modify, relative to the project root
    file_path: String,
    #[schemars(description = OLD_STRING_DESCRIPTION)]
    old_string: String,
    #[schemars(description = NEW_STRING_DESCRIPTION)]
    new_string: String,
    #[schemars(description = REPLACE_ALL_DESCRIPTION)]
    replace_all: Option<bool>,
}

/// What `oldString` is, for `edit` and each of `multiedit`'s edits.
pub(crate) const OLD_STRING_DESCRIPTION: &str =
    "The text to replace, copied from the file (exactly, with its indentation)";
/// What `newString` is, for `edit` and each of `multiedit`'s edits.
pub(crate) const NEW_STRING_DESCRIPTION: &str =
    "The text to replace it with (must be different from oldString)";
/// What `replaceAll` does, for `edit` and each of `multiedit`'s edits.
pub(crate) const REPLACE_ALL_DESCRIPTION: &str =
    "Replace every occurrence of oldString (default false)";

#[async_trait(?Send)]
impl Tool for EditTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        tool_spec::<EditArgs>("edit", include_str!("descriptions/edit.txt"), &PARAMETERS)
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
        let path = workspace
            .resolve_for_write_checked(ctx, &args.file_path)
            .await?;
        let shown = workspace.relative(&path);
        if workspace.disk().is_dir(&path) {
            return Err(ToolError::Failed(format!(
                "{shown} is a directory, not a file; give the path of a file to edit"
            )));
        }
        let (output, mode) = if args.old_string.is_empty() {
            create(ctx, path, &shown, &args.new_string)?
        } else {
            let file = TextFile::decode(read_text(ctx, &workspace, &path)?);
            let replaced = replace_in(
                &file,
                &file.text,
                &shown,
                &args.old_string,
                &args.new_string,
                args.replace_all.unwrap_or(false),
            )?;
            let mode = save(ctx, path, &file.encode(&replaced.content))?;
            let output = format!(
                "Edited {shown} ({}).\n\n{}",
                describe_replacement(&replaced),
                unified_diff(&shown, &file.text, &replaced.content)
            );
            (output, mode)
        };
        Ok(ToolOutput::new(write_title(shown, mode), output))
    }
}

/// Replaces `old` with `new` in `text`, the current text of `file` (shown
/// as `shown`): the model's strings are first given the file's line
/// endings. A failure, or a replacement that changes nothing, is an error
/// telling the model what to do.
pub(crate) fn replace_in(
    file: &TextFile,
    text: &str,
    shown: &str,
    old: &str,
    new: &str,
    replace_all: bool,
) -> Result<Replaced, ToolError> {
    let old = file.normalize(old);
    let new = file.normalize(new);
    let replaced = replace(text, &old, &new, replace_all).map_err(|error| explain(error, shown))?;
    if replaced.content == text {
        return Err(ToolError::Failed(format!(
            "newString is the same as the text oldString matched in {shown} ({} match: {}), so \
             the edit would change nothing; put the text you want in newString",
            replaced.strategy.name(),
            replaced.strategy.explanation()
        )));
    }
    Ok(replaced)
}

/// "1 replacement", and how the text was found when it was not exact.
pub(crate) fn describe_replacement(replaced: &Replaced) -> String {
    let count = replaced.count;
    let noun = if count == 1 {
        "replacement"
    } else {
        "replacements"
    };
    match replaced.strategy {
        Strategy::Exact => format!("{count} {noun}"),
        strategy => format!(
            "{count} {noun}; matched by the {} strategy: {}",
            strategy.name(),
            strategy.explanation()
        ),
    }
}

/// Hands `text` to the session's change set as the new content of `path`.
pub(crate) fn save(ctx: &ToolContext, path: PathBuf, text: &str) -> Result<WriteMode, ToolError> {
    ctx.write_files(vec![FileWrite {
        path,
        content: Some(text.as_bytes().to_vec()),
    }])
}

/// The empty-`oldString` case: creates the file with `contents`, unless it
/// already holds something (as agents see it).
fn create(
    ctx: &ToolContext,
    path: PathBuf,
    shown: &str,
    contents: &str,
) -> Result<(String, WriteMode), ToolError> {
    let existing = ctx.read_file(&path)?.unwrap_or_default();
    if !existing.is_empty() {
        return Err(ToolError::Failed(format!(
            "{shown} already exists and is not empty, so an empty oldString cannot create it; \
             read the file and pass the text to replace in oldString, or use the write tool to \
             replace the whole file"
        )));
    }
    let mode = save(ctx, path, contents)?;
    let output = format!(
        "Created {shown} ({}).\n\n{}",
        describe_lines(contents.lines().count()),
        unified_diff(shown, "", contents)
    );
    Ok((output, mode))
}

/// What the model should do about a failed replacement.
pub(crate) fn explain(error: ReplaceError, shown: &str) -> ToolError {
    ToolError::Failed(match error {
        ReplaceError::NotFound => format!(
            "oldString was not found in {shown}, not even allowing for differences in \
             whitespace, indentation and escaping. Read the file again and copy the text to \
             replace exactly, with the same whitespace and indentation and without the \
             line-number prefixes the read tool adds"
        ),
        ReplaceError::Ambiguous {
            count,
            strategy: Strategy::Exact,
        } => format!(
            "oldString matches {count} places in {shown}. Add more surrounding lines to \
             oldString so that it matches exactly one place, or set replaceAll to true to \
             replace every occurrence"
        ),
        ReplaceError::Ambiguous { count, strategy } => format!(
            "oldString matches {count} places in {shown} (it has no exact match; the {} \
             strategy found these: {}). Add more surrounding lines to oldString, copied \
             exactly, so that it matches exactly one place, or set replaceAll to true to \
             replace every one",
            strategy.name(),
            strategy.explanation()
        ),
    })
}
