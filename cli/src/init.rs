//! `code-mesh init [path]`: makes a directory a Code Mesh project — a
//! commented `.code-mesh/config.json` with the defaults, the local state
//! ignored by git, and, when asked, a starter `AGENTS.md`.

mod agents_md;
mod gitignore;

use anyhow::{Context, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The config `init` writes: every default, the rest as commented examples.
const DEFAULT_CONFIG: &str = include_str!("init/default_config.jsonc");

/// Arguments of `code-mesh init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The project directory (created if missing); default: the current one.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Overwrite an existing `.code-mesh/config.json`.
    #[arg(long)]
    pub force: bool,

    /// Write a starter AGENTS.md describing the project's layout (found by
    /// a quick look at its files; no model is asked), unless one exists.
    /// Without the flag it is offered on a terminal.
    #[arg(long)]
    pub agents_md: bool,
}

/// Sets up the project and says what was done on stdout.
pub fn init(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let root = match &args.path {
        Some(path) => path.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    std::fs::create_dir_all(&root)
        .with_context(|| format!("cannot create the directory {}", root.display()))?;
    let mut out = std::io::stdout().lock();

    write_config(&root, args.force)?;
    writeln!(
        out,
        "wrote .code-mesh/config.json (the defaults, commented)"
    )?;

    let added = gitignore::ignore_local_state(&root)?;
    if added.is_empty() {
        writeln!(out, ".gitignore already ignores Code Mesh's local state")?;
    }
    for entry in added {
        writeln!(out, "added {entry} to .gitignore")?;
    }

    let agents = root.join("AGENTS.md");
    if agents.exists() {
        writeln!(out, "AGENTS.md exists; left as it is")?;
    } else if args.agents_md || offer_agents_md()? {
        std::fs::write(&agents, agents_md::starter(&root)?)
            .with_context(|| format!("cannot write {}", agents.display()))?;
        writeln!(
            out,
            "wrote AGENTS.md: a starter describing the project; edit it to say how to build and test"
        )?;
    } else {
        writeln!(
            out,
            "no AGENTS.md written: `code-mesh init --agents-md` writes a starter one"
        )?;
    }
    tracing::info!(root = %root.display(), "project initialised");
    Ok(ExitCode::SUCCESS)
}

/// Writes the default config, refusing to replace one unless `force`.
fn write_config(root: &Path, force: bool) -> anyhow::Result<()> {
    let dir = root.join(".code-mesh");
    let path = dir.join("config.json");
    if path.exists() && !force {
        bail!(
            "{} already exists; nothing was changed (--force overwrites it with the defaults)",
            path.display()
        );
    }
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    std::fs::write(&path, DEFAULT_CONFIG)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Asks on a terminal whether to write AGENTS.md; `false` without one.
fn offer_agents_md() -> anyhow::Result<bool> {
    if !crate::prompt::interactive() {
        return Ok(false);
    }
    let mut err = std::io::stderr();
    write!(
        err,
        "Write a starter AGENTS.md (the instructions agents read)? [y/N] "
    )?;
    err.flush()?;
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read the answer from the terminal")?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "Yes"))
}

#[cfg(test)]
mod tests {
    use super::DEFAULT_CONFIG;
    use code_mesh_runtime::config::{Config, strip_jsonc};

    #[test]
    fn the_default_config_reads_as_the_defaults() {
        let config: Config = serde_json::from_str(&strip_jsonc(DEFAULT_CONFIG)).unwrap();
        assert_eq!(config, Config::default());
    }
}
