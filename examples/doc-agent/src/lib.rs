//! # A custom agent role: the documentation agent
//!
//! [`DocAgent`] is a role written outside Code Mesh, with nothing but the
//! public [`Role`] trait. Queued after the tasks whose work it records, it
//! reads the session's staged change set and stages an entry at the top of
//! `CHANGELOG.md`: one line per changed file, then the summaries of the
//! tasks it ran after. It needs no model. Its edit goes through the agent's
//! tool context, so it is staged, shown and applied like any agent's.
//!
//! ```no_run
//! use std::rc::Rc;
//! use code_mesh_doc_agent::{DocAgent, docs_task};
//! use code_mesh_runtime::protocol::TaskId;
//! use code_mesh_runtime::supervisor::{Enqueue, SupervisorBuilder};
//!
//! # async fn demo(coder: Rc<dyn code_mesh_runtime::role::Role>, done: Vec<TaskId>) {
//! let (supervisor, _events) = SupervisorBuilder::new()
//!     .role("coder", coder)
//!     .role(DocAgent::ROLE, Rc::new(DocAgent))
//!     .start();
//! // Runs once every task in `done` has finished.
//! let _ = supervisor.send(Enqueue(docs_task(done))).await;
//! # }
//! ```

use async_trait::async_trait;
use code_mesh_runtime::protocol::{ChangedFile, FileStatus, TaskId, TaskSpec};
use code_mesh_runtime::role::{AgentContext, Role, RoleError, Task};
use code_mesh_runtime::tool::FileWrite;
use std::fmt::Write as _;
use std::path::Path;

/// The file the agent keeps, relative to the project root.
pub const CHANGELOG: &str = "CHANGELOG.md";

/// Records the session's staged changes in `CHANGELOG.md`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocAgent;

impl DocAgent {
    /// The name this example registers the role under.
    pub const ROLE: &'static str = "docs";
}

/// A task for the documentation agent that starts once every task in
/// `after` has finished, holding the lease on `CHANGELOG.md` while it runs.
pub fn docs_task(after: impl IntoIterator<Item = TaskId>) -> TaskSpec {
    let mut spec = TaskSpec::new(DocAgent::ROLE, "Record the staged changes in CHANGELOG.md.")
        .touching(CHANGELOG);
    spec.depends_on.extend(after);
    spec
}

#[async_trait(?Send)]
impl Role for DocAgent {
    async fn run(&self, task: Task, ctx: AgentContext) -> Result<String, RoleError> {
        let files: Vec<ChangedFile> = ctx
            .changes()
            .summary()
            .into_iter()
            .filter(|file| Path::new(&file.path) != Path::new(CHANGELOG))
            .collect();
        if files.is_empty() {
            return Ok("Nothing to document: no changes are staged.".to_string());
        }
        let tools = ctx.tool_context();
        let path = tools.root.join(CHANGELOG);
        let current = ctx
            .changes()
            .read(&path)
            .map_err(|e| RoleError::Stopped(format!("cannot read {CHANGELOG}: {e}")))?
            .unwrap_or_default();
        let current = String::from_utf8(current)
            .map_err(|_| RoleError::Stopped(format!("{CHANGELOG} is not UTF-8 text")))?;
        let entry = changelog_entry(&files, &task.inputs);
        tools
            .write_files(vec![FileWrite {
                path,
                content: Some(insert_entry(&current, &entry).into_bytes()),
            }])
            // A refused or failed write would fail the same way again.
            .map_err(|e| RoleError::Stopped(e.to_string()))?;
        Ok(format!(
            "Recorded {} changed file(s) in {CHANGELOG}.",
            files.len()
        ))
    }
}

/// The changelog entry for `files`: a heading, one line per file, and the
/// first line of each of `notes` (the summaries of the tasks that made them).
pub fn changelog_entry(files: &[ChangedFile], notes: &[String]) -> String {
    let mut entry = String::from("## Unreleased\n\n");
    for file in files {
        let what = match file.status {
            FileStatus::Added => "added",
            FileStatus::Modified => "changed",
            FileStatus::Deleted => "removed",
        };
        let _ = writeln!(
            entry,
            "- `{}`: {what} (+{} -{})",
            file.path, file.additions, file.deletions
        );
    }
    let notes: Vec<&str> = notes
        .iter()
        .filter_map(|note| note.lines().next())
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if !notes.is_empty() {
        entry.push_str("\nDone:\n\n");
        for note in notes {
            let _ = writeln!(entry, "- {note}");
        }
    }
    entry
}

/// `changelog` with `entry` inserted as its newest section: below a leading
/// `# ` title when it has one, else at the top.
pub fn insert_entry(changelog: &str, entry: &str) -> String {
    let (title, rest) = match changelog.split_once('\n') {
        Some((first, rest)) if first.starts_with("# ") => (Some(first), rest),
        None if changelog.starts_with("# ") => (Some(changelog), ""),
        _ => (None, changelog),
    };
    let rest = rest.trim_start_matches('\n');
    let mut text = String::new();
    if let Some(title) = title {
        text.push_str(title);
        text.push_str("\n\n");
    }
    text.push_str(entry);
    if !rest.is_empty() {
        text.push('\n');
        text.push_str(rest);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, status: FileStatus, additions: usize, deletions: usize) -> ChangedFile {
        ChangedFile {
            path: path.into(),
            status,
            additions,
            deletions,
        }
    }

    #[test]
    fn entry_lists_each_file_and_the_first_line_of_each_note() {
        let entry = changelog_entry(
            &[
                file("a.txt", FileStatus::Added, 2, 0),
                file("src/lib.rs", FileStatus::Modified, 3, 1),
            ],
            &["Wrote a.txt.\nmore detail".into(), String::new()],
        );
        assert_eq!(
            entry,
            "## Unreleased\n\n- `a.txt`: added (+2 -0)\n- `src/lib.rs`: changed (+3 -1)\n\
             \nDone:\n\n- Wrote a.txt.\n"
        );
    }

    #[test]
    fn entry_goes_below_the_title_and_above_older_sections() {
        let entry = "## Unreleased\n\n- x\n";
        assert_eq!(
            insert_entry("# Changelog\n\n## 0.1.0\n\n- first\n", entry),
            "# Changelog\n\n## Unreleased\n\n- x\n\n## 0.1.0\n\n- first\n"
        );
        assert_eq!(insert_entry("", entry), entry);
        assert_eq!(
            insert_entry("# Changelog", entry),
            "# Changelog\n\n## Unreleased\n\n- x\n"
        );
        assert_eq!(
            insert_entry("## 0.1.0\n", entry),
            "## Unreleased\n\n- x\n\n## 0.1.0\n"
        );
    }
}
