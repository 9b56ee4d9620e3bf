//! The `apply_patch` tool: adds, updates, moves and deletes files with one
//! patch in codex's `*** Begin Patch` format, all or nothing.
//!
//! Three steps, each in its own module: `parser` reads the patch text (after
//! `heredoc` takes off any wrapper); `plan` checks every operation against
//! the project (locating each hunk with `update` and `seek`) and stages the
//! result in a change set; only then is the change set applied, which writes
//! each file atomically and restores those already written if a later write
//! fails.

mod heredoc;
mod parser;
mod plan;
mod seek;
mod update;

use crate::args::parse_args;
use crate::diff::unified_diff;
use crate::schema::parameters_of;
use crate::text_file::TextFile;
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::changes::ChangeSet;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use plan::Outcome;
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
        ToolSpec {
            name: "apply_patch".to_string(),
            description: include_str!("../descriptions/apply_patch.txt").to_string(),
            parameters: PARAMETERS
                .get_or_init(parameters_of::<ApplyPatchArgs>)
                .clone(),
        }
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
        let mut plan = plan::plan(&workspace, &patch)?;
        let diffs = diffs(&workspace, &plan.changes);
        plan.changes.apply().map_err(|error| {
            ToolError::Failed(format!(
                "apply_patch could not write the patch, and every file it had written was put \
                 back as it was: {error}"
            ))
        })?;
        Ok(ToolOutput::new(
            title(&plan.outcomes),
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

/// A unified diff of every file the change set writes (deletions are
/// listed, not shown), on the text with line endings normalised.
fn diffs(workspace: &Workspace, changes: &ChangeSet) -> String {
    let text_of = |bytes: Option<&[u8]>| {
        bytes.map_or_else(String::new, |bytes| {
            TextFile::decode(String::from_utf8_lossy(bytes).into_owned()).text
        })
    };
    changes
        .files()
        .filter_map(|change| {
            let after = change.after()?;
            let shown = workspace.relative(&change.path);
            Some(unified_diff(
                &shown,
                &text_of(change.original.as_deref()),
                &text_of(Some(after)),
            ))
        })
        .collect()
}
