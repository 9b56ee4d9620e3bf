//! The `remember` tool: a note for later sessions, appended to the
//! project's `.code-mesh/knowledge.md` (which
//! [`code_mesh_runtime::instructions::load_instructions`] puts in every
//! session's instructions). The note is an edit like any other: it goes
//! through the session's change set, so it is staged or written as the
//! `edit` permission says.

use crate::args::parse_args;
use crate::schema::tool_spec;
use crate::staged::write_title;
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::instructions::KNOWLEDGE_FILE;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{FileWrite, Tool, ToolContext, ToolError, ToolOutput};
use schemars::JsonSchema;
use serde::Deserialize;
use std::sync::OnceLock;

/// The first lines of a new knowledge file.
const HEADER: &str = "# Project knowledge\n\nNotes agents kept for later sessions.\n\n";

/// The longest note accepted, in bytes.
const MAX_NOTE_BYTES: usize = 2_000;

/// Appends a note to the project's knowledge: `remember {note}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RememberTool;

/// The arguments.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RememberArgs {
    /// The fact to keep for later sessions, short and self-contained
    note: String,
}

#[async_trait(?Send)]
impl Tool for RememberTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        tool_spec::<RememberArgs>(
            "remember",
            include_str!("descriptions/remember.txt"),
            &PARAMETERS,
        )
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: RememberArgs = parse_args("remember", arguments)?;
        let note = args.note.trim();
        if note.is_empty() {
            return Err(ToolError::Failed(
                "the note is empty; give the fact to remember".to_string(),
            ));
        }
        if note.len() > MAX_NOTE_BYTES {
            return Err(ToolError::Failed(format!(
                "the note is {} bytes; keep it under {MAX_NOTE_BYTES}: one short fact per call",
                note.len()
            )));
        }
        let workspace = Workspace::from_context(ctx)?;
        let path = workspace
            .resolve_for_write_checked(ctx, KNOWLEDGE_FILE)
            .await?;
        let mut content = match ctx.read_file(&path)? {
            Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            None => HEADER.to_string(),
        };
        if !content.is_empty() && !content.ends_with('\n') {
            content.push('\n');
        }
        content.push_str(&as_item(note));
        let mode = ctx.write_files(vec![FileWrite {
            path,
            content: Some(content.into_bytes()),
        }])?;
        Ok(ToolOutput::new(
            write_title(KNOWLEDGE_FILE.to_string(), mode),
            format!("Noted in {KNOWLEDGE_FILE}; later sessions will see it."),
        ))
    }
}

/// `note` as a Markdown list item, its later lines indented under it.
fn as_item(note: &str) -> String {
    let mut lines = note.lines();
    let mut item = format!("- {}\n", lines.next().unwrap_or_default());
    for line in lines {
        item.push_str("  ");
        item.push_str(line);
        item.push('\n');
    }
    item
}
