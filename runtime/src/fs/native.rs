//! [`NativeFs`]: the machine's disk, through `std::fs`.

use super::file_system::{DirEntry, FileKind, FileSystem, Metadata};
use super::write_atomically;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The machine's own disk. Writes go through [`write_atomically`] (temporary
/// file, flush, rename). In `wasm32-unknown-unknown`, where `std::fs` has no
/// disk, every call fails with [`io::ErrorKind::Unsupported`].
#[derive(Debug, Clone, Copy, Default)]
pub struct NativeFs;

impl FileSystem for NativeFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        fs::read(path)
    }

    fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()> {
        write_atomically(path, contents)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        let meta = fs::symlink_metadata(path)?;
        let kind = meta.file_type();
        Ok(Metadata {
            kind: if kind.is_symlink() {
                FileKind::Symlink
            } else if kind.is_dir() {
                FileKind::Dir
            } else if kind.is_file() {
                FileKind::File
            } else {
                FileKind::Other
            },
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }

    fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
        fs::read_link(path)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let mut entries = Vec::new();
        for entry in fs::read_dir(path)? {
            let entry = entry?;
            let kind = match entry.file_type() {
                Ok(kind) if kind.is_symlink() => FileKind::Symlink,
                Ok(kind) if kind.is_dir() => FileKind::Dir,
                Ok(kind) if kind.is_file() => FileKind::File,
                _ => FileKind::Other,
            };
            entries.push(DirEntry {
                name: entry.file_name(),
                kind,
            });
        }
        Ok(entries)
    }

    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        fs::create_dir_all(path)
    }

    fn is_native(&self) -> bool {
        !cfg!(target_family = "wasm")
    }
}
