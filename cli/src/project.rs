//! The project a command works in, and where its sessions are kept.

use anyhow::Context;
use code_mesh_runtime::config::{Paths, find_project_root, project_id};
use code_mesh_runtime::session::JsonlSessionStore;
use std::path::PathBuf;

/// The project around the current directory and its session store.
pub struct Project {
    /// The project root, by its physical path (the Supervisor names files so).
    pub root: PathBuf,
    /// Code Mesh's own directories.
    pub paths: Paths,
    /// The project's sessions.
    pub store: JsonlSessionStore,
}

impl Project {
    /// The project the current directory is in.
    pub fn current() -> anyhow::Result<Self> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let root = find_project_root(&cwd);
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        let paths = Paths::from_env(|name| std::env::var(name).ok())?;
        let store = JsonlSessionStore::new(&paths.data_dir, &project_id(&root));
        Ok(Self { root, paths, store })
    }
}
