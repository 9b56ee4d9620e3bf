//! `code-mesh completions <shell>`: a completion script for the shell, on
//! stdout, generated from the command line's own definition.

use crate::args::Cli;
use anyhow::Context;
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;
use std::process::ExitCode;

/// Arguments of `code-mesh completions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Install, for example:
  bash:  code-mesh completions bash > ~/.local/share/bash-completion/completions/code-mesh
  zsh:   code-mesh completions zsh > ~/.zfunc/_code-mesh   (with fpath+=~/.zfunc before compinit)
  fish:  code-mesh completions fish > ~/.config/fish/completions/code-mesh.fish")]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// Prints the completion script for `args.shell`.
pub fn completions(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    // Into memory first: clap_complete panics when its writer fails (a
    // closed pipe); stdout's error is ours to report.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "code-mesh", &mut script);
    std::io::stdout()
        .lock()
        .write_all(&script)
        .context("cannot write the completion script")?;
    Ok(ExitCode::SUCCESS)
}
