//! What the process's exit code says, for scripts that run `code-mesh`.

use std::process::ExitCode;

/// The turn was cancelled, or the person pressed Ctrl-C (128 + SIGINT, as
/// shells report a process interrupted).
pub const CANCELLED: u8 = 130;

/// The exit codes, as `code-mesh --help` lists them. 2 is clap's own code
/// for a command line it cannot parse.
pub const HELP: &str = "\
Exit codes:
  0    success
  1    the request failed, or another error (the message says which)
  2    usage error: an unknown command, flag or value
  130  cancelled: the turn was cancelled, or interrupted with Ctrl-C";

/// The exit code of a cancelled run.
pub fn cancelled() -> ExitCode {
    ExitCode::from(CANCELLED)
}
