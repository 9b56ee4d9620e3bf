//! What the commands that read settings start from: Code Mesh's own
//! directories and the config.

use anyhow::Context;
use code_mesh_runtime::config::{Config, Paths, find_project_root};

/// Code Mesh's directories and the merged config.
pub struct Setup {
    /// Where the global config and `auth.json` live.
    pub paths: Paths,
    /// The global config with the project's (the nearest directory at or
    /// above the current one holding `.code-mesh/` or `.git`) over it.
    pub config: Config,
}

impl Setup {
    /// Reads it all from the current directory and the environment.
    pub fn load() -> anyhow::Result<Self> {
        let paths = Paths::from_env(|name| std::env::var(name).ok())?;
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let root = find_project_root(&cwd);
        let config = Config::load(
            &paths.global_config(),
            &root.join(".code-mesh").join("config.json"),
        )?;
        Ok(Self { paths, config })
    }
}
