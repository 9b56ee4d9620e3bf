//! The project's files as agents see them: what the disk holds with the
//! staged changes over it ([`list_files`]), and one project-relative path
//! checked and made absolute ([`project_path`]).

use crate::error::Error;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::fs::{Disk, FileKind};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// Directories never listed: version control's and installed packages'.
const SKIPPED_DIRS: [&str; 2] = [".git", "node_modules"];

/// The most files listed; a bigger tree is cut (the agents' own search
/// tools walk it whole).
pub const MAX_LISTED: usize = 20_000;

/// Every file under `root` on `disk` with `changes` over it (staged new
/// files added, staged deletions left out), project-relative with `/`,
/// sorted; `.git` and `node_modules` are skipped and symlinks not followed.
pub fn list_files(disk: &Disk, root: &Path, changes: &SessionChanges) -> Vec<String> {
    let mut found = BTreeSet::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = disk.read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = dir.join(&entry.name);
            match entry.kind {
                FileKind::Dir => {
                    let skipped = entry
                        .name
                        .to_str()
                        .is_some_and(|name| SKIPPED_DIRS.contains(&name));
                    if !skipped {
                        pending.push(path);
                    }
                }
                FileKind::File | FileKind::Symlink => {
                    found.insert(path);
                }
                FileKind::Other => {}
            }
            if found.len() >= MAX_LISTED {
                pending.clear();
                break;
            }
        }
    }
    for (path, exists) in changes.staged_paths() {
        if exists {
            found.insert(path);
        } else {
            found.remove(&path);
        }
    }
    found
        .iter()
        .filter_map(|path| relative(root, path))
        .collect()
}

/// `path` relative to `root`, with `/` between parts.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rest
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// The absolute path of the project-relative `given`: refused when it is
/// absolute or climbs out with `..`.
pub fn project_path(root: &Path, given: &str) -> Result<PathBuf, Error> {
    let relative = Path::new(given);
    let inside = !given.is_empty()
        && relative
            .components()
            .all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
    if !inside {
        return Err(Error::usage(format!(
            "`{given}` is not a path inside the project: give it relative to the project root, \
             without `..` (e.g. \"src/main.rs\")"
        )));
    }
    Ok(root.join(relative))
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::fs::MemoryFs;

    #[test]
    fn files_are_listed_with_staged_changes_over_them() {
        let root = Path::new("/project");
        let disk = Disk::new(
            MemoryFs::with_files(
                root,
                [
                    ("src/a.rs", "a"),
                    ("b.txt", "b"),
                    (".git/HEAD", "ref"),
                    ("node_modules/x/index.js", "x"),
                ],
            )
            .unwrap(),
        );
        let changes = SessionChanges::on_disk(root, disk.clone());
        changes
            .stage(vec![
                (root.join("new.md"), Some(b"n".to_vec())),
                (root.join("b.txt"), None),
            ])
            .unwrap();
        assert_eq!(list_files(&disk, root, &changes), ["new.md", "src/a.rs"]);
    }

    #[test]
    fn paths_outside_the_project_are_refused() {
        let root = Path::new("/project");
        assert_eq!(
            project_path(root, "src/a.rs").unwrap(),
            Path::new("/project/src/a.rs")
        );
        for bad in ["../x", "/etc/passwd", "a/../../b", ""] {
            let error = project_path(root, bad).unwrap_err().to_string();
            assert!(error.contains("not a path inside the project"), "{error}");
        }
    }
}
