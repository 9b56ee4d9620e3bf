//! What a walk yields ([`Entry`]) and what its filter is shown
//! ([`Candidate`]), the same whichever disk was walked.

use code_mesh_runtime::fs::FileKind;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A file, directory or symlink a walk found (symlinks are not followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    path: PathBuf,
    /// 0 for the walk's root, 1 for its children, and so on.
    depth: usize,
    kind: FileKind,
}

impl Entry {
    /// An entry at `path`, `depth` levels below the walk's root.
    pub(super) fn new(path: PathBuf, depth: usize, kind: FileKind) -> Self {
        Self { path, depth, kind }
    }

    /// Its path: the walk's root joined with the names below it.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Its path, owned.
    pub(crate) fn into_path(self) -> PathBuf {
        self.path
    }

    /// How many levels below the walk's root it lies.
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// Whether it is a regular file (a symlink is not).
    pub(crate) fn is_file(&self) -> bool {
        self.kind == FileKind::File
    }

    /// Whether it is a directory (a symlink to one is not).
    pub(crate) fn is_dir(&self) -> bool {
        self.kind == FileKind::Dir
    }
}

impl From<ignore::DirEntry> for Entry {
    fn from(entry: ignore::DirEntry) -> Self {
        let kind = native_kind(entry.file_type());
        let depth = entry.depth();
        Self::new(entry.into_path(), depth, kind)
    }
}

/// An entry below the root, as a walk's filter sees it before deciding
/// whether to yield it (and descend into it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate<'a> {
    path: &'a Path,
    depth: usize,
    kind: FileKind,
}

impl<'a> Candidate<'a> {
    /// The candidate at `path`, `depth` levels below the root.
    pub(super) fn new(path: &'a Path, depth: usize, kind: FileKind) -> Self {
        Self { path, depth, kind }
    }

    /// The candidate ripgrep's walker shows its filter.
    pub(super) fn of_native(entry: &'a ignore::DirEntry) -> Self {
        Self::new(entry.path(), entry.depth(), native_kind(entry.file_type()))
    }

    /// Its name in its directory.
    pub(crate) fn file_name(&self) -> &OsStr {
        self.path.file_name().unwrap_or(self.path.as_os_str())
    }

    /// How many levels below the walk's root it lies (at least 1).
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// Whether it is a directory (a symlink to one is not).
    pub(crate) fn is_dir(&self) -> bool {
        self.kind == FileKind::Dir
    }
}

/// The kind of a native entry, symlinks not followed.
fn native_kind(file_type: Option<std::fs::FileType>) -> FileKind {
    match file_type {
        Some(kind) if kind.is_symlink() => FileKind::Symlink,
        Some(kind) if kind.is_dir() => FileKind::Dir,
        Some(kind) if kind.is_file() => FileKind::File,
        _ => FileKind::Other,
    }
}
