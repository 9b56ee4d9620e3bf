//! The built-in tools against real temporary projects (and, for bash, real
//! processes). One test binary, one module per tool.

// Test code: a failed expectation should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod apply_patch;
#[cfg(unix)]
mod bash;
mod disk_walk;
mod edit;
mod glob;
mod grep;
mod list;
mod memory_fs;
mod multiedit;
mod permissions;
mod read;
mod registry;
mod remember;
mod staged;
mod todo;
mod truncate;
mod webfetch;
mod workspace;
mod write;
