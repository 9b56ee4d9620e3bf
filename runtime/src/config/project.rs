//! Which directory is the project.

use std::path::{Path, PathBuf};

/// The project root for work started in `start`: the nearest directory at or
/// above it holding `.code-mesh/` or `.git`; `start` itself when there is none.
/// Only ancestors are looked at, never the tree below.
pub fn find_project_root(start: &Path) -> PathBuf {
    start
        .ancestors()
        .find(|dir| dir.join(".code-mesh").is_dir() || dir.join(".git").exists())
        .unwrap_or(start)
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_git_ancestor_is_the_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        let sub = dir.path().join("src/deep");
        std::fs::create_dir_all(&sub).unwrap();
        assert_eq!(find_project_root(&sub), dir.path());
    }

    #[test]
    fn without_markers_the_start_is_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a");
        std::fs::create_dir_all(&sub).unwrap();
        // tempdirs live under /tmp, which has no marker above it.
        assert_eq!(find_project_root(&sub), sub);
    }
}
