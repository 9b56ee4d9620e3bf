//! The `write` tool: a whole file's new contents, written atomically.

use crate::args::parse_args;
use crate::atomic_write::write_atomically;
use crate::diff::describe_lines;
use crate::schema::parameters_of;
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
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
        ToolSpec {
            name: "write".to_string(),
            description: include_str!("descriptions/write.txt").to_string(),
            parameters: PARAMETERS.get_or_init(parameters_of::<WriteArgs>).clone(),
        }
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: WriteArgs = parse_args("write", arguments)?;
        let workspace = Workspace::from_context(ctx)?;
        let path = workspace.resolve_for_write(&args.file_path)?;
        let shown = workspace.relative(&path);
        if path.is_dir() {
            return Err(ToolError::Failed(format!(
                "{shown} is a directory; give the path of a file inside it"
            )));
        }
        let existed = path.exists();
        write_atomically(&path, args.content.as_bytes()).map_err(|source| ToolError::Io {
            path: shown.clone(),
            source,
        })?;
        let verb = if existed { "Overwrote" } else { "Created" };
        let lines = describe_lines(args.content.lines().count());
        Ok(ToolOutput::new(
            shown.clone(),
            format!("{verb} {shown} ({lines})."),
        ))
    }
}
