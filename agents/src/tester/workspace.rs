//! The test workspace: a scratch copy of the project with the session's
//! staged changes written over it, so that a test command sees the change
//! as agents see it, while the project itself stays untouched.
//!
//! The copy holds the files ripgrep's walker sees (`.gitignore` and
//! `.ignore` respected, hidden files included, `.git` left out), in a fresh
//! directory under the system's temp dir that is removed when the workspace
//! is dropped. Heavy dependency directories (`node_modules`, `.venv`,
//! `venv`) are symlinked rather than copied. Build output goes to a target
//! directory kept per project ([`TestWorkspace::cargo_target_dir`]), so
//! repeated runs reuse what earlier runs built.

use code_mesh_runtime::changes::{ChangeSet, Staged};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};

/// Dependency directories linked into the copy instead of copied.
const LINKED_DIRS: [&str; 3] = ["node_modules", ".venv", "venv"];

/// A scratch copy of a project with its staged changes applied.
#[derive(Debug)]
pub struct TestWorkspace {
    /// Removed on drop.
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl TestWorkspace {
    /// Copies the project at `root` and writes `staged` over the copy:
    /// staged writes replace (or create) files, staged deletions remove them.
    pub fn create(root: &Path, staged: &ChangeSet) -> io::Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("code-mesh-test-")
            .tempdir()?;
        copy_project(root, dir.path())?;
        for name in LINKED_DIRS {
            let source = root.join(name);
            if source.is_dir() {
                link_dir(&source, &dir.path().join(name))?;
            }
        }
        for change in staged.files() {
            let Ok(relative) = change.path.strip_prefix(staged.root()) else {
                continue;
            };
            let path = dir.path().join(relative);
            match &change.staged {
                Staged::Write(bytes) => {
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::write(&path, bytes)?;
                }
                Staged::Delete => match std::fs::remove_file(&path) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                },
            }
        }
        Ok(Self {
            dir,
            target: target_dir_for(root),
        })
    }

    /// Where the copy is: the directory the test command runs in.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The `CARGO_TARGET_DIR` the command gets: one directory per project
    /// (by a hash of its path) under the temp dir, kept between runs, so
    /// that dependencies are built once and not again for every copy (the
    /// project's own crates rebuild, their path being new each time). Not
    /// the project's own `target/`: a test build there would race the
    /// person's builds and leave artifacts of unapproved code.
    pub fn cargo_target_dir(&self) -> &Path {
        &self.target
    }
}

/// The per-project target directory for `root`.
fn target_dir_for(root: &Path) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    root.hash(&mut hasher);
    std::env::temp_dir()
        .join("code-mesh-test-target")
        .join(format!("{:016x}", hasher.finish()))
}

/// Copies what the walker sees of `root` into `to`.
fn copy_project(root: &Path, to: &Path) -> io::Result<()> {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .filter_entry(|entry| {
            let name = entry.file_name();
            entry.depth() != 1 || (name != ".git" && !LINKED_DIRS.iter().any(|d| name == *d))
        })
        .build();
    for entry in walker {
        let entry = entry.map_err(io::Error::other)?;
        let Ok(relative) = entry.path().strip_prefix(root) else {
            continue;
        };
        if relative.as_os_str().is_empty() {
            continue;
        }
        let target = to.join(relative);
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if kind.is_symlink() {
            copy_link(entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_link(link: &Path, to: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(link)?, to)
}

#[cfg(not(unix))]
fn copy_link(link: &Path, to: &Path) -> io::Result<()> {
    // Without Unix symlinks, copy what the link points at (if a file).
    if link.is_file() {
        std::fs::copy(link, to)?;
    }
    Ok(())
}

#[cfg(unix)]
fn link_dir(source: &Path, to: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(source, to)
}

#[cfg(not(unix))]
fn link_dir(_source: &Path, _to: &Path) -> io::Result<()> {
    // Left out: a command that needs it reports what is missing.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_holds_staged_writes_and_deletes_and_leaves_the_project_untouched() {
        let project = tempfile::tempdir().unwrap();
        let root = project.path();
        std::fs::write(root.join("a.txt"), "old\n").unwrap();
        std::fs::write(root.join("gone.txt"), "bye\n").unwrap();
        std::fs::create_dir(root.join("src")).unwrap();
        std::fs::write(root.join("src/lib.rs"), "// lib\n").unwrap();
        let mut staged = ChangeSet::new(root);
        staged
            .stage_write(&root.join("a.txt"), b"new\n".to_vec())
            .unwrap();
        staged
            .stage_write(&root.join("src/new/b.txt"), b"b\n".to_vec())
            .unwrap();
        staged.stage_delete(&root.join("gone.txt")).unwrap();

        let workspace = TestWorkspace::create(root, &staged).unwrap();
        let copy = workspace.path();
        assert_eq!(
            std::fs::read_to_string(copy.join("a.txt")).unwrap(),
            "new\n"
        );
        assert_eq!(
            std::fs::read_to_string(copy.join("src/new/b.txt")).unwrap(),
            "b\n"
        );
        assert_eq!(
            std::fs::read_to_string(copy.join("src/lib.rs")).unwrap(),
            "// lib\n"
        );
        assert!(!copy.join("gone.txt").exists());

        assert_eq!(
            std::fs::read_to_string(root.join("a.txt")).unwrap(),
            "old\n"
        );
        assert!(root.join("gone.txt").exists());
        assert!(!root.join("src/new").exists());
    }

    #[test]
    fn ignored_files_and_git_are_not_copied_and_dependencies_are_linked() {
        let project = tempfile::tempdir().unwrap();
        let root = project.path();
        std::fs::write(root.join(".gitignore"), "target/\n*.log\nnode_modules/\n").unwrap();
        std::fs::create_dir_all(root.join("target/debug")).unwrap();
        std::fs::write(root.join("target/debug/big"), "x").unwrap();
        std::fs::write(root.join("run.log"), "x").unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/HEAD"), "ref").unwrap();
        std::fs::write(root.join(".env.example"), "A=1").unwrap();
        std::fs::create_dir_all(root.join("node_modules/left-pad")).unwrap();
        std::fs::write(root.join("node_modules/left-pad/index.js"), "pad").unwrap();

        let workspace = TestWorkspace::create(root, &ChangeSet::new(root)).unwrap();
        let copy = workspace.path();
        assert!(!copy.join("target").exists());
        assert!(!copy.join("run.log").exists());
        assert!(!copy.join(".git").exists());
        assert!(copy.join(".gitignore").exists() && copy.join(".env.example").exists());
        let linked = copy.join("node_modules");
        assert!(linked.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(
            std::fs::read_to_string(linked.join("left-pad/index.js")).unwrap(),
            "pad"
        );
    }

    #[test]
    fn the_copy_is_removed_on_drop_and_the_target_dir_is_per_project() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let first = TestWorkspace::create(a.path(), &ChangeSet::new(a.path())).unwrap();
        let again = TestWorkspace::create(a.path(), &ChangeSet::new(a.path())).unwrap();
        let other = TestWorkspace::create(b.path(), &ChangeSet::new(b.path())).unwrap();
        assert_ne!(first.path(), again.path());
        assert_eq!(first.cargo_target_dir(), again.cargo_target_dir());
        assert_ne!(first.cargo_target_dir(), other.cargo_target_dir());
        let path = first.path().to_path_buf();
        drop(first);
        assert!(!path.exists());
    }
}
