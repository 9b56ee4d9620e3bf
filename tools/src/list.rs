//! The `list` tool: a directory of the project as an indented tree, in
//! OpenCode's `list` format, leaving out what rarely matters (dependencies,
//! build output, caches) and what `.gitignore` ignores.

use crate::args::parse_args;
use crate::schema::parameters_of;
use crate::walk;
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use ignore::overrides::OverrideBuilder;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The most entries (files and directories) shown.
const MAX_ENTRIES: usize = 100;

/// Directories never listed, at any depth: dependencies, build output,
/// editor settings, virtual environments and caches (OpenCode's list).
pub const DEFAULT_IGNORES: &[&str] = &[
    "node_modules",
    "__pycache__",
    ".git",
    "dist",
    "build",
    "target",
    "vendor",
    "bin",
    "obj",
    ".idea",
    ".vscode",
    ".zig-cache",
    "zig-out",
    ".coverage",
    "coverage",
    "tmp",
    "temp",
    ".cache",
    "cache",
    "logs",
    ".venv",
    "venv",
    "env",
];

/// Lists a directory as a tree: `list {path, ignore}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListTool;

/// The arguments, as OpenCode names them.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ListArgs {
    /// The directory to list, relative to the project root (defaults to the root)
    path: Option<String>,
    // An `Option` rather than `#[serde(default)]`, which would add
    // `"default": []` to the schema models see.
    /// Glob patterns of entries to leave out
    ignore: Option<Vec<String>>,
}

#[async_trait(?Send)]
impl Tool for ListTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        ToolSpec {
            name: "list".to_string(),
            description: include_str!("descriptions/list.txt").to_string(),
            parameters: PARAMETERS.get_or_init(parameters_of::<ListArgs>).clone(),
        }
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: ListArgs = parse_args("list", arguments)?;
        let workspace = Workspace::from_context(ctx)?;
        let root = workspace.resolve(args.path.as_deref().unwrap_or("."))?;
        if !root.exists() {
            return Err(workspace.not_found(&root));
        }
        let shown_root = workspace.relative(&root);
        if !root.is_dir() {
            return Err(ToolError::InvalidArguments {
                tool: "list".to_string(),
                message: format!(
                    "path {shown_root} is a file, not a directory; read it with the read tool"
                ),
            });
        }

        let mut walker = walk::project_walker(&root);
        walker
            .hidden(false)
            .filter_entry(|entry| {
                !(walk::is_dir(entry)
                    && entry.depth() > 0
                    && entry
                        .file_name()
                        .to_str()
                        .is_some_and(|name| DEFAULT_IGNORES.contains(&name)))
            })
            .overrides(ignore_globs(
                &root,
                args.ignore.as_deref().unwrap_or_default(),
            )?);

        let walk_root = root.clone();
        let entries = walk::run_blocking(move |stop| {
            let found = Mutex::new(Vec::new());
            walk::for_each_entry(&walker, || {
                let (found, root, stop) = (&found, &walk_root, &stop);
                move |entry| {
                    if entry.depth() > 0
                        && let Ok(relative) = entry.path().strip_prefix(root)
                        && let Ok(mut found) = found.lock()
                    {
                        found.push(Entry {
                            path: relative.to_path_buf(),
                            is_dir: walk::is_dir(&entry),
                        });
                    }
                    !stop.is_set()
                }
            });
            found
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        })
        .await?;

        let title = shown_root.clone();
        Ok(ToolOutput::new(title, render(&shown_root, entries)))
    }

    fn is_read_only(&self) -> bool {
        true
    }
}

/// The `ignore` globs as overrides that leave matching entries out, read as
/// `rg --glob '!…'` reads them.
fn ignore_globs(root: &Path, globs: &[String]) -> Result<ignore::overrides::Override, ToolError> {
    let mut builder = OverrideBuilder::new(root);
    for glob in globs.iter().filter(|glob| !glob.trim().is_empty()) {
        builder
            .add(&format!("!{}", glob.trim()))
            .map_err(|error| ToolError::InvalidArguments {
                tool: "list".to_string(),
                message: format!(
                    "ignore pattern {glob:?} is not a valid glob ({error}); give patterns such \
                     as \"*.log\" or \"fixtures/\""
                ),
            })?;
    }
    builder
        .build()
        .map_err(|error| ToolError::InvalidArguments {
            tool: "list".to_string(),
            message: format!("the ignore patterns could not be used ({error})"),
        })
}

/// A file or directory found under the listed directory.
struct Entry {
    /// Relative to the listed directory.
    path: PathBuf,
    is_dir: bool,
}

/// The tree: the listed directory's path, then its subdirectories (with a
/// trailing `/`) before its files, each level indented two more spaces and
/// sorted by name. When there are more than [`MAX_ENTRIES`] entries, the
/// shallowest are shown (so every top-level entry is, before anything
/// deeper) and a note says how many were left out.
fn render(shown_root: &str, mut entries: Vec<Entry>) -> String {
    let total = entries.len();
    entries.sort_by(|a, b| {
        let depth = |entry: &Entry| entry.path.components().count();
        depth(a).cmp(&depth(b)).then_with(|| a.path.cmp(&b.path))
    });
    entries.truncate(MAX_ENTRIES);

    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut files: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for entry in &entries {
        let parent = entry.path.parent().unwrap_or(Path::new("")).to_path_buf();
        if entry.is_dir {
            dirs.insert(entry.path.clone());
        } else if let Some(name) = entry.path.file_name() {
            files
                .entry(parent)
                .or_default()
                .push(name.to_string_lossy().into_owned());
        }
    }
    let root_line = match shown_root {
        "." => "./".to_string(),
        other => format!("{}/", other.trim_end_matches('/')),
    };
    let mut output = root_line;
    output.push('\n');
    render_dir(Path::new(""), 0, &dirs, &files, &mut output);
    if total > MAX_ENTRIES {
        output.push_str(&format!(
            "\n(Showing {MAX_ENTRIES} of {total} entries, the shallowest first. List a \
             subdirectory, or pass ignore patterns, to see the rest.)"
        ));
    }
    output.trim_end().to_string()
}

/// Appends the children of `dir` (relative to the listed directory) at
/// `depth`: subdirectories first, each followed by its own children, then
/// files.
fn render_dir(
    dir: &Path,
    depth: usize,
    dirs: &BTreeSet<PathBuf>,
    files: &BTreeMap<PathBuf, Vec<String>>,
    output: &mut String,
) {
    let indent = "  ".repeat(depth + 1);
    for child in dirs.iter().filter(|child| child.parent() == Some(dir)) {
        let name = child.file_name().unwrap_or_default().to_string_lossy();
        output.push_str(&format!("{indent}{name}/\n"));
        render_dir(child, depth + 1, dirs, files, output);
    }
    if let Some(names) = files.get(dir) {
        let mut names = names.clone();
        names.sort();
        for name in names {
            output.push_str(&format!("{indent}{name}\n"));
        }
    }
}
