//! `code-mesh upgrade`: the installed version and how to get a newer one.
//! It asks no server: each way of installing has its own upgrade command,
//! and the one that installed this binary is the one to use.

use std::io::Write;
use std::process::ExitCode;

/// The version built into this binary.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where the sources are, for `cargo install --git`.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// Prints the version and the upgrade commands.
pub fn upgrade() -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "code-mesh {VERSION} is installed at {}", location())?;
    writeln!(out)?;
    writeln!(out, "To upgrade, use the way you installed it:")?;
    writeln!(
        out,
        "  from a checkout:  git pull && cargo install --locked --path cli"
    )?;
    writeln!(
        out,
        "  from git:         cargo install --locked --git {REPOSITORY} code-mesh-cli"
    )?;
    writeln!(out, "  with npm:         npm i -g code-mesh@latest")?;
    Ok(ExitCode::SUCCESS)
}

/// This executable's path, or a placeholder when the OS will not say.
fn location() -> String {
    std::env::current_exe()
        .map(|path| path.display().to_string())
        .unwrap_or_else(|_| "an unknown path".to_string())
}
