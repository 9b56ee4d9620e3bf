//! [`CommandRunner`]: how the bash tool starts a command on the platform it
//! runs on. Natively that is [`super::ProcessRunner`] (tokio's processes);
//! in WebAssembly under Node the wasm crate supplies one over Node's
//! `child_process`; a browser has none and says so through
//! [`CommandRunner::unavailable`].

use super::output::OutputBuffer;
use async_trait::async_trait;
use std::fmt::Debug;
use std::io;
use std::path::Path;
use std::time::Duration;

/// How long a timed-out command gets between SIGTERM and SIGKILL.
pub const KILL_GRACE: Duration = Duration::from_secs(2);

/// How long to keep reading after the shell exits, for output still in the
/// pipe; background processes holding the pipe open are not waited for.
pub const DRAIN_GRACE: Duration = Duration::from_millis(250);

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandEnding {
    /// It exited, or was killed by a signal it did not get from the runner.
    Exited {
        /// Its exit code, when it exited on its own.
        code: Option<i32>,
        /// The number of the signal that killed it, when one did.
        signal: Option<i32>,
    },
    /// It ran out of time and its process group was killed.
    TimedOut(Duration),
}

/// Starts the bash tool's commands. The tool checks the arguments, the
/// workdir and the permission, then hands the command to its runner and
/// formats what comes back, so every runner's output reads the same to
/// the model.
#[async_trait(?Send)]
pub trait CommandRunner: Debug {
    /// Runs `command` under `bash -c` (`sh -c` where there is no bash) in
    /// `workdir`, in a process group of its own, with no standard input.
    /// Its stdout and stderr go into `output` as they arrive, in the order
    /// they were written. When `timeout` passes, the group gets SIGTERM,
    /// then SIGKILL after [`KILL_GRACE`]. After the shell exits, output is
    /// read for at most [`DRAIN_GRACE`] more. An error means the command
    /// could not be started.
    async fn run(
        &self,
        command: &str,
        workdir: &Path,
        timeout: Duration,
        output: &mut OutputBuffer,
    ) -> io::Result<CommandEnding>;

    /// Why commands cannot run here at all (a browser has no processes), in
    /// words for the model; the tool refuses every call with it before
    /// asking any permission. Default: `None`, commands can run.
    fn unavailable(&self) -> Option<String> {
        None
    }
}
