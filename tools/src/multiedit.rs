//! The `multiedit` tool: several edits to one file, made in order on the
//! text in memory and handed to the session's change set once, so the file
//! gets all of them or none.

use crate::args::parse_args;
use crate::diff::unified_diff;
use crate::edit::{
    NEW_STRING_DESCRIPTION, OLD_STRING_DESCRIPTION, REPLACE_ALL_DESCRIPTION, describe_replacement,
    replace_in, save,
};
use crate::schema::tool_spec;
use crate::staged::{self, write_title};
use crate::text_file::{TextFile, read_text};
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use schemars::JsonSchema;
use serde::Deserialize;
use std::sync::OnceLock;

/// Makes several replacements in one file of the project, all or nothing:
/// `multiedit {filePath, edits: [{oldString, newString, replaceAll}]}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct MultiEditTool;

/// The arguments, as OpenCode names them.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct MultiEditArgs {
    /// The path of the file to modify, relative to the project root
    file_path: String,
    /// The edits to make, in order; each works on the result of the ones before it
    #[schemars(length(min = 1))]
    edits: Vec<OneEdit>,
}

/// One edit, as the `edit` tool takes it (without the path).
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OneEdit {
    #[schemars(description = OLD_STRING_DESCRIPTION)]
    old_string: String,
    #[schemars(description = NEW_STRING_DESCRIPTION)]
    new_string: String,
    #[schemars(description = REPLACE_ALL_DESCRIPTION)]
    replace_all: Option<bool>,
}

#[async_trait(?Send)]
impl Tool for MultiEditTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        tool_spec::<MultiEditArgs>(
            "multiedit",
            include_str!("descriptions/multiedit.txt"),
            &PARAMETERS,
        )
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: MultiEditArgs = parse_args("multiedit", arguments)?;
        if args.edits.is_empty() {
            return Err(ToolError::InvalidArguments {
                tool: "multiedit".to_string(),
                message: "edits is empty; give at least one {oldString, newString} edit"
                    .to_string(),
            });
        }
        let workspace = Workspace::from_context(ctx)?;
        let path = workspace
            .resolve_for_write_checked(ctx, &args.file_path)
            .await?;
        let shown = workspace.relative(&path);
        let creates = args
            .edits
            .first()
            .is_some_and(|first| first.old_string.is_empty());
        let (file, existed) = if creates && !staged::exists(ctx, &path)? {
            (TextFile::decode(String::new()), false)
        } else {
            (TextFile::decode(read_text(ctx, &workspace, &path)?), true)
        };

        let total = args.edits.len();
        let mut text = file.text.clone();
        let mut done = Vec::with_capacity(total);
        for (index, edit) in args.edits.iter().enumerate() {
            let failed = |reason: String| {
                ToolError::Failed(format!(
                    "edit {} of {total} (edits[{index}]) failed, so none of the edits was \
                     applied and {shown} is unchanged: {reason}. Fix that edit and send all \
                     the edits again.",
                    index + 1
                ))
            };
            if edit.old_string == edit.new_string {
                return Err(failed(
                    "oldString and newString are identical; put the replacement text in \
                     newString"
                        .to_string(),
                ));
            }
            if edit.old_string.is_empty() {
                if index > 0 || !text.is_empty() {
                    return Err(failed(format!(
                        "an empty oldString creates the file, which only the first edit can do \
                         and only if {shown} does not exist or is empty; give the text to \
                         replace in oldString"
                    )));
                }
                text = file.normalize(&edit.new_string).into_owned();
                done.push("created the file".to_string());
                continue;
            }
            let replaced = replace_in(
                &file,
                &text,
                &shown,
                &edit.old_string,
                &edit.new_string,
                edit.replace_all.unwrap_or(false),
            )
            .map_err(|error| failed(error.to_string()))?;
            done.push(describe_replacement(&replaced));
            text = replaced.content;
        }

        let mode = save(ctx, path, &file.encode(&text))?;
        let verb = if existed { "Edited" } else { "Created" };
        let noun = if total == 1 { "edit" } else { "edits" };
        let mut output = format!("{verb} {shown} with {total} {noun}:\n");
        for (index, what) in done.iter().enumerate() {
            output.push_str(&format!("{}. {what}\n", index + 1));
        }
        output.push('\n');
        output.push_str(&unified_diff(&shown, &file.text, &text));
        Ok(ToolOutput::new(write_title(shown, mode), output))
    }
}
