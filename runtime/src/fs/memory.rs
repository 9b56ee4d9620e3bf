//! [`MemoryFs`]: a project held in memory, for a browser page (which has no
//! disk) and for tests that need no temporary directory.

use super::file_system::{DirEntry, FileKind, FileSystem, Metadata};
use crate::platform::since_unix_epoch;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

/// Files and directories in memory, by absolute path. Directories exist when
/// created or when a file lies under them; `/` always exists. There are no
/// symlinks. Cheap to share behind an `Arc`; every call takes one lock.
#[derive(Debug, Default)]
pub struct MemoryFs {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    files: BTreeMap<PathBuf, Stored>,
    dirs: BTreeSet<PathBuf>,
    /// The last modification time handed out: each write gets a later one,
    /// so two writes in the same millisecond still differ.
    last_stamp: Duration,
}

#[derive(Debug)]
struct Stored {
    bytes: Vec<u8>,
    modified: SystemTime,
}

impl MemoryFs {
    /// An empty file system (only `/`).
    pub fn new() -> Self {
        Self::default()
    }

    /// A file system holding `files`, each a path relative to `root` (or
    /// absolute) and its contents; `root` itself exists even when empty.
    pub fn with_files<P, B>(
        root: &Path,
        files: impl IntoIterator<Item = (P, B)>,
    ) -> io::Result<Self>
    where
        P: AsRef<Path>,
        B: Into<Vec<u8>>,
    {
        let fs = Self::new();
        fs.create_dir_all(root)?;
        for (path, bytes) in files {
            fs.write(&root.join(path), &bytes.into())?;
        }
        Ok(fs)
    }

    /// Every file and its contents, ordered by path: what a page shows as
    /// the project.
    pub fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        self.lock()
            .files
            .iter()
            .map(|(path, stored)| (path.clone(), stored.bytes.clone()))
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves whole values behind (every
        // change is one insert or remove), so the state is still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    fn is_dir(&self, path: &Path) -> bool {
        path.parent().is_none()
            || self.dirs.contains(path)
            || self
                .files
                .range::<Path, _>((std::ops::Bound::Excluded(path), std::ops::Bound::Unbounded))
                .next()
                .is_some_and(|(file, _)| file.starts_with(path))
    }

    fn next_stamp(&mut self) -> SystemTime {
        let now = since_unix_epoch().max(self.last_stamp + Duration::from_nanos(1));
        self.last_stamp = now;
        SystemTime::UNIX_EPOCH + now
    }
}

fn not_found(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("{} does not exist", path.display()),
    )
}

fn is_a_directory(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::IsADirectory,
        format!("{} is a directory", path.display()),
    )
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let state = self.lock();
        match state.files.get(path) {
            Some(stored) => Ok(stored.bytes.clone()),
            None if state.is_dir(path) => Err(is_a_directory(path)),
            None => Err(not_found(path)),
        }
    }

    fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()> {
        let mut state = self.lock();
        if state.is_dir(path) {
            return Err(is_a_directory(path));
        }
        let mut parent = path.parent();
        while let Some(dir) = parent {
            if state.files.contains_key(dir) {
                return Err(io::Error::new(
                    io::ErrorKind::NotADirectory,
                    format!("{} is a file, not a directory", dir.display()),
                ));
            }
            parent = dir.parent();
        }
        let modified = state.next_stamp();
        state.files.insert(
            path.to_path_buf(),
            Stored {
                bytes: contents.to_vec(),
                modified,
            },
        );
        Ok(())
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        let mut state = self.lock();
        if state.files.remove(path).is_some() {
            return Ok(());
        }
        if state.is_dir(path) {
            Err(is_a_directory(path))
        } else {
            Err(not_found(path))
        }
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        let state = self.lock();
        if let Some(stored) = state.files.get(path) {
            return Ok(Metadata {
                kind: FileKind::File,
                len: stored.bytes.len() as u64,
                modified: Some(stored.modified),
            });
        }
        if state.is_dir(path) {
            return Ok(Metadata {
                kind: FileKind::Dir,
                len: 0,
                modified: None,
            });
        }
        Err(not_found(path))
    }

    fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
        self.metadata(path)?;
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a symlink", path.display()),
        ))
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let state = self.lock();
        if state.files.contains_key(path) {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("{} is a file, not a directory", path.display()),
            ));
        }
        if !state.is_dir(path) {
            return Err(not_found(path));
        }
        let mut children: BTreeMap<OsString, FileKind> = BTreeMap::new();
        let below = |other: &Path| -> Option<(OsString, bool)> {
            let rest = other.strip_prefix(path).ok()?;
            let mut parts = rest.components();
            let first = parts.next()?.as_os_str().to_os_string();
            Some((first, parts.next().is_some()))
        };
        for dir in &state.dirs {
            if let Some((name, _)) = below(dir) {
                children.insert(name, FileKind::Dir);
            }
        }
        for file in state.files.keys() {
            if let Some((name, deeper)) = below(file) {
                let kind = if deeper {
                    FileKind::Dir
                } else {
                    FileKind::File
                };
                children.insert(name, kind);
            }
        }
        Ok(children
            .into_iter()
            .map(|(name, kind)| DirEntry { name, kind })
            .collect())
    }

    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        let mut state = self.lock();
        let mut current = Some(path);
        while let Some(dir) = current {
            if state.files.contains_key(dir) {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} is a file, not a directory", dir.display()),
                ));
            }
            if dir.parent().is_some() {
                state.dirs.insert(dir.to_path_buf());
            }
            current = dir.parent();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_imply_their_directories_and_list_once() {
        let fs = MemoryFs::with_files(
            Path::new("/p"),
            [("src/a.rs", "a"), ("src/b.rs", "b"), ("README.md", "r")],
        )
        .unwrap();
        assert_eq!(
            fs.metadata(Path::new("/p/src")).unwrap().kind,
            FileKind::Dir
        );
        let names: Vec<_> = fs
            .read_dir(Path::new("/p"))
            .unwrap()
            .into_iter()
            .map(|e| (e.name.into_string().unwrap(), e.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("README.md".to_string(), FileKind::File),
                ("src".to_string(), FileKind::Dir)
            ]
        );
        assert_eq!(fs.read(Path::new("/p/src/a.rs")).unwrap(), b"a");
    }

    #[test]
    fn a_missing_file_is_not_found_and_a_directory_is_not_read() {
        let fs = MemoryFs::with_files(Path::new("/p"), [("d/x", "x")]).unwrap();
        let missing = fs.read(Path::new("/p/nope")).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        assert_eq!(
            fs.read(Path::new("/p/d")).unwrap_err().kind(),
            io::ErrorKind::IsADirectory
        );
        assert!(fs.write(Path::new("/p/d/x/y"), b"").is_err());
    }

    #[test]
    fn every_write_gets_a_later_modification_time() {
        let fs = MemoryFs::new();
        let path = Path::new("/a");
        fs.write(path, b"1").unwrap();
        let first = fs.metadata(path).unwrap().modified;
        fs.write(path, b"2").unwrap();
        assert!(fs.metadata(path).unwrap().modified > first);
        fs.remove_file(path).unwrap();
        assert!(fs.metadata(path).is_err());
    }
}
