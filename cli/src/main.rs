//! The `code-mesh` binary: parses the command line, sends ops to the
//! Supervisor and renders the events that come back. It holds no logic of its
//! own beyond wiring and presentation.

mod args;
mod auth;
mod changes;
mod completions;
mod exit_code;
mod history_log;
mod init;
mod interrupt;
mod launch;
mod logging;
mod models;
mod project;
mod prompt;
mod repl;
mod run;
mod session;
mod sessions;
mod setup;
mod status;
mod time;
mod upgrade;

use clap::Parser;
use code_mesh_cli::change_command::ChangeCommand;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    logging::init(cli.print_logs, cli.log_level);
    tracing::debug!(command = ?cli.command, "starting");
    let result = match cli.command {
        None => repl::repl(cli.model),
        Some(args::Command::Run(run_args)) => run::run(run_args),
        Some(args::Command::Auth(command)) => auth::auth(command),
        Some(args::Command::Models(models_args)) => models::models(models_args),
        Some(args::Command::Diff(session)) => changes::run(ChangeCommand::Diff, session),
        Some(args::Command::Apply(session)) => changes::run(ChangeCommand::Apply, session),
        Some(args::Command::Reject(session)) => changes::run(ChangeCommand::Reject, session),
        Some(args::Command::Undo(session)) => changes::run(ChangeCommand::Undo, session),
        Some(args::Command::Sessions(command)) => sessions::sessions(command),
        Some(args::Command::Init(init_args)) => init::init(&init_args),
        Some(args::Command::Status) => status::status(),
        Some(args::Command::Upgrade) => upgrade::upgrade(),
        Some(args::Command::Completions(shell)) => completions::completions(&shell),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // One line a person can act on; the chain adds the cause when there is one.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
