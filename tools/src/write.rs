//! The `write` tool: a whole file's new contents, handed to the session's
//! change set (staged for review, or written through atomically). As in
//! OpenCode, a file that exists is only overwritten once the agent has read
//! it, as it stands now: a blind overwrite loses what the agent never saw.

use crate::args::parse_args;
use crate::diff::describe_lines;
use crate::schema::tool_spec;
use crate::staged::{self, write_title};
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::changes::ReadCheck;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{FileWrite, Tool, ToolContext, ToolError, ToolOutput};
use schemars::JsonSchema;
use serde::Deserialize;
use std::sync::OnceLock;

/// Creates or overwrites a file of the project: `write {filePath, content}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteTool;

/// The arguments, as OpenCode names them.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WriteArgs {
    /// The path of the file to write, relative to the project root
    file_path: String,
    /// The complete contents to write to the file
    content: String,
}

#[async_trait(?Send)]
impl Tool for WriteTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        tool_spec::<WriteArgs>("write", include_str!("descriptions/write.txt"), &PARAMETERS)
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: WriteArgs = parse_args("write", arguments)?;
        let workspace = Workspace::from_context(ctx)?;
        let path = workspace
            .resolve_for_write_checked(ctx, &args.file_path)
            .await?;
        let shown = workspace.relative(&path);
        if workspace.disk().is_dir(&path) {
            return Err(ToolError::Failed(format!(
                "{shown} is a directory; give the path of a file inside it"
            )));
        }
        let existed = staged::exists(ctx, &path)?;
        if existed {
            match ctx.changes.check_read(&path) {
                ReadCheck::Fresh => {}
                ReadCheck::NeverRead => {
                    return Err(ToolError::Failed(format!(
                        "You must read the file {shown} with the read tool before overwriting it"
                    )));
                }
                ReadCheck::ChangedSinceRead => {
                    return Err(ToolError::Failed(format!(
                        "{shown} was modified since it was last read; read it again before \
                         overwriting it"
                    )));
                }
            }
        }
        let lines = describe_lines(args.content.lines().count());
        let mode = ctx.write_files(vec![FileWrite {
            path,
            content: Some(args.content.into_bytes()),
        }])?;
        let verb = if existed { "Overwrote" } else { "Created" };
        let output = format!("{verb} {shown} ({lines}).");
        Ok(ToolOutput::new(write_title(shown, mode), output))
    }
}
