//! The `glob` tool: the project's files whose paths match a glob, newest
//! first, at most 100 — OpenCode's `glob`, on `globset` and `ignore`. The
//! project as agents see it: files that exist only in the change set are
//! found, staged deletions are not.

use crate::args::parse_args;
use crate::schema::tool_spec;
use crate::staged::{StagedFiles, is_hidden_under};
use crate::walk::{self, Entry, ProjectWalk};
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use globset::{GlobBuilder, GlobMatcher};
use schemars::JsonSchema;
use serde::Deserialize;
use std::cmp::Reverse;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

/// The most paths shown.
const MAX_FILES: usize = 100;

/// Finds files by path pattern: `glob {pattern, path}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GlobTool;

/// The arguments, as OpenCode names them.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GlobArgs {
    /// The glob pattern to match files against, e.g. "**/*.rs"
    pattern: String,
    /// The directory to search in, relative to the project root (defaults to the root)
    path: Option<String>,
}

#[async_trait(?Send)]
impl Tool for GlobTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        tool_spec::<GlobArgs>("glob", include_str!("descriptions/glob.txt"), &PARAMETERS)
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: GlobArgs = parse_args("glob", arguments)?;
        let pattern = PathPattern::new(&args.pattern)?;
        let workspace = Workspace::from_context(ctx)?;
        let root = workspace
            .resolve_checked(ctx, args.path.as_deref().unwrap_or("."))
            .await?;
        let staged = StagedFiles::of(ctx);
        let disk = ctx.disk();
        if !disk.exists(&root) && !staged.has_files_under(&root) {
            return Err(workspace.not_found(&root));
        }
        if disk.is_file(&root) || staged.is_staged(&root) {
            let shown = workspace.relative(&root);
            return Err(ToolError::InvalidArguments {
                tool: "glob".to_string(),
                message: format!("path {shown} is a file; give the directory to search in"),
            });
        }
        let mut walker = ProjectWalk::new(&disk, &root);
        walker.hidden(!pattern.names_hidden);
        // Hidden files may be searched, but git's own files never are.
        walker.filter_entry(|entry| entry.file_name() != ".git");

        // Staged files count as newer than anything on disk.
        let created: Vec<Found> = staged
            .created_under(&root)
            .into_iter()
            .filter(|path| {
                (pattern.names_hidden || !is_hidden_under(&root, path))
                    && pattern.matches(&root, path)
            })
            .map(|path| (true, SystemTime::UNIX_EPOCH, path))
            .collect();
        let search_root = root.clone();
        let mut files = walk::run_blocking(move |stop| {
            let found = Mutex::new(created);
            walker.for_each_entry(|| {
                let found = &found;
                let (pattern, root, staged, stop, walker) =
                    (&pattern, &search_root, &staged, &stop, &walker);
                move |entry: Entry| {
                    if entry.is_file()
                        && !staged.is_deleted(entry.path())
                        && pattern.matches(root, entry.path())
                    {
                        let modified = walker.modified(&entry);
                        let is_staged = staged.is_staged(entry.path());
                        if let Ok(mut found) = found.lock() {
                            found.push((is_staged, modified, entry.into_path()));
                        }
                    }
                    !stop.is_set()
                }
            });
            found
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        })
        .await?;
        files.sort_by(|(a_staged, a_time, a_path), (b_staged, b_time, b_path)| {
            Reverse((a_staged, a_time))
                .cmp(&Reverse((b_staged, b_time)))
                .then_with(|| a_path.cmp(b_path))
        });
        Ok(ToolOutput::new(
            workspace.relative(&root),
            render(&workspace, &files),
        ))
    }

    fn is_read_only(&self) -> bool {
        true
    }
}

/// A file found: whether it is staged, when it was last modified on disk,
/// and its path.
type Found = (bool, SystemTime, PathBuf);

/// A glob as `rg --glob` reads it: without a slash it matches file names at
/// any depth; with one, paths relative to the searched directory.
struct PathPattern {
    matcher: GlobMatcher,
    /// Whether to match whole relative paths (the pattern has a slash).
    whole_path: bool,
    /// Whether the pattern names a hidden file or directory, so hidden
    /// entries must be walked.
    names_hidden: bool,
}

impl PathPattern {
    /// Compiles `pattern`; a bad one is an invalid-arguments error.
    fn new(pattern: &str) -> Result<Self, ToolError> {
        let invalid = |message: String| ToolError::InvalidArguments {
            tool: "glob".to_string(),
            message,
        };
        let trimmed = pattern.trim().trim_start_matches("./");
        if trimmed.is_empty() {
            return Err(invalid(
                "pattern is empty; give a glob such as \"**/*.rs\"".to_string(),
            ));
        }
        let glob = GlobBuilder::new(trimmed)
            .literal_separator(true)
            .build()
            .map_err(|error| {
                invalid(format!(
                    "pattern is not a valid glob ({error}); give one such as \"**/*.rs\" or \
                     \"src/**/*.{{ts,tsx}}\""
                ))
            })?;
        let names_hidden = trimmed
            .split('/')
            .any(|part| part.starts_with('.') && part != "." && part != "..");
        Ok(Self {
            matcher: glob.compile_matcher(),
            whole_path: trimmed.contains('/'),
            names_hidden,
        })
    }

    /// Whether `path`, found under `root`, matches.
    fn matches(&self, root: &Path, path: &Path) -> bool {
        if self.whole_path {
            path.strip_prefix(root)
                .is_ok_and(|relative| self.matcher.is_match(relative))
        } else {
            path.file_name()
                .is_some_and(|name| self.matcher.is_match(name))
        }
    }
}

/// One path per line, relative to the project root, and a note when some
/// were left out; OpenCode's "No files found" when none matched.
fn render(workspace: &Workspace, files: &[Found]) -> String {
    if files.is_empty() {
        return "No files found".to_string();
    }
    let mut output: Vec<String> = files
        .iter()
        .take(MAX_FILES)
        .map(|(_, _, path)| workspace.relative(path))
        .collect();
    if files.len() > MAX_FILES {
        output.push(String::new());
        output.push(format!(
            "(Results are truncated: showing the {MAX_FILES} newest of {} files. Consider using \
             a more specific path or pattern.)",
            files.len()
        ));
    }
    output.join("\n")
}
