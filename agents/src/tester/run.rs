//! Running a test command: `sh -c` in a directory, its output (stdout and
//! stderr interleaved) captured in a file, under a timeout, in its own
//! process group so that it and everything it starts is killed when time
//! runs out or the task is cancelled.
//!
//! The group guard is the platform layer's, as the bash tool's is; the
//! output goes to a file rather than a pipe so that a background process
//! holding the pipe open cannot keep the run from ending.

#[cfg(unix)]
use code_mesh_runtime::platform::ProcessGroupGuard;
use std::ffi::OsString;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

/// The most bytes of output kept, from the end.
const MAX_OUTPUT_BYTES: usize = 60_000;

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RunOutcome {
    /// Whether it exited with status 0 in time.
    pub success: bool,
    /// How it ended, in words: `exit status 1`, `timed out after 600s`.
    pub outcome: String,
    /// The end of its output.
    pub output: String,
}

/// Runs `command` with `sh -c` in `dir`, with `env` added, for at most
/// `timeout`. An error means it could not be started.
pub(crate) async fn run_command(
    command: &str,
    dir: &Path,
    env: &[(OsString, OsString)],
    timeout: Duration,
) -> std::io::Result<RunOutcome> {
    let log_file = tempfile::NamedTempFile::new()?;
    let log = log_file.as_file();
    let mut cmd = tokio::process::Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log.try_clone()?)
        .kill_on_drop(true);
    #[cfg(unix)]
    cmd.process_group(0);
    let mut child = cmd.spawn()?;
    // Dropped (at a timeout, a cancel or the end), it kills the whole group;
    // elsewhere `kill_on_drop` kills the shell alone.
    #[cfg(unix)]
    let group = ProcessGroupGuard::new(child.id());
    let (success, outcome) = match tokio::time::timeout(timeout, child.wait()).await {
        Ok(status) => {
            let status = status?;
            (status.success(), status.to_string())
        }
        Err(_) => {
            #[cfg(unix)]
            drop(group);
            let _ = child.wait().await;
            (false, format!("timed out after {}s", timeout.as_secs()))
        }
    };
    let bytes = std::fs::read(log_file.path())?;
    let start = bytes.len().saturating_sub(MAX_OUTPUT_BYTES);
    let output = String::from_utf8_lossy(bytes.get(start..).unwrap_or_default()).into_owned();
    Ok(RunOutcome {
        success,
        outcome,
        output,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[actix::test]
    async fn output_and_exit_status_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let env = [(OsString::from("GREETING"), OsString::from("hi"))];
        let run = run_command(
            "echo $GREETING; echo oops >&2; exit 3",
            dir.path(),
            &env,
            Duration::from_secs(10),
        )
        .await
        .unwrap();
        assert!(!run.success);
        assert_eq!(run.outcome, "exit status: 3");
        assert_eq!(run.output, "hi\noops\n");
        let ok = run_command("true", dir.path(), &[], Duration::from_secs(10))
            .await
            .unwrap();
        assert!(ok.success);
    }

    #[actix::test]
    async fn a_command_out_of_time_is_killed_with_its_children() {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let run = run_command(
            "sleep 30 & echo started; sleep 30",
            dir.path(),
            &[],
            Duration::from_millis(300),
        )
        .await
        .unwrap();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(!run.success);
        assert!(run.outcome.starts_with("timed out"), "{}", run.outcome);
        assert_eq!(run.output, "started\n");
    }
}
