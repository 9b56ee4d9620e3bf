//! The `grep` tool: a regex search of the project's files with ripgrep's
//! crates, in OpenCode's output format (matches grouped by file, newest files
//! first, at most 100).

mod search;

use crate::args::parse_args;
use crate::schema::parameters_of;
use crate::walk;
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use grep_regex::RegexMatcherBuilder;
use ignore::overrides::OverrideBuilder;
use schemars::JsonSchema;
use search::FileMatches;
use serde::Deserialize;
use std::cmp::Reverse;
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
        ToolSpec {
            name: "grep".to_string(),
            description: include_str!("descriptions/grep.txt").to_string(),
            parameters: PARAMETERS.get_or_init(parameters_of::<GrepArgs>).clone(),
        }
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
        let root = workspace.resolve(args.path.as_deref().unwrap_or("."))?;
        if !root.exists() {
            return Err(workspace.not_found(&root));
        }
        let mut walker = walk::project_walker(&root);
        if let Some(include) = args.include.as_deref().filter(|glob| !glob.is_empty()) {
            let overrides = OverrideBuilder::new(&root)
                .add(include)
                .and_then(|builder| builder.build())
                .map_err(|error| {
                    invalid(&format!(
                        "include is not a valid glob ({error}); give a file pattern such as \
                         \"*.rs\" or \"*.{{ts,tsx}}\""
                    ))
                })?;
            walker.overrides(overrides);
        }

        let mut files =
            walk::run_blocking(move |stop| search::search(&walker, &matcher, MAX_MATCHES, &stop))
                .await?;
        // Newest first, as OpenCode orders them: what was just changed is
        // most likely what the model is after. Ties in path order.
        files.sort_by(|a, b| {
            Reverse(a.modified)
                .cmp(&Reverse(b.modified))
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(ToolOutput::new(args.pattern, render(&workspace, &files)))
    }

    fn is_read_only(&self) -> bool {
        true
    }
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
