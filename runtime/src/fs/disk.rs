//! [`Disk`]: the shared handle to the [`FileSystem`] a session's project
//! lives on, with the questions tools ask of it most (does it exist, is it
//! a directory, read it if it is there).

use super::file_system::{FileKind, FileSystem, Metadata};
use super::native::NativeFs;
use std::io;
use std::path::Path;
use std::sync::Arc;

/// The file system a session works on, cheap to clone. The default is the
/// machine's disk ([`NativeFs`]).
#[derive(Debug, Clone)]
pub struct Disk(Arc<dyn FileSystem>);

impl Default for Disk {
    fn default() -> Self {
        Self::new(NativeFs)
    }
}

impl Disk {
    /// The handle to `fs`.
    pub fn new(fs: impl FileSystem + 'static) -> Self {
        Self(Arc::new(fs))
    }

    /// The handle to a shared `fs` (the host keeps its own `Arc`, to show
    /// the project's files, say).
    pub fn shared(fs: Arc<dyn FileSystem>) -> Self {
        Self(fs)
    }

    /// The file's bytes, `None` if it does not exist.
    pub fn read_if_exists(&self, path: &Path) -> io::Result<Option<Vec<u8>>> {
        match self.0.read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// What `path` names following symlinks (as `std::fs::metadata` does),
    /// `None` when it (or a link's target) does not exist.
    pub fn metadata_followed(&self, path: &Path) -> Option<Metadata> {
        let mut current = path.to_path_buf();
        // As Linux's ELOOP limit: a longer chain is a loop.
        for _ in 0..40 {
            let meta = self.0.metadata(&current).ok()?;
            if meta.kind != FileKind::Symlink {
                return Some(meta);
            }
            let target = self.0.read_link(&current).ok()?;
            current = match current.parent() {
                Some(dir) => dir.join(target),
                None => target,
            };
        }
        None
    }

    /// Whether `path` exists (following symlinks).
    pub fn exists(&self, path: &Path) -> bool {
        self.metadata_followed(path).is_some()
    }

    /// Whether `path` is a directory (following symlinks).
    pub fn is_dir(&self, path: &Path) -> bool {
        self.metadata_followed(path)
            .is_some_and(|meta| meta.kind == FileKind::Dir)
    }

    /// Whether `path` is a regular file (following symlinks).
    pub fn is_file(&self, path: &Path) -> bool {
        self.metadata_followed(path)
            .is_some_and(|meta| meta.kind == FileKind::File)
    }

    /// Makes `path` hold `content` atomically, or removes it when `content`
    /// is `None` (a file already gone counts as removed).
    pub fn restore(&self, path: &Path, content: Option<&[u8]>) -> io::Result<()> {
        match content {
            Some(bytes) => self.0.write(path, bytes),
            None => match self.0.remove_file(path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
        }
    }
}

impl std::ops::Deref for Disk {
    type Target = dyn FileSystem;

    fn deref(&self) -> &Self::Target {
        self.0.as_ref()
    }
}
