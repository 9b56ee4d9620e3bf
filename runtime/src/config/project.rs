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

/// A stable id for the project at `root`, naming its directory of saved
/// sessions: the directory's name (characters other than letters, digits,
/// `-`, `_` and `.` replaced by `_`) and a hash of its canonical path, e.g.
/// `my-app-5f0e3a1c9b27d4e8`. Two projects with the same name get different
/// ids; the same project always gets the same one.
pub fn project_id(root: &Path) -> String {
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let name: String = canonical
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = if name.is_empty() || name.starts_with('.') {
        format!("project{name}")
    } else {
        name
    };
    format!(
        "{name}-{:016x}",
        fnv1a(canonical.as_os_str().as_encoded_bytes())
    )
}

/// 64-bit FNV-1a. Written out because the id must stay the same across
/// Rust releases and platforms, which std's `DefaultHasher` does not promise.
fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_id_is_the_name_and_a_stable_hash_of_the_path() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("my app"), dir.path().join("x/my app"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let id = project_id(&a);
        assert!(id.starts_with("my_app-"), "{id}");
        assert_eq!(id.len(), "my_app-".len() + 16);
        assert_eq!(project_id(&a.join("../my app")), id);
        assert_ne!(project_id(&b), id);
    }

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
