//! Which directory is the project, found through a [`Disk`] (the runtime's
//! `find_project_root` asks `std::fs`, which WebAssembly lacks).

use code_mesh_runtime::fs::Disk;
use std::path::{Path, PathBuf};

/// The project root for work started in `start`: the nearest directory at
/// or above it holding `.code-mesh/` or `.git`, as natively; `start` itself
/// when there is none.
pub fn find_project_root(disk: &Disk, start: &Path) -> PathBuf {
    start
        .ancestors()
        .find(|dir| disk.is_dir(&dir.join(".code-mesh")) || disk.exists(&dir.join(".git")))
        .unwrap_or(start)
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::fs::MemoryFs;

    #[test]
    fn the_nearest_marked_ancestor_is_the_root() {
        let fs = MemoryFs::with_files(
            Path::new("/work"),
            [("app/.git/HEAD", "ref"), ("app/src/deep/a.rs", "")],
        )
        .unwrap();
        let disk = Disk::new(fs);
        assert_eq!(
            find_project_root(&disk, Path::new("/work/app/src/deep")),
            Path::new("/work/app")
        );
        assert_eq!(
            find_project_root(&disk, Path::new("/work")),
            Path::new("/work")
        );
    }
}
