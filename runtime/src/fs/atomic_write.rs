//! Writing a file so that a reader (or a crash) sees the old contents or the
//! new ones, never half of them. Every tool that writes goes through here.

use std::collections::hash_map::RandomState;
use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// How many temporary names to try before giving up.
const TEMP_NAME_ATTEMPTS: u32 = 16;

/// Replaces `path`'s contents with `contents` atomically: writes a temporary
/// file in the same directory, flushes it to disk and renames it over `path`.
/// Creates missing parent directories; an existing file keeps its permissions.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = parent_dir(path)?;
    fs::create_dir_all(dir)?;
    let permissions = match fs::metadata(path) {
        Ok(meta) => Some(meta.permissions()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(error),
    };
    replace(dir, path, contents, permissions)
}

/// Replaces `path`'s contents atomically like [`write_atomically`], without
/// waiting for the disk: a reader or a killed process sees the old contents
/// or the new ones (the rename is atomic), but a power cut may lose the
/// last write. For Code Mesh's own bookkeeping (the session index, a
/// session's saved change set), which is written several times per turn:
/// each flush to disk costs milliseconds, the whole budget of a turn.
/// People's files and credentials always go through [`write_atomically`].
pub fn write_atomically_unsynced(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = parent_dir(path)?;
    fs::create_dir_all(dir)?;
    let temp = {
        let (mut file, temp) = create_temp_file(dir, path)?;
        file.write_all(contents)?;
        temp
    };
    fs::rename(&temp.0, path)?;
    temp.keep();
    Ok(())
}

/// [`write_atomically`] for a file only its owner may read (credentials):
/// the file ends up mode 0600, and is never readable by others while it has
/// content, and a missing directory is created mode 0700.
pub fn write_atomically_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = parent_dir(path)?;
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    #[cfg(unix)]
    let permissions = {
        use std::os::unix::fs::PermissionsExt;
        Some(fs::Permissions::from_mode(0o600))
    };
    #[cfg(not(unix))]
    let permissions = None;
    replace(dir, path, contents, permissions)
}

/// The directory `path` lives in.
fn parent_dir(path: &Path) -> io::Result<&Path> {
    path.parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no directory"))
}

/// Writes `contents` to a temporary file in `dir` with `permissions` (set
/// before any byte is written), syncs it, and renames it over `path`.
fn replace(
    dir: &Path,
    path: &Path,
    contents: &[u8],
    permissions: Option<fs::Permissions>,
) -> io::Result<()> {
    // The file is closed at the end of this block, before the rename.
    let temp = {
        let (mut file, temp) = create_temp_file(dir, path)?;
        if let Some(permissions) = permissions {
            file.set_permissions(permissions)?;
        }
        file.write_all(contents)?;
        file.sync_all()?;
        temp
    };
    fs::rename(&temp.0, path)?;
    temp.keep();
    sync_directory(dir);
    Ok(())
}

/// A temporary file that is removed when dropped, unless kept: a failed write
/// leaves no litter behind.
struct TempFile(PathBuf);

impl TempFile {
    /// The file was renamed into place: nothing to remove.
    fn keep(mut self) {
        self.0 = PathBuf::new();
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.0.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.0);
        }
    }
}

/// Creates a new, uniquely named hidden file in `dir` named after `target`.
fn create_temp_file(dir: &Path, target: &Path) -> io::Result<(File, TempFile)> {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last_error = None;
    for _ in 0..TEMP_NAME_ATTEMPTS {
        let temp = dir.join(format!(".{name}.{:016x}.tmp", unique_number()));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((file, TempFile(temp))),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                last_error = Some(error);
            }
            Err(error) => return Err(error),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("could not name a temporary file")))
}

/// A number unlikely to repeat across processes and calls. Built from
/// `RandomState` (randomly seeded per process) and a counter rather than the
/// clock or the process id, which panic on `wasm32-unknown-unknown`.
fn unique_number() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// Flushes the directory entry of the rename to disk where the OS allows it;
/// a failure here does not undo the write, so it is ignored.
fn sync_directory(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// The permission bits; 0 when the file is missing.
    fn mode(path: &Path) -> u32 {
        fs::metadata(path).map_or(0, |meta| meta.permissions().mode() & 0o777)
    }

    #[test]
    fn private_file_and_new_directory_are_owner_only() {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("data/code-mesh/auth.json");
        write_atomically_private(&path, b"{}").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "{}");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }

    #[test]
    fn replacing_a_private_file_tightens_its_mode_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("auth.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write_atomically_private(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(mode(&path), 0o600);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["auth.json"]);
    }

    #[test]
    fn replacing_a_file_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.sh");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(mode(&path), 0o755);
    }
}
