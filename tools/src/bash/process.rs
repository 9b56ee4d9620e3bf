//! [`ProcessRunner`]: the bash tool's commands as native processes, through
//! tokio, each in a process group of its own so that it and everything it
//! starts can be killed (Unix).

use super::output::OutputBuffer;
use super::runner::{CommandEnding, CommandRunner, DRAIN_GRACE, KILL_GRACE};
use async_trait::async_trait;
use code_mesh_runtime::platform::ProcessGroupGuard;
use nix::sys::signal::Signal;
use std::io::{self, PipeReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::unix::pipe;
use tokio::process::{Child, Command};

/// Runs commands as child processes of this one. Needs a tokio runtime
/// (the actix `System` provides one); without it the bash tool refuses.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessRunner;

#[async_trait(?Send)]
impl CommandRunner for ProcessRunner {
    async fn run(
        &self,
        command: &str,
        workdir: &Path,
        timeout: Duration,
        output: &mut OutputBuffer,
    ) -> io::Result<CommandEnding> {
        let (mut child, reader) = spawn_shell(command, workdir)?;
        // Armed from here on: if this future is dropped, the group is killed.
        let group = ProcessGroupGuard::new(child.id());
        let mut reader = pipe::Receiver::from_owned_fd(reader.into())?;

        let waited =
            tokio::time::timeout(timeout, read_until_exit(&mut child, &mut reader, output)).await;
        let ending = match waited {
            Ok(status) => ending_of(status?),
            Err(_elapsed) => {
                group.signal(Signal::SIGTERM);
                let _ = tokio::time::timeout(
                    KILL_GRACE,
                    read_until_exit(&mut child, &mut reader, output),
                )
                .await;
                // Whatever ignored SIGTERM, the shell included.
                group.signal(Signal::SIGKILL);
                let _ = tokio::time::timeout(KILL_GRACE, child.wait()).await;
                CommandEnding::TimedOut(timeout)
            }
        };
        let _ = tokio::time::timeout(DRAIN_GRACE, read_to_end(&mut reader, output)).await;
        group.disarm();
        Ok(ending)
    }

    fn unavailable(&self) -> Option<String> {
        tokio::runtime::Handle::try_current()
            .is_err()
            .then(|| "bash needs a tokio runtime to run commands, and none is running".to_string())
    }
}

/// The exit code or the signal of `status`.
fn ending_of(status: ExitStatus) -> CommandEnding {
    CommandEnding::Exited {
        code: status.code(),
        signal: status.signal(),
    }
}

/// Starts `command` under `bash -c` (or `sh -c` where there is no bash) in
/// its own process group, stdout and stderr writing into one pipe so their
/// lines arrive in the order they were written. Returns the pipe's read end.
fn spawn_shell(command: &str, workdir: &Path) -> io::Result<(Child, PipeReader)> {
    match spawn_with("bash", command, workdir) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => spawn_with("sh", command, workdir),
        spawned => spawned,
    }
}

/// Starts `command` under `shell -c`; see [`spawn_shell`].
fn spawn_with(shell: &str, command: &str, workdir: &Path) -> io::Result<(Child, PipeReader)> {
    let (reader, writer) = io::pipe()?;
    let mut shell_command = Command::new(shell);
    shell_command
        .arg("-c")
        .arg(command)
        .current_dir(workdir)
        .stdin(Stdio::null())
        .stdout(writer.try_clone()?)
        .stderr(writer)
        .process_group(0);
    let child = shell_command.spawn()?;
    // The command object still holds the pipe's write end; drop it so that
    // the reader sees end-of-file once the command's processes are done.
    drop(shell_command);
    Ok((child, reader))
}

/// Reads output into `output` until the shell exits, and returns its status.
async fn read_until_exit(
    child: &mut Child,
    reader: &mut pipe::Receiver,
    output: &mut OutputBuffer,
) -> io::Result<ExitStatus> {
    let mut buffer = vec![0; 8192];
    let mut open = true;
    loop {
        tokio::select! {
            read = reader.read(&mut buffer), if open => match read {
                Ok(0) | Err(_) => open = false,
                Ok(count) => output.push(buffer.get(..count).unwrap_or_default()),
            },
            status = child.wait() => return status,
        }
    }
}

/// Reads what is left in the pipe until end-of-file.
async fn read_to_end(reader: &mut pipe::Receiver, output: &mut OutputBuffer) {
    let mut buffer = vec![0; 8192];
    while let Ok(count) = reader.read(&mut buffer).await {
        if count == 0 {
            break;
        }
        output.push(buffer.get(..count).unwrap_or_default());
    }
}
