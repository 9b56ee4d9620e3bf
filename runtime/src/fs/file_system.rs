//! [`FileSystem`]: the one door every read and write of a project's files
//! goes through, so the same tools and change set work on the native disk,
//! on Node's `fs` (in WebAssembly) and on an in-memory project (a browser).
//!
//! The calls are synchronous on purpose: the disk, Node's `fs.*Sync`
//! functions and a map in memory all answer at once, and a synchronous
//! door keeps the tools' code the same on every target.

use std::ffi::OsString;
use std::fmt::Debug;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What kind of thing a path names (symlinks are not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link (whatever it points to).
    Symlink,
    /// Anything else: a socket, a device, a FIFO.
    Other,
}

/// What [`FileSystem::metadata`] tells about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    /// What the path names, the link itself for a symlink.
    pub kind: FileKind,
    /// Its size in bytes.
    pub len: u64,
    /// When it was last modified, if the file system says.
    pub modified: Option<SystemTime>,
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's name inside its directory.
    pub name: OsString,
    /// What it is (symlinks not followed).
    pub kind: FileKind,
}

/// A file system a project lives on. Paths are absolute. Implementations:
/// [`NativeFs`](super::NativeFs) (the disk, through `std::fs`),
/// [`MemoryFs`](super::MemoryFs) (a map in memory), and in the wasm crate
/// Node's `fs`.
pub trait FileSystem: Debug + Send + Sync {
    /// The file's bytes.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;

    /// Makes `path` hold `contents`, atomically (a reader or a crash sees the
    /// old contents or the new, never half), creating missing parent
    /// directories; an existing file keeps its permissions.
    fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()>;

    /// Removes the file (not a directory).
    fn remove_file(&self, path: &Path) -> io::Result<()>;

    /// What `path` names, without following a final symlink.
    fn metadata(&self, path: &Path) -> io::Result<Metadata>;

    /// Where the symlink at `path` points, as written in the link.
    fn read_link(&self, path: &Path) -> io::Result<PathBuf>;

    /// The directory's entries, in no particular order (`.` and `..` left out).
    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>>;

    /// Creates the directory and any missing parents.
    fn create_dir_all(&self, path: &Path) -> io::Result<()>;

    /// Whether this is the machine's own disk, so `std::fs` sees the same
    /// files: tools then take their fast native paths (ripgrep's parallel
    /// walker, memory-mapped search, reading at an offset).
    fn is_native(&self) -> bool {
        false
    }
}
