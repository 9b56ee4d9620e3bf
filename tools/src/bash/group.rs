//! The process group a command runs in, killed as a whole.

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// A command's process group (the shell and everything it starts). Dropping
/// the guard kills the group, so a cancelled tool call leaves no process
/// behind; [`disarm`](Self::disarm) it once the command has been waited for.
pub(super) struct ProcessGroupGuard {
    /// The group's id (the shell's pid), or `None` once disarmed.
    group: Option<Pid>,
}

impl ProcessGroupGuard {
    /// Guards the group led by the process `leader` (spawned with
    /// `process_group(0)`, so the group id is its pid).
    pub(super) fn new(leader: Option<u32>) -> Self {
        let group = leader
            .and_then(|pid| i32::try_from(pid).ok())
            .map(Pid::from_raw);
        Self { group }
    }

    /// Sends `signal` to every process of the group. A group that is already
    /// gone is not an error.
    pub(super) fn signal(&self, signal: Signal) {
        if let Some(group) = self.group {
            let _ = killpg(group, signal);
        }
    }

    /// Leaves the group alone from now on: the command finished, and
    /// whatever it started in the background may go on.
    pub(super) fn disarm(mut self) {
        self.group = None;
    }
}

impl Drop for ProcessGroupGuard {
    fn drop(&mut self) {
        self.signal(Signal::SIGKILL);
    }
}
