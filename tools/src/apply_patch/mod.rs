//! The `apply_patch` tool: adds, updates, moves and deletes files with one
//! patch in codex's `*** Begin Patch` format, all or nothing.
//!
//! Three steps, each in its own module: `parser` reads the patch text (after
//! `heredoc` takes off any wrapper); `plan` checks every operation against
//! the project as agents see it (locating each hunk with `update` and
//! `seek`) and works out every file's new content; only then is all of it
//! handed to the session's change set in one
//! [`ToolContext::write_files`] call, which stages it or writes it through
//! (each file atomically, those already written restored if a later write
//! fails): the whole patch or nothing.

mod heredoc;
mod parser;
mod plan;
mod seek;
mod update;

use crate::args::parse_args;
use crate::diff::unified_diff;
use crate::schema::tool_spec;
use crate::staged::write_title;
use crate::text_file::TextFile;
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use plan::{Outcome, PlannedFile};
use schemars::JsonSchema;
use serde::Deserialize;
use std::sync::OnceLock;

/// Applies a multi-file patch to the project: `apply_patch {patchText}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplyPatchTool;

/// The arguments, as OpenCode names them.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ApplyPatchArgs {
    /// The whole patch, from `*** Begin Patch` to `*** End Patch`
    patch_text: String,
}

#[async_trait(?Send)]
impl Tool for ApplyPatchTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        tool_spec::<ApplyPatchArgs>(
            "apply_patch",
            include_str!("../descriptions/apply_patch.txt"),
            &PARAMETERS,
        )
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: ApplyPatchArgs = parse_args("apply_patch", arguments)?;
        let patch = parser::parse(&args.patch_text).map_err(|error| {
            ToolError::Failed(format!(
                "apply_patch could not read the patch and wrote nothing: {error}. See the tool \
                 description for the format."
            ))
        })?;
        if patch.operations.is_empty() {
            return Err(ToolError::Failed(
                "the patch has no file sections, so there is nothing to apply; add `*** Add \
                 File:`, `*** Update File:` or `*** Delete File:` sections between `*** Begin \
                 Patch` and `*** End Patch`"
                    .to_string(),
            ));
        }
        let workspace = Workspace::from_context(ctx)?;
        let plan = plan::plan(ctx, &workspace, &patch).await?;
        let diffs = diffs(&workspace, &plan.files);
        let mode = ctx
            .write_files(plan.writes())
            .map_err(|error| match error {
                // The configuration's refusal says itself what to do.
                ToolError::PermissionDenied(_) => error,
                other => ToolError::Failed(format!(
                    "apply_patch could not write the patch, and every file it had written was \
                     put back as it was: {other}"
                )),
            })?;
        Ok(ToolOutput::new(
            write_title(title(&plan.outcomes), mode),
            summary(&plan.outcomes, &diffs),
        ))
    }
}

/// The title for people: the one file touched, or how many.
fn title(outcomes: &[Outcome]) -> String {
    match outcomes {
        [Outcome::Added(path) | Outcome::Updated(path) | Outcome::Deleted(path)] => path.clone(),
        [Outcome::Moved { from, to }] => format!("{from} → {to}"),
        _ => format!("{} files", outcomes.len()),
    }
}

/// The model's report: one line per file operation, then the diffs.
fn summary(outcomes: &[Outcome], diffs: &str) -> String {
    let mut text = String::from("Success. Updated the following files:\n");
    for outcome in outcomes {
        let line = match outcome {
            Outcome::Added(path) => format!("A {path}"),
            Outcome::Updated(path) => format!("M {path}"),
            Outcome::Moved { from, to } => format!("R {from} -> {to}"),
            Outcome::Deleted(path) => format!("D {path}"),
        };
        text.push_str(&line);
        text.push('\n');
    }
    if !diffs.is_empty() {
        text.push('\n');
        text.push_str(diffs);
    }
    text
}

/// A unified diff of every file the patch writes (deletions are listed,
/// not shown), on the text with line endings normalised.
fn diffs(workspace: &Workspace, files: &[PlannedFile]) -> String {
    let text_of = |bytes: Option<&[u8]>| {
        bytes.map_or_else(String::new, |bytes| {
            TextFile::decode(String::from_utf8_lossy(bytes).into_owned()).text
        })
    };
    files
        .iter()
        .filter(|file| file.before != file.after)
        .filter_map(|file| {
            let after = file.after.as_deref()?;
            let shown = workspace.relative(&file.path);
            Some(unified_diff(
                &shown,
                &text_of(file.before.as_deref()),
                &text_of(Some(after)),
            ))
        })
        .collect()
}
