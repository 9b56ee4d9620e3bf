//! The `list` tool: a directory of the project as an indented tree, in
//! OpenCode's `list` format, leaving out what rarely matters (dependencies,
//! build output, caches) and what `.gitignore` ignores. The project as
//! agents see it: files that exist only in the change set are listed (with
//! their new directories), staged deletions are not.

use crate::args::parse_args;
use crate::schema::tool_spec;
use crate::staged::StagedFiles;
use crate::walk::{self, ProjectWalk};
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use ignore::overrides::{Override, OverrideBuilder};
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
        tool_spec::<ListArgs>("list", include_str!("descriptions/list.txt"), &PARAMETERS)
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: ListArgs = parse_args("list", arguments)?;
        let workspace = Workspace::from_context(ctx)?;
        let root = workspace
            .resolve_checked(ctx, args.path.as_deref().unwrap_or("."))
            .await?;
        let staged = StagedFiles::of(ctx);
        let disk = ctx.disk();
        if !disk.exists(&root) && !staged.has_files_under(&root) {
            return Err(workspace.not_found(&root));
        }
        let shown_root = workspace.relative(&root);
        if disk.is_file(&root) || staged.is_staged(&root) {
            return Err(ToolError::InvalidArguments {
                tool: "list".to_string(),
                message: format!(
                    "path {shown_root} is a file, not a directory; read it with the read tool"
                ),
            });
        }

        let ignore = ignore_globs(&root, args.ignore.as_deref().unwrap_or_default())?;
        let created = created_entries(&root, &staged, &ignore);
        let mut walker = ProjectWalk::new(&disk, &root);
        walker
            .hidden(false)
            .filter_entry(|entry| {
                !(entry.is_dir()
                    && entry.depth() > 0
                    && entry.file_name().to_str().is_some_and(is_default_ignored))
            })
            .overrides(ignore);

        let walk_root = root.clone();
        let mut entries = walk::run_blocking(move |stop| {
            let found = Mutex::new(Vec::new());
            walker.for_each_entry(|| {
                let (found, root, staged, stop) = (&found, &walk_root, &staged, &stop);
                move |entry: walk::Entry| {
                    if entry.depth() > 0
                        && !staged.is_deleted(entry.path())
                        && let Ok(relative) = entry.path().strip_prefix(root)
                        && let Ok(mut found) = found.lock()
                    {
                        found.push(Entry {
                            path: relative.to_path_buf(),
                            is_dir: entry.is_dir(),
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
        add_created(&mut entries, created);

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

/// Whether `name` is a directory [`DEFAULT_IGNORES`] leaves out.
fn is_default_ignored(name: &str) -> bool {
    DEFAULT_IGNORES.contains(&name)
}

/// The files under `root` that exist only in the change set, relative to
/// `root`, less those the walk would leave out: under a default-ignored
/// directory, or matching an `ignore` glob (themselves or a directory
/// above them).
fn created_entries(root: &Path, staged: &StagedFiles, ignore: &Override) -> Vec<PathBuf> {
    staged
        .created_under(root)
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(root).ok()?.to_path_buf();
            let dirs: Vec<&Path> = relative
                .ancestors()
                .skip(1)
                .filter(|dir| !dir.as_os_str().is_empty())
                .collect();
            let left_out = dirs.iter().any(|dir| {
                dir.file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(is_default_ignored)
                    || ignore.matched(root.join(dir), true).is_ignore()
            }) || ignore.matched(&path, false).is_ignore();
            (!left_out && !relative.as_os_str().is_empty()).then_some(relative)
        })
        .collect()
}

/// Adds the `created` files (relative paths) to `entries`, with the
/// directories above them that the disk does not have yet.
fn add_created(entries: &mut Vec<Entry>, created: Vec<PathBuf>) {
    let mut dirs: BTreeSet<PathBuf> = entries
        .iter()
        .filter(|entry| entry.is_dir)
        .map(|entry| entry.path.clone())
        .collect();
    for file in created {
        for dir in file.ancestors().skip(1) {
            if !dir.as_os_str().is_empty() && dirs.insert(dir.to_path_buf()) {
                entries.push(Entry {
                    path: dir.to_path_buf(),
                    is_dir: true,
                });
            }
        }
        entries.push(Entry {
            path: file,
            is_dir: false,
        });
    }
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
