//! A child process's process group, killed as a whole (Unix only).
//!
//! A command run through `sh -c` may start processes of its own; killing the
//! shell alone leaves them running. Spawned with `process_group(0)`, the
//! shell leads a group of its own, and this guard signals that whole group.
//! The bash tool and the tester both run commands this way.

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// A command's process group (the shell and everything it starts). Dropping
/// the guard kills the group with SIGKILL, so a cancelled or timed-out run
/// leaves no process behind; [`disarm`](Self::disarm) it to leave the group
/// alone.
#[derive(Debug)]
pub struct ProcessGroupGuard {
    /// The group's id (the leader's pid), or `None` once disarmed.
    group: Option<Pid>,
}

impl ProcessGroupGuard {
    /// Guards the group led by the process `leader` (spawned with
    /// `process_group(0)`, so the group id is its pid). `None`, or a pid out
    /// of range, guards nothing.
    pub fn new(leader: Option<u32>) -> Self {
        let group = leader
            .and_then(|pid| i32::try_from(pid).ok())
            .map(Pid::from_raw);
        Self { group }
    }

    /// Sends `signal` (SIGTERM to ask, say) to every process of the group.
    /// A group that is already gone is not an error.
    pub fn signal(&self, signal: Signal) {
        if let Some(group) = self.group {
            let _ = killpg(group, signal);
        }
    }

    /// Leaves the group alone from now on: the command finished, and
    /// whatever it started in the background may go on.
    pub fn disarm(mut self) {
        self.group = None;
    }
}

impl Drop for ProcessGroupGuard {
    fn drop(&mut self) {
        self.signal(Signal::SIGKILL);
    }
}
