//! Checking a whole patch against the project before anything is written.
//!
//! Every operation is resolved and checked in order, and its result kept
//! in the plan, through which later operations read (so a patch may update
//! a file it added); what the plan has not touched is read as agents see
//! it, staged changes included. Every path is confined with
//! [`Workspace::resolve_for_write_checked`]; Add targets must be absent,
//! Update, Move and Delete sources present, every hunk found. The first
//! problem ends the check with an error naming the file and hunk, and
//! since nothing has been handed to the change set yet, nothing was
//! written or staged.

use super::parser::{FileOperation, Hunk, Patch};
use super::update::{HunkError, Missing, apply_hunks};
use crate::text_file::TextFile;
use crate::workspace::Workspace;
use code_mesh_runtime::tool::{FileWrite, ToolContext, ToolError};
use std::collections::HashMap;
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

/// A verified patch: the new content of every file it touches, and what it
/// does to each.
pub(super) struct Plan {
    /// Every file the patch touches, in the order it first touched them.
    pub(super) files: Vec<PlannedFile>,
    /// One entry per file operation, in the patch's order.
    pub(super) outcomes: Vec<Outcome>,
}

/// One file's content before and after the patch.
pub(super) struct PlannedFile {
    /// The physical path.
    pub(super) path: PathBuf,
    /// What it held before the patch, as agents saw it; `None` if absent.
    pub(super) before: Option<Vec<u8>>,
    /// What it holds after; `None` if the patch deletes it.
    pub(super) after: Option<Vec<u8>>,
}

impl Plan {
    /// The changes to hand to the change set in one call: every file whose
    /// content the patch really changes.
    pub(super) fn writes(&self) -> Vec<FileWrite> {
        self.files
            .iter()
            .filter(|file| file.before != file.after)
            .map(|file| FileWrite {
                path: file.path.clone(),
                content: file.after.clone(),
            })
            .collect()
    }
}

/// Checks `patch` against the project as `ctx`'s agents see it and plans
/// its result, or says what stops it.
pub(super) async fn plan(
    ctx: &ToolContext,
    workspace: &Workspace,
    patch: &Patch,
) -> Result<Plan, ToolError> {
    let mut planner = Planner {
        ctx,
        workspace,
        files: Vec::new(),
        index: HashMap::new(),
    };
    let mut outcomes = Vec::with_capacity(patch.operations.len());
    for operation in &patch.operations {
        outcomes.push(planner.operation(operation).await?);
    }
    Ok(Plan {
        files: planner.files,
        outcomes,
    })
}

/// The project and what the patch has done so far.
struct Planner<'a> {
    ctx: &'a ToolContext,
    workspace: &'a Workspace,
    /// The files touched so far, in order.
    files: Vec<PlannedFile>,
    /// Where each touched path is in `files`.
    index: HashMap<PathBuf, usize>,
}

impl Planner<'_> {
    /// Checks and plans one file operation.
    async fn operation(&mut self, operation: &FileOperation) -> Result<Outcome, ToolError> {
        match operation {
            FileOperation::Add { path, contents } => {
                let (target, shown) = self.resolve(path).await?;
                if self.read(&target, &shown)?.is_some() {
                    return Err(refuse(format!(
                        "`*** Add File: {shown}`: {shown} already exists. Use `*** Update File: \
                         {shown}` to change it, or `*** Delete File: {shown}` before adding it"
                    )));
                }
                self.stage(&target, &shown, Some(contents.as_bytes().to_vec()))?;
                Ok(Outcome::Added(shown))
            }
            FileOperation::Delete { path } => {
                let (target, shown) = self.resolve(path).await?;
                if self.read(&target, &shown)?.is_none() {
                    return Err(self.missing(&target, "Delete File"));
                }
                self.stage(&target, &shown, None)?;
                Ok(Outcome::Deleted(shown))
            }
            FileOperation::Update {
                path,
                move_to,
                hunks,
            } => self.update(path, move_to.as_deref(), hunks).await,
        }
    }

    /// Checks and plans an Update section (and its move).
    async fn update(
        &mut self,
        path: &str,
        move_to: Option<&str>,
        hunks: &[Hunk],
    ) -> Result<Outcome, ToolError> {
        let (source, shown) = self.resolve(path).await?;
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
            Some(to) => Some(self.resolve(to).await?).filter(|(target, _)| *target != source),
            None => None,
        };
        let Some((target, shown_target)) = target else {
            self.stage(&source, &shown, Some(encoded))?;
            return Ok(Outcome::Updated(shown));
        };
        if self.read(&target, &shown_target)?.is_some() {
            return Err(refuse(format!(
                "`*** Move to: {shown_target}` (moving {shown}): {shown_target} already exists. \
                 Delete it first with `*** Delete File: {shown_target}`, or move {shown} \
                 elsewhere"
            )));
        }
        self.stage(&target, &shown_target, Some(encoded))?;
        self.stage(&source, &shown, None)?;
        Ok(Outcome::Moved {
            from: shown,
            to: shown_target,
        })
    }

    /// The physical path of a path from the patch, refused if it leads out
    /// of the project (unless `external_directory` allows it) or into
    /// `.git/`, or names a directory; and how to show it.
    async fn resolve(&self, given: &str) -> Result<(PathBuf, String), ToolError> {
        let path = self
            .workspace
            .resolve_for_write_checked(self.ctx, given)
            .await?;
        let shown = self.workspace.relative(&path);
        if self.workspace.disk().is_dir(&path) {
            return Err(refuse(format!(
                "{shown} is a directory; a patch adds, updates and deletes files"
            )));
        }
        Ok((path, shown))
    }

    /// `path`'s content as the patch sees it so far; `None` if absent.
    fn read(&self, path: &Path, shown: &str) -> Result<Option<Vec<u8>>, ToolError> {
        match self.index.get(path).and_then(|&at| self.files.get(at)) {
            Some(file) => Ok(file.after.clone()),
            None => self
                .ctx
                .read_file(path)
                .map_err(|error| refuse(format!("{shown} could not be read: {error}"))),
        }
    }

    /// Plans `content` (`None`: deletion) as `path`'s new content.
    fn stage(
        &mut self,
        path: &Path,
        shown: &str,
        content: Option<Vec<u8>>,
    ) -> Result<(), ToolError> {
        if let Some(file) = self.index.get(path).and_then(|&at| self.files.get_mut(at)) {
            file.after = content;
            return Ok(());
        }
        let before = self.read(path, shown)?;
        self.index.insert(path.to_path_buf(), self.files.len());
        self.files.push(PlannedFile {
            path: path.to_path_buf(),
            before,
            after: content,
        });
        Ok(())
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
