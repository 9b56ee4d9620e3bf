//! File-system helpers shared by the tools, the change set and the stores:
//! everything that writes a user's file goes through [`write_atomically`].

mod atomic_write;

pub use atomic_write::{write_atomically, write_atomically_private, write_atomically_unsynced};
