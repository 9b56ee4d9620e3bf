//! Checking a whole patch against the project before anything is written.
//!
//! Every operation is resolved and checked in order, and its result staged
//! in a [`ChangeSet`] of the patch's own, through which later operations
//! read (so a patch may update a file it added). Every path is confined with
//! [`Workspace::resolve_for_write`]; Add targets must be absent, Update,
//! Move and Delete sources present, every hunk found. The first problem
//! ends the check with an error naming the file and hunk, and since nothing
//! has touched the disk yet, nothing was written.

use super::parser::{FileOperation, Hunk, Patch};
use super::update::{HunkError, Missing, apply_hunks};
use crate::text_file::TextFile;
use crate::workspace::Workspace;
use code_mesh_runtime::changes::{ChangeError, ChangeSet};
use code_mesh_runtime::tool::ToolError;
use std::path::{Path, PathBuf};

/// Lines of a hunk shown when it was not found.
const MAX_SHOWN_LINES: usize = 20;

/// What the patch does to one file, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Created.
    Added(String),
    /// Changed in place.
    Updated(String),
    /// Changed (perhaps) and renamed.
    Moved {
        /// The old path.
        from: String,
        /// The new path.
        to: String,
    },
    /// Removed.
    Deleted(String),
}

/// A verified patch: its staged result, ready to apply, and what it does.
pub(super) struct Plan {
    /// The new contents of every file the patch touches.
    pub(super) changes: ChangeSet,
    /// One entry per file operation, in the patch's order.
    pub(super) outcomes: Vec<Outcome>,
}

/// Checks `patch` against the project and stages its result, or says what
/// stops it.
pub(super) fn plan(workspace: &Workspace, patch: &Patch) -> Result<Plan, ToolError> {
    let mut planner = Planner {
        workspace,
        changes: ChangeSet::new(workspace.root()),
    };
    let mut outcomes = Vec::with_capacity(patch.operations.len());
    for operation in &patch.operations {
        outcomes.push(planner.operation(operation)?);
    }
    Ok(Plan {
        changes: planner.changes,
        outcomes,
    })
}

/// The project and what the patch has staged so far.
struct Planner<'a> {
    workspace: &'a Workspace,
    changes: ChangeSet,
}

impl Planner<'_> {
    /// Checks and stages one file operation.
    fn operation(&mut self, operation: &FileOperation) -> Result<Outcome, ToolError> {
        match operation {
            FileOperation::Add { path, contents } => {
                let (target, shown) = self.resolve(path)?;
                if self.read(&target, &shown)?.is_some() {
                    return Err(refuse(format!(
                        "`*** Add File: {shown}`: {shown} already exists. Use `*** Update File: \
                         {shown}` to change it, or `*** Delete File: {shown}` before adding it"
                    )));
                }
                self.stage(&target, contents.as_bytes().to_vec())?;
                Ok(Outcome::Added(shown))
            }
            FileOperation::Delete { path } => {
                let (target, shown) = self.resolve(path)?;
                if self.read(&target, &shown)?.is_none() {
                    return Err(self.missing(&target, "Delete File"));
                }
                self.changes
                    .stage_delete(&target)
                    .map_err(|error| staging_failed(&shown, error))?;
                Ok(Outcome::Deleted(shown))
            }
            FileOperation::Update {
                path,
                move_to,
                hunks,
            } => self.update(path, move_to.as_deref(), hunks),
        }
    }

    /// Checks and stages an Update section (and its move).
    fn update(
        &mut self,
        path: &str,
        move_to: Option<&str>,
        hunks: &[Hunk],
    ) -> Result<Outcome, ToolError> {
        let (source, shown) = self.resolve(path)?;
        let Some(bytes) = self.read(&source, &shown)? else {
            return Err(self.missing(&source, "Update File"));
        };
        let raw = String::from_utf8(bytes).map_err(|_| {
            refuse(format!(
                "`*** Update File: {shown}`: {shown} is not UTF-8 text, so it cannot be patched"
            ))
        })?;
        let file = TextFile::decode(raw);
        let updated = apply_hunks(&file.text, hunks)
            .map_err(|error| hunk_not_found(&shown, hunks, &error))?;
        let encoded = file.encode(&updated).into_owned().into_bytes();

        let target = match move_to {
            Some(to) => Some(self.resolve(to)?).filter(|(target, _)| *target != source),
            None => None,
        };
        let Some((target, shown_target)) = target else {
            self.stage(&source, encoded)?;
            return Ok(Outcome::Updated(shown));
        };
        if self.read(&target, &shown_target)?.is_some() {
            return Err(refuse(format!(
                "`*** Move to: {shown_target}` (moving {shown}): {shown_target} already exists. \
                 Delete it first with `*** Delete File: {shown_target}`, or move {shown} \
                 elsewhere"
            )));
        }
        self.stage(&target, encoded)?;
        self.changes
            .stage_delete(&source)
            .map_err(|error| staging_failed(&shown, error))?;
        Ok(Outcome::Moved {
            from: shown,
            to: shown_target,
        })
    }

    /// The physical path of a path from the patch, refused if it leads out
    /// of the project or into `.git/`, or names a directory; and how to show
    /// it.
    fn resolve(&self, given: &str) -> Result<(PathBuf, String), ToolError> {
        let path = self.workspace.resolve_for_write(given)?;
        let shown = self.workspace.relative(&path);
        if path.is_dir() {
            return Err(refuse(format!(
                "{shown} is a directory; a patch adds, updates and deletes files"
            )));
        }
        Ok((path, shown))
    }

    /// `path`'s content as the patch sees it so far; `None` if absent.
    fn read(&self, path: &Path, shown: &str) -> Result<Option<Vec<u8>>, ToolError> {
        self.changes
            .read(path)
            .map_err(|error| staging_failed(shown, error))
    }

    /// Stages `content` for `path`.
    fn stage(&mut self, path: &Path, content: Vec<u8>) -> Result<(), ToolError> {
        self.changes
            .stage_write(path, content)
            .map_err(|error| staging_failed(&self.workspace.relative(path), error))
    }

    /// The error for a file the `section` needs that does not exist, with
    /// similar names suggested.
    fn missing(&self, path: &Path, section: &str) -> ToolError {
        let shown = self.workspace.relative(path);
        let found = self.workspace.not_found(path).to_string();
        refuse(format!(
            "`*** {section}: {shown}`: {found}\nCheck the path (`*** Add File` creates a new file)"
        ))
    }
}

/// A refusal of the patch: `reason`, and that nothing was written.
fn refuse(reason: String) -> ToolError {
    ToolError::Failed(format!(
        "apply_patch did not apply the patch and wrote nothing: {reason}."
    ))
}

/// Reading a file to check the patch failed.
fn staging_failed(shown: &str, error: ChangeError) -> ToolError {
    refuse(format!("{shown} could not be read: {error}"))
}

/// The error for a hunk of `shown` that was not found, showing what was
/// looked for.
fn hunk_not_found(shown: &str, hunks: &[Hunk], error: &HunkError) -> ToolError {
    let number = error.index + 1;
    let total = hunks.len();
    let header = hunks
        .get(error.index)
        .and_then(|hunk| hunk.context.as_deref())
        .map(|context| format!(" (`@@ {context}`)"))
        .unwrap_or_default();
    let what = match &error.missing {
        Missing::Context(context) => format!(
            "its `@@` line `{context}` was not found in {shown}{}",
            if number > 1 {
                " after the previous hunk"
            } else {
                ""
            }
        ),
        Missing::Lines(lines) => {
            let mut shown_lines: String = lines
                .iter()
                .take(MAX_SHOWN_LINES)
                .map(|line| format!("    |{line}\n"))
                .collect();
            if lines.len() > MAX_SHOWN_LINES {
                shown_lines.push_str(&format!(
                    "    ({} more lines)\n",
                    lines.len() - MAX_SHOWN_LINES
                ));
            }
            format!(
                "these context and `-` lines were not found in {shown}{}:\n{shown_lines}",
                if number > 1 {
                    " after the previous hunk"
                } else {
                    ""
                }
            )
        }
    };
    refuse(format!(
        "`*** Update File: {shown}`, hunk {number} of {total}{header}: {what}\nRead {shown} \
         again and copy the context and `-` lines exactly, in file order"
    ))
}
