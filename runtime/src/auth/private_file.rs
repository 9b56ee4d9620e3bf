//! Writing a file only its owner may read, atomically: a reader sees the old
//! contents or the new, never half of either, and the file is never readable
//! by others, not even for a moment.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `contents`: writes a temporary file in the same
/// directory with mode 0600, syncs it to disk, and renames it over `path`.
/// Creates the directory (mode 0700) when it is missing.
pub(crate) fn write_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = write_new(&temp, contents).and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        // Best effort: the error that matters is the one returned.
        let _ = fs::remove_file(&temp);
    }
    written?;
    sync_dir(dir);
    Ok(())
}

/// Creates `path` (which must not exist) with mode 0600 and writes `contents`
/// to disk.
fn write_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        // The umask can only take bits away from the mode above; this makes
        // it exactly 0600 whatever the umask.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(contents)?;
    file.sync_all()
}

/// Creates `dir` and its missing parents with mode 0700; an existing
/// directory is left as it is.
fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Makes the rename durable. Not every platform can open a directory, and
/// the rename itself has happened either way, so failures are ignored.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
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
    fn new_file_and_directory_are_private() {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("data/code-mesh/auth.json");
        write_private(&path, b"{}").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "{}");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }

    #[test]
    fn replacing_a_file_leaves_no_temporary_file_and_tightens_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("auth.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(mode(&path), 0o600);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["auth.json"]);
    }
}
