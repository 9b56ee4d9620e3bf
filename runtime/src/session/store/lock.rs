//! [`ProjectLock`]: one writer per project's sessions.

use super::SessionStoreError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The name of the lock file in a project's sessions directory.
const LOCK_FILE: &str = "lock";

/// Held while a process writes a project's sessions (a `run`, an `apply`):
/// the file `<sessions dir>/lock` holding the owner's pid, created only if
/// absent, so a second process in the same project is refused instead of
/// interleaving records. A lock whose process is gone (a crash, `kill -9`)
/// is taken over. Released when dropped.
#[derive(Debug)]
pub struct ProjectLock {
    path: PathBuf,
}

impl ProjectLock {
    /// Takes the lock of the sessions directory `dir`, creating it.
    /// [`SessionStoreError::Locked`] names the live process holding it.
    pub fn acquire(dir: &Path) -> Result<Self, SessionStoreError> {
        std::fs::create_dir_all(dir).map_err(SessionStoreError::io(dir))?;
        let path = dir.join(LOCK_FILE);
        let pid = std::process::id();
        // Twice at most: once more after removing a dead process's lock.
        for _ in 0..2 {
            match std::fs::File::create_new(&path) {
                Ok(mut file) => {
                    // Written and flushed before anyone else can read it
                    // half-written: a reader seeing no pid waits its turn.
                    file.write_all(format!("{pid}\n").as_bytes())
                        .and_then(|()| file.flush())
                        .map_err(SessionStoreError::io(&path))?;
                    return Ok(Self { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|text| text.trim().parse::<u32>().ok());
                    match holder {
                        Some(holder) if holder != pid && alive(holder) => {
                            return Err(SessionStoreError::Locked { pid: holder, path });
                        }
                        // Dead, ours, or unreadable (a writer killed between
                        // creating and writing it): stale.
                        _ => match std::fs::remove_file(&path) {
                            Ok(()) => {}
                            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                            Err(e) => return Err(SessionStoreError::io(&path)(e)),
                        },
                    }
                }
                Err(e) => return Err(SessionStoreError::io(&path)(e)),
            }
        }
        Err(SessionStoreError::io(&path)(std::io::Error::other(
            "another process keeps taking the lock",
        )))
    }

    /// The pid of the live process holding the lock of the sessions
    /// directory `dir`, if one does; only reads (for `code-mesh status`).
    pub fn holder(dir: &Path) -> Option<u32> {
        let text = std::fs::read_to_string(dir.join(LOCK_FILE)).ok()?;
        let pid = text.trim().parse::<u32>().ok()?;
        alive(pid).then_some(pid)
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        // Only our own lock: a process that took over a lock it thought
        // stale must not lose it to us.
        let ours = std::fs::read_to_string(&self.path)
            .is_ok_and(|text| text.trim() == std::process::id().to_string());
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Whether process `pid` is running: `kill(pid, 0)` succeeds, or fails
/// only for lack of permission (another user's process).
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    use nix::errno::Errno;
    use nix::sys::signal::kill;
    use nix::unistd::Pid;
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    if raw <= 0 {
        return false;
    }
    matches!(kill(Pid::from_raw(raw), None), Ok(()) | Err(Errno::EPERM))
}

/// Without a way to ask, a lock is taken to be held.
#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_live_holder_is_named_and_a_dead_ones_lock_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        // A live process that is not us: our parent.
        let parent = std::os::unix::process::parent_id();
        std::fs::write(dir.path().join(LOCK_FILE), format!("{parent}\n")).unwrap();
        let error = ProjectLock::acquire(dir.path()).unwrap_err();
        assert!(
            matches!(error, SessionStoreError::Locked { pid, .. } if pid == parent),
            "{error}"
        );
        assert!(error.to_string().contains(&format!("pid {parent}")));

        // A pid no process has (beyond the default pid_max).
        std::fs::write(dir.path().join(LOCK_FILE), "4194305\n").unwrap();
        let lock = ProjectLock::acquire(dir.path()).unwrap();
        let text = std::fs::read_to_string(lock.path()).unwrap();
        assert_eq!(text.trim(), std::process::id().to_string());
        drop(lock);
        assert!(!dir.path().join(LOCK_FILE).exists());
    }

    #[test]
    fn holder_names_a_live_process_only() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(ProjectLock::holder(dir.path()), None);
        let lock = ProjectLock::acquire(dir.path()).unwrap();
        assert_eq!(ProjectLock::holder(dir.path()), Some(std::process::id()));
        drop(lock);
        std::fs::write(dir.path().join(LOCK_FILE), "4194305\n").unwrap();
        assert_eq!(ProjectLock::holder(dir.path()), None);
    }
}
