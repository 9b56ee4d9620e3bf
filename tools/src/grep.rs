//! The `grep` tool: a regex search of the project's files with ripgrep's
//! crates, in OpenCode's output format (matches grouped by file, newest files
//! first, at most 100). The project is searched as agents see it: a file
//! with a staged change is searched in its staged content, a staged
//! deletion is skipped, and a file that exists only in the change set is
//! searched when it lies under the path and matches `include`.

mod search;

use crate::args::parse_args;
use crate::schema::tool_spec;
use crate::staged::{StagedFiles, is_hidden_under};
use crate::walk::{self, ProjectWalk};
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use grep_regex::RegexMatcherBuilder;
use ignore::overrides::{Override, OverrideBuilder};
use schemars::JsonSchema;
use search::FileMatches;
use serde::Deserialize;
use std::cmp::Reverse;
use std::path::Path;
use std::sync::OnceLock;

/// The most matching lines shown.
const MAX_MATCHES: usize = 100;
/// Characters of a matching line shown before it is cut with `...`.
const MAX_LINE_CHARS: usize = 2000;

/// Searches file contents with a regular expression:
/// `grep {pattern, path, include}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GrepTool;

/// The arguments, as OpenCode names them.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GrepArgs {
    /// The regex pattern to search for in file contents
    pattern: String,
    /// The directory to search in, relative to the project root (defaults to the root)
    path: Option<String>,
    /// File pattern to include in the search (e.g. "*.js", "*.{ts,tsx}")
    include: Option<String>,
}

#[async_trait(?Send)]
impl Tool for GrepTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        tool_spec::<GrepArgs>("grep", include_str!("descriptions/grep.txt"), &PARAMETERS)
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: GrepArgs = parse_args("grep", arguments)?;
        if args.pattern.is_empty() {
            return Err(invalid(
                "pattern is empty; give a regular expression to search for",
            ));
        }
        let matcher = RegexMatcherBuilder::new()
            .line_terminator(Some(b'\n'))
            .build(&args.pattern)
            .map_err(|error| {
                invalid(&format!(
                    "pattern is not a valid regular expression ({error}); escape special \
                     characters such as ( [ {{ . * + ? with a backslash to match them literally"
                ))
            })?;
        let workspace = Workspace::from_context(ctx)?;
        let root = workspace
            .resolve_checked(ctx, args.path.as_deref().unwrap_or("."))
            .await?;
        let staged = StagedFiles::of(ctx);
        let disk = ctx.disk();
        if (!disk.exists(&root) && !staged.has_files_under(&root)) || staged.is_deleted(&root) {
            return Err(workspace.not_found(&root));
        }
        let mut walker = ProjectWalk::new(&disk, &root);
        let mut include = None;
        if let Some(glob) = args.include.as_deref().filter(|glob| !glob.is_empty()) {
            let overrides = OverrideBuilder::new(&root)
                .add(glob)
                .and_then(|builder| builder.build())
                .map_err(|error| {
                    invalid(&format!(
                        "include is not a valid glob ({error}); give a file pattern such as \
                         \"*.rs\" or \"*.{{ts,tsx}}\""
                    ))
                })?;
            walker.overrides(overrides.clone());
            include = Some(overrides);
        }

        let walk_matcher = matcher.clone();
        let walk_staged = staged.clone();
        let found = walk::run_blocking(move |stop| {
            search::search(&walker, &walk_matcher, MAX_MATCHES, &walk_staged, &stop)
        })
        .await?;
        let mut files = found.files;
        // Staged files the walk reached, and those only the change set has.
        let created = staged
            .created_under(&root)
            .into_iter()
            .filter(|path| searches_created(&root, path, include.as_ref()));
        for path in found.staged.into_iter().chain(created) {
            if let Some(bytes) = ctx.read_file(&path)?
                && let Some(file) = search::search_bytes(&matcher, &path, &bytes, MAX_MATCHES)
            {
                files.push(file);
            }
        }
        // Newest first, as OpenCode orders them: what was just changed is
        // most likely what the model is after, and staged content is newer
        // than anything on disk. Ties in path order.
        files.sort_by(|a, b| {
            Reverse((a.staged, a.modified))
                .cmp(&Reverse((b.staged, b.modified)))
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(ToolOutput::new(args.pattern, render(&workspace, &files)))
    }

    fn is_read_only(&self) -> bool {
        true
    }
}

/// Whether a file that exists only in the change set is searched: the walk
/// of `root` would search it (it is not hidden under `root`, or it is the
/// file `root` names) and it matches the `include` glob, if any.
fn searches_created(root: &Path, path: &Path, include: Option<&Override>) -> bool {
    if path == root {
        return true;
    }
    !is_hidden_under(root, path)
        && include.is_none_or(|include| include.matched(path, false).is_whitelist())
}

/// An invalid-arguments error for grep.
fn invalid(message: &str) -> ToolError {
    ToolError::InvalidArguments {
        tool: "grep".to_string(),
        message: message.to_string(),
    }
}

/// OpenCode's grep output: the count, then up to [`MAX_MATCHES`] lines under
/// the path of their file, then a note when some were left out.
fn render(workspace: &Workspace, files: &[FileMatches]) -> String {
    let total: usize = files.iter().map(|file| file.count).sum();
    if total == 0 {
        return "No files found".to_string();
    }
    let truncated = total > MAX_MATCHES;
    let mut output = format!("Found {total} matches");
    if truncated {
        output.push_str(&format!(" (showing first {MAX_MATCHES})"));
    }
    let mut shown = 0;
    for file in files {
        if shown == MAX_MATCHES {
            break;
        }
        output.push_str(&format!("\n{}:", workspace.relative(&file.path)));
        for (number, line) in file.lines.iter().take(MAX_MATCHES - shown) {
            output.push_str(&format!("\n  Line {number}: {}", cut_long_line(line)));
            shown += 1;
        }
        output.push('\n');
    }
    if truncated {
        output.push_str(&format!(
            "\n(Results truncated: showing {MAX_MATCHES} of {total} matches ({} hidden). \
             Consider using a more specific path or pattern.)",
            total - MAX_MATCHES
        ));
    }
    output.trim_end().to_string()
}

/// `line`, cut after [`MAX_LINE_CHARS`] characters with `...` appended.
fn cut_long_line(line: &str) -> std::borrow::Cow<'_, str> {
    match line.char_indices().nth(MAX_LINE_CHARS) {
        Some((cut, _)) => format!("{}...", &line[..cut]).into(),
        None => line.into(),
    }
}
