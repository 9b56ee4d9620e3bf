//! The change set as a unified diff, for people and for the reviewer agent.

use super::change_set::{ChangeSet, FileChange};
use crate::protocol::{ChangedFile, FileStatus};
use similar::{ChangeTag, TextDiff};
use std::fmt::Write as _;

impl ChangeSet {
    /// A unified diff (3 lines of context) of every staged change, paths
    /// relative to the project root; binary files are named, not shown.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for change in self.files() {
            file_diff(
                &mut out,
                &self.relative(&change.path).display().to_string(),
                change,
            );
        }
        out
    }

    /// One [`ChangedFile`] per staged change, ordered by path.
    pub fn summary(&self) -> Vec<ChangedFile> {
        self.files()
            .map(|change| {
                let status = match (&change.original, change.after()) {
                    (None, _) => FileStatus::Added,
                    (Some(_), None) => FileStatus::Deleted,
                    (Some(_), Some(_)) => FileStatus::Modified,
                };
                let (additions, deletions) = line_counts(change);
                ChangedFile {
                    path: self.relative(&change.path).display().to_string(),
                    status,
                    additions,
                    deletions,
                }
            })
            .collect()
    }
}

/// Lines added and removed by `change`; `(0, 0)` for binary content.
fn line_counts(change: &FileChange) -> (usize, usize) {
    let before = std::str::from_utf8(change.original.as_deref().unwrap_or_default());
    let after = std::str::from_utf8(change.after().unwrap_or_default());
    let (Ok(before), Ok(after)) = (before, after) else {
        return (0, 0);
    };
    let diff = TextDiff::from_lines(before, after);
    diff.iter_all_changes()
        .fold((0, 0), |(added, removed), line| match line.tag() {
            ChangeTag::Insert => (added + 1, removed),
            ChangeTag::Delete => (added, removed + 1),
            ChangeTag::Equal => (added, removed),
        })
}

/// Appends one file's diff to `out`.
fn file_diff(out: &mut String, name: &str, change: &FileChange) {
    let before = change.original.as_deref().map(std::str::from_utf8);
    let after = change.after().map(std::str::from_utf8);
    let (old_name, new_name) = (
        if change.original.is_some() {
            format!("a/{name}")
        } else {
            "/dev/null".to_string()
        },
        if change.after().is_some() {
            format!("b/{name}")
        } else {
            "/dev/null".to_string()
        },
    );
    match (before.unwrap_or(Ok("")), after.unwrap_or(Ok(""))) {
        (Ok(old), Ok(new)) => {
            let diff = TextDiff::from_lines(old, new);
            let _ = write!(
                out,
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&old_name, &new_name)
            );
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
        _ => {
            let _ = writeln!(out, "Binary files {old_name} and {new_name} differ");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::changes::ChangeSet;

    #[test]
    fn diff_shows_every_file_relative_to_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.txt"), "one\ntwo\n").unwrap();
        let mut set = ChangeSet::new(root);
        set.stage_write(&root.join("a.txt"), b"one\nTWO\n".to_vec())
            .unwrap();
        set.stage_write(&root.join("new.txt"), b"hello\n".to_vec())
            .unwrap();
        let diff = set.diff();
        assert!(diff.contains("--- a/a.txt\n+++ b/a.txt\n"), "{diff}");
        assert!(diff.contains("-two\n+TWO\n"), "{diff}");
        assert!(diff.contains("--- /dev/null\n+++ b/new.txt\n"), "{diff}");
        assert!(diff.contains("+hello\n"), "{diff}");
        let summary = set.summary();
        assert_eq!(summary.len(), 2);
        assert_eq!((summary[0].additions, summary[0].deletions), (1, 1));
        assert_eq!(summary[1].status, crate::protocol::FileStatus::Added);
    }
}
