//! File-system helpers shared by the tools, the change set and the stores:
//! everything that writes a user's file goes through [`write_atomically`],
//! and everything a session reads or writes in a project goes through its
//! [`Disk`], a [`FileSystem`] that is the machine's disk natively and Node's
//! `fs` or an in-memory project in WebAssembly.

mod atomic_write;
mod disk;
mod file_system;
mod memory;
mod native;

pub use atomic_write::{write_atomically, write_atomically_private, write_atomically_unsynced};
pub use disk::Disk;
pub use file_system::{DirEntry, FileKind, FileSystem, Metadata};
pub use memory::MemoryFs;
pub use native::NativeFs;
