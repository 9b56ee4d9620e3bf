//! The output limit every tool shares: at most [`MAX_LINES`] lines and
//! [`MAX_BYTES`] bytes go back to the model. When a tool says more, the
//! model gets the head of it and a hint, and the full text is saved in the
//! project under [`OUTPUT_DIR`], where `grep` and `read` (with offset/limit)
//! can reach it — they are confined to the project, so a file in the system
//! temp directory would be out of their reach. A project that is not on the
//! machine's disk (Node's `fs`, memory) gets the file through the session's
//! disk, where the same tools find it.
//!
//! [`TruncatedTool`] applies the limit to a tool's output; `builtin_tools`
//! wraps every tool in it but `read` and `bash`, which cut their own output in
//! a shape that keeps what matters (a window with a trailer saying how to go
//! on; the head and the tail of a command's output, with the full text saved
//! through [`create_output_file`]).

use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::fs::Disk;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::platform::since_unix_epoch;
use code_mesh_runtime::text::prefix_within;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput, ToolRegistry};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

/// The most lines of a tool's output the model is shown.
pub const MAX_LINES: usize = 2000;
/// The most bytes of a tool's output the model is shown: 50 KB.
pub const MAX_BYTES: usize = 50 * 1024;
/// Where full outputs are saved, relative to the project root. Hidden and
/// git-ignored (a `.gitignore` of `*` is written into it), so it stays out of
/// `git status` and out of grep, glob and list over the project.
pub const OUTPUT_DIR: &str = ".code-mesh/tool-output";
/// Saved outputs older than this are removed when a new one is saved.
const KEEP_SAVED_OUTPUT_FOR: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// Numbers the files saved by this process, so two saves in the same
/// millisecond get different names.
static NEXT_FILE: AtomicU64 = AtomicU64::new(0);

/// `output` as the model should see it: unchanged when it is within
/// [`MAX_LINES`] and [`MAX_BYTES`]; otherwise its head, how much was cut, and
/// where the full text was saved (or why it could not be).
pub fn truncate_output(workspace: &Workspace, tool: &str, output: String) -> String {
    let Some(cut) = head_within_limits(&output) else {
        return output;
    };
    let removed = if cut.by_bytes {
        format!("{} bytes", output.len() - cut.head.len())
    } else {
        format!(
            "{} lines",
            output
                .lines()
                .count()
                .saturating_sub(cut.head.lines().count())
        )
    };
    let hint = match save_full_output(workspace, tool, &output) {
        Ok(saved) => format!(
            "The tool call succeeded but the output was truncated. Full output saved to: \
             {saved}\nUse grep to search the full content or read with offset/limit to view \
             specific sections."
        ),
        Err(error) => format!(
            "The tool call succeeded but the output was truncated, and the full output could \
             not be saved ({error}). Narrow the call (a more specific path or pattern) to see \
             the rest."
        ),
    };
    format!("{}\n\n...{removed} truncated...\n\n{hint}", cut.head)
}

/// The part of an output that is shown.
struct Head<'a> {
    /// The text kept.
    head: &'a str,
    /// Whether the byte limit (rather than the line limit) cut it.
    by_bytes: bool,
}

/// The longest head of `output` within both limits, cut at a line end (or,
/// when its first line alone is too long, at a character boundary); `None`
/// when the whole output fits.
fn head_within_limits(output: &str) -> Option<Head<'_>> {
    let mut end = 0;
    for (index, line) in output.split_inclusive('\n').enumerate() {
        if index == MAX_LINES {
            let head = output[..end].trim_end_matches('\n');
            return Some(Head {
                head,
                by_bytes: false,
            });
        }
        if end + line.trim_end_matches('\n').len() > MAX_BYTES {
            let head = match end {
                0 => prefix_within(output, MAX_BYTES),
                _ => output[..end].trim_end_matches('\n'),
            };
            return Some(Head {
                head,
                by_bytes: true,
            });
        }
        end += line.len();
    }
    None
}

/// Saves `output` as a new file under [`OUTPUT_DIR`] and returns its path
/// relative to the project root, as the model would pass it to `read`. On
/// the machine's disk the file is created and written directly; on another
/// (Node's `fs`, memory) it is written through the session's disk.
pub(crate) fn save_full_output(
    workspace: &Workspace,
    tool: &str,
    output: &str,
) -> io::Result<String> {
    let disk = workspace.disk();
    if disk.is_native() {
        let (mut file, _path, shown) = create_output_file(workspace, tool)?;
        file.write_all(output.as_bytes())?;
        return Ok(shown);
    }
    let dir = prepare_output_dir(workspace)?;
    loop {
        let path = dir.join(output_file_name(tool));
        match disk.metadata(&path) {
            // Another process of the same project picked this name.
            Ok(_) => continue,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                disk.write(&path, output.as_bytes())?;
                return Ok(workspace.relative(&path));
            }
            Err(error) => return Err(error),
        }
    }
}

/// Creates a new, empty file under [`OUTPUT_DIR`] for `tool`'s full output,
/// for a tool that writes it as it goes (bash). Returns the open file, its
/// physical path, and its path relative to the project root. Saved outputs
/// older than a week are removed on the way. Only on the machine's own
/// disk: an open file is a `std::fs` notion.
pub(crate) fn create_output_file(
    workspace: &Workspace,
    tool: &str,
) -> io::Result<(fs::File, PathBuf, String)> {
    if !workspace.disk().is_native() {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "the project is not on this machine's disk, so no output file can be opened on it",
        ));
    }
    let dir = prepare_output_dir(workspace)?;
    loop {
        let path = dir.join(output_file_name(tool));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => {
                let shown = workspace.relative(&path);
                return Ok((file, path, shown));
            }
            // Another process of the same project picked this name.
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
}

/// The directory saved outputs go in, created (with its `.gitignore`) if
/// need be, outputs older than a week removed from it; through the
/// project's disk.
fn prepare_output_dir(workspace: &Workspace) -> io::Result<PathBuf> {
    let disk = workspace.disk();
    let dir = workspace
        .resolve_for_write(OUTPUT_DIR)
        .map_err(|error| io::Error::other(error.to_string()))?;
    disk.create_dir_all(&dir)?;
    let ignore = dir.join(".gitignore");
    if !disk.exists(&ignore) {
        disk.write(
            &ignore,
            b"# Full outputs of Code Mesh's tools; kept for a week.\n*\n",
        )?;
    }
    remove_old_outputs(disk, &dir);
    Ok(dir)
}

/// A new name for a saved output of `tool`: the time, then a number this
/// process has not used, so two saves in the same millisecond differ.
fn output_file_name(tool: &str) -> String {
    let stamp = since_unix_epoch().as_millis();
    let number = NEXT_FILE.fetch_add(1, Ordering::Relaxed);
    format!("{tool}_{stamp}_{number}.txt")
}

/// Removes the saved outputs in `dir` last changed more than a week ago;
/// failures are ignored (another process may be removing them too).
fn remove_old_outputs(disk: &Disk, dir: &Path) {
    let Ok(entries) = disk.read_dir(dir) else {
        return;
    };
    // The wall clock through the runtime: `SystemTime::now` panics in wasm.
    let now = since_unix_epoch();
    for entry in entries {
        if !entry.name.to_string_lossy().ends_with(".txt") {
            continue;
        }
        let path = dir.join(&entry.name);
        let too_old = disk
            .metadata(&path)
            .ok()
            .and_then(|meta| meta.modified)
            .and_then(|modified| modified.duration_since(SystemTime::UNIX_EPOCH).ok())
            .is_some_and(|modified| now.saturating_sub(modified) > KEEP_SAVED_OUTPUT_FOR);
        if too_old {
            let _ = disk.remove_file(&path);
        }
    }
}

/// A tool whose output goes through [`truncate_output`].
pub struct TruncatedTool {
    inner: Rc<dyn Tool>,
}

impl TruncatedTool {
    /// `inner`, its output limited to [`MAX_LINES`] lines and [`MAX_BYTES`] bytes.
    pub fn new(inner: Rc<dyn Tool>) -> Self {
        Self { inner }
    }
}

#[async_trait(?Send)]
impl Tool for TruncatedTool {
    fn spec(&self) -> ToolSpec {
        self.inner.spec()
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let mut output = self.inner.call(arguments, ctx).await?;
        if head_within_limits(&output.output).is_some() {
            let workspace = Workspace::from_context(ctx)?;
            let tool = self.inner.spec().name;
            output.output = truncate_output(&workspace, &tool, output.output);
        }
        Ok(output)
    }

    fn is_read_only(&self) -> bool {
        self.inner.is_read_only()
    }
}

/// `registry` with every tool but those named in `except` wrapped in a
/// [`TruncatedTool`], in the same order.
pub(crate) fn limit_outputs(registry: &ToolRegistry, except: &[&str]) -> ToolRegistry {
    let mut limited = ToolRegistry::new();
    for name in registry.names() {
        let Some(tool) = registry.get(name) else {
            continue;
        };
        if except.contains(&name) {
            limited.register(tool);
        } else {
            limited.register(Rc::new(TruncatedTool::new(tool)));
        }
    }
    limited
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_within_limits_has_no_head() {
        assert!(head_within_limits("a\nb\n").is_none());
        let lines = "x\n".repeat(MAX_LINES);
        assert!(head_within_limits(&lines).is_none());
    }

    #[test]
    fn too_many_lines_keep_the_first_2000() {
        let lines = "x\n".repeat(MAX_LINES + 1);
        let cut = head_within_limits(&lines).unwrap();
        assert_eq!(cut.head.lines().count(), MAX_LINES);
        assert!(!cut.by_bytes);
    }

    #[test]
    fn one_huge_line_is_cut_on_a_character_boundary() {
        let line = "é".repeat(MAX_BYTES);
        let cut = head_within_limits(&line).unwrap();
        assert!(cut.head.len() <= MAX_BYTES && cut.head.len() > MAX_BYTES - 4);
        assert!(cut.head.chars().all(|c| c == 'é'));
        assert!(cut.by_bytes);
    }
}
