//! The person's standing instructions and the project's knowledge, read
//! from disk once per session for the agents' system prompts:
//!
//! - the global `AGENTS.md` in the config directory
//!   ([`crate::config::Paths::config_dir`]);
//! - each `AGENTS.md` from the project root down to the working directory,
//!   the nearest last (so it has the last word);
//! - the project's `.code-mesh/knowledge.md`, where the `remember` tool
//!   keeps notes for later sessions.
//!
//! Each file is shown under a heading naming it, cut to a bounded size.
//! Hand the text to
//! [`SupervisorBuilder::instructions`](crate::SupervisorBuilder::instructions).

use crate::fs::Disk;
use crate::text::prefix_within;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The file of instructions looked for in each directory.
pub const AGENTS_FILE: &str = "AGENTS.md";

/// Where the project's knowledge is kept, relative to its root.
pub const KNOWLEDGE_FILE: &str = ".code-mesh/knowledge.md";

/// The most bytes of one file that are shown.
pub const MAX_FILE_BYTES: usize = 16 * 1024;

/// The most bytes of all files together that are shown; files past it are
/// left out, the nearest (last) ones kept first.
pub const MAX_TOTAL_BYTES: usize = 48 * 1024;

/// The instructions for a session in `working_dir` inside `project_root`,
/// with the global files in `config_dir`: each file that exists, under a
/// `## <path>` heading, global first, then root to working directory, then
/// the knowledge file. Empty when there is none. Unreadable files are
/// skipped (there is nothing better to do with them here).
pub fn load_instructions(config_dir: &Path, project_root: &Path, working_dir: &Path) -> String {
    load_instructions_from(&Disk::default(), config_dir, project_root, working_dir)
}

/// [`load_instructions`] from `disk` (Node's `fs` or an in-memory project in
/// WebAssembly).
pub fn load_instructions_from(
    disk: &Disk,
    config_dir: &Path,
    project_root: &Path,
    working_dir: &Path,
) -> String {
    let mut files = vec![config_dir.join(AGENTS_FILE)];
    files.extend(
        directories_down(project_root, working_dir)
            .into_iter()
            .map(|dir| dir.join(AGENTS_FILE)),
    );
    files.push(project_root.join(KNOWLEDGE_FILE));
    let found: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|path| {
            let text = String::from_utf8(disk.read(&path).ok()?).ok()?;
            let text = text.trim();
            (!text.is_empty()).then(|| (path, cut(text, MAX_FILE_BYTES)))
        })
        .collect();
    render(found)
}

/// The project root, then each directory below it down to `working_dir`
/// (only the root when `working_dir` is not inside it).
fn directories_down(project_root: &Path, working_dir: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![project_root.to_path_buf()];
    if let Ok(rest) = working_dir.strip_prefix(project_root) {
        let mut dir = project_root.to_path_buf();
        for part in rest.components() {
            dir.push(part);
            dirs.push(dir.clone());
        }
    }
    dirs
}

/// `text` cut to at most `max` bytes at a character boundary, with a note
/// when something was cut.
fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    format!(
        "{}\n[… cut: the file is longer than {max} bytes]",
        prefix_within(text, max)
    )
}

/// The files under their headings, in order, within [`MAX_TOTAL_BYTES`]:
/// the later files win when not all fit.
fn render(files: Vec<(PathBuf, String)>) -> String {
    let mut budget = MAX_TOTAL_BYTES;
    let mut kept = Vec::new();
    for (path, text) in files.into_iter().rev() {
        if text.len() > budget {
            continue;
        }
        budget -= text.len();
        kept.push((path, text));
    }
    let mut out = String::new();
    for (path, text) in kept.into_iter().rev() {
        let _ = write!(out, "## {}\n\n{text}\n\n", path.display());
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn global_then_root_to_working_dir_then_knowledge() {
        let config = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        let sub = project.path().join("crates/app");
        fs::create_dir_all(&sub).unwrap();
        write(&config.path().join("AGENTS.md"), "global rule");
        write(&project.path().join("AGENTS.md"), "root rule");
        write(&sub.join("AGENTS.md"), "app rule");
        write(&project.path().join(".code-mesh/knowledge.md"), "- a note");

        let text = load_instructions(config.path(), project.path(), &sub);

        let order: Vec<usize> = ["global rule", "root rule", "app rule", "- a note"]
            .iter()
            .map(|needle| text.find(needle).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
        let heading = format!("## {}", sub.join("AGENTS.md").display());
        assert!(text.contains(&heading), "{text}");
    }

    #[test]
    fn no_files_give_no_instructions() {
        let config = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        assert_eq!(
            load_instructions(config.path(), project.path(), project.path()),
            ""
        );
    }

    #[test]
    fn a_long_file_is_cut_and_says_so() {
        let config = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        write(
            &project.path().join("AGENTS.md"),
            &"x".repeat(MAX_FILE_BYTES * 2),
        );
        let text = load_instructions(config.path(), project.path(), project.path());
        assert!(text.len() < MAX_FILE_BYTES + 500);
        assert!(text.contains("cut: the file is longer"));
    }
}
