//! The `bash` tool: runs a shell command in the project, with a timeout, in
//! its own process group so that it and everything it starts can be killed.
//!
//! A command can change anything, so it runs only once the session's `bash`
//! permission allows it (read-only commands by default; others are asked
//! for). It runs against the disk, where staged edits are not yet written:
//! the output says so when the session has some.

mod output;

use crate::args::parse_args;
use crate::schema::tool_spec;
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::platform::ProcessGroupGuard;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use nix::sys::signal::Signal;
use output::OutputBuffer;
use schemars::JsonSchema;
use serde::Deserialize;
use std::io::{self, PipeReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::unix::pipe;
use tokio::process::{Child, Command};

/// Timeout when the model gives none: 2 minutes, as OpenCode.
const DEFAULT_TIMEOUT_MS: u64 = 120_000;
/// The longest timeout a call may ask for: 10 minutes.
const MAX_TIMEOUT_MS: u64 = 600_000;
/// Characters of output shown to the model.
const MAX_OUTPUT_CHARS: usize = 30_000;
/// How long a timed-out command gets between SIGTERM and SIGKILL.
const KILL_GRACE: Duration = Duration::from_secs(2);
/// How long to keep reading after the shell exits, for output still in the
/// pipe; background processes holding the pipe open are not waited for.
const DRAIN_GRACE: Duration = Duration::from_millis(250);
/// Staged files named in the note after a command's output.
const MAX_STAGED_NAMED: usize = 5;

/// Runs a shell command in the project:
/// `bash {command, timeout, workdir, description}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BashTool;

/// The arguments, as OpenCode names them.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BashArgs {
    /// The command to run
    command: String,
    /// Optional timeout in milliseconds (default 120000, max 600000)
    #[schemars(range(min = 1, max = MAX_TIMEOUT_MS))]
    timeout: Option<u64>,
    /// The directory to run the command in, relative to the project root (default: the root)
    workdir: Option<String>,
    /// What the command does, in 5-10 words, e.g. "Runs the unit tests"
    description: Option<String>,
}

/// How a command ended.
enum Ending {
    /// It exited (or was killed by a signal it did not get from us).
    Exited(ExitStatus),
    /// It ran out of time and its process group was killed.
    TimedOut(Duration),
}

#[async_trait(?Send)]
impl Tool for BashTool {
    fn spec(&self) -> ToolSpec {
        static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
        tool_spec::<BashArgs>("bash", include_str!("descriptions/bash.txt"), &PARAMETERS)
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        let args: BashArgs = parse_args("bash", arguments)?;
        let timeout = match args.timeout {
            Some(0) => {
                return Err(ToolError::InvalidArguments {
                    tool: "bash".to_string(),
                    message: format!(
                        "timeout must be a positive number of milliseconds (at most \
                         {MAX_TIMEOUT_MS}); leave it out for {DEFAULT_TIMEOUT_MS}"
                    ),
                });
            }
            Some(ms) => ms.min(MAX_TIMEOUT_MS),
            None => DEFAULT_TIMEOUT_MS,
        };
        let workspace = Workspace::from_context(ctx)?;
        let workdir = match &args.workdir {
            Some(dir) => workspace.resolve_checked(ctx, dir).await?,
            None => workspace.root().to_path_buf(),
        };
        if !workdir.is_dir() {
            let shown = workspace.relative(&workdir);
            return Err(ToolError::NotFound {
                message: format!("workdir {shown} is not an existing directory of the project"),
                path: shown,
            });
        }
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(ToolError::Failed(
                "bash needs a tokio runtime to run commands, and none is running".to_string(),
            ));
        }
        let description = args
            .description
            .as_deref()
            .map(str::trim)
            .filter(|description| !description.is_empty());
        let asked = match description {
            Some(description) => format!("Run `{}` ({description})", args.command),
            None => format!("Run `{}`", args.command),
        };
        ctx.check_permission("bash", &args.command, &asked).await?;

        let (output, ending) = run(
            &args.command,
            &workdir,
            Duration::from_millis(timeout),
            &workspace,
        )
        .await
        .map_err(|source| ToolError::Io {
            path: workspace.relative(&workdir),
            source,
        })?;
        let title = match description {
            Some(description) => description.to_string(),
            None => args.command.lines().next().unwrap_or_default().to_string(),
        };
        let mut text = report(output, &ending);
        text.push_str(&staged_note(ctx, &workspace));
        Ok(ToolOutput::new(title, text))
    }
}

/// When the session has staged changes: a note that the command saw the
/// disk, where they are not written yet, naming up to
/// [`MAX_STAGED_NAMED`] of them. Empty otherwise.
fn staged_note(ctx: &ToolContext, workspace: &Workspace) -> String {
    let staged = ctx.changes.staged_paths();
    if staged.is_empty() {
        return String::new();
    }
    let mut named: Vec<String> = staged
        .iter()
        .take(MAX_STAGED_NAMED)
        .map(|(path, _)| workspace.relative(path))
        .collect();
    if staged.len() > MAX_STAGED_NAMED {
        named.push(format!("and {} more", staged.len() - MAX_STAGED_NAMED));
    }
    let count = match staged.len() {
        1 => "1 staged file".to_string(),
        many => format!("{many} staged files"),
    };
    format!(
        "\n\nNote: this command ran against the files on disk, where the changes to {count} \
         ({}) are not written yet; they are written once the person approves them.",
        named.join(", ")
    )
}

/// Runs `command` in `workdir` until it exits or `timeout` passes, and
/// returns its combined output (cut if long, the full text saved in
/// `workspace`) and how it ended.
async fn run(
    command: &str,
    workdir: &Path,
    timeout: Duration,
    workspace: &Workspace,
) -> io::Result<(String, Ending)> {
    let (mut child, reader) = spawn_shell(command, workdir)?;
    // Armed from here on: if this future is dropped, the group is killed.
    let group = ProcessGroupGuard::new(child.id());
    let mut reader = pipe::Receiver::from_owned_fd(reader.into())?;
    let mut output = OutputBuffer::new(MAX_OUTPUT_CHARS).saving_full_output_in(workspace.clone());

    let waited = tokio::time::timeout(
        timeout,
        read_until_exit(&mut child, &mut reader, &mut output),
    )
    .await;
    let ending = match waited {
        Ok(status) => Ending::Exited(status?),
        Err(_elapsed) => {
            group.signal(Signal::SIGTERM);
            let _ = tokio::time::timeout(
                KILL_GRACE,
                read_until_exit(&mut child, &mut reader, &mut output),
            )
            .await;
            // Whatever ignored SIGTERM, the shell included.
            group.signal(Signal::SIGKILL);
            let _ = tokio::time::timeout(KILL_GRACE, child.wait()).await;
            Ending::TimedOut(timeout)
        }
    };
    let _ = tokio::time::timeout(DRAIN_GRACE, read_to_end(&mut reader, &mut output)).await;
    group.disarm();
    Ok((output.finish(), ending))
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

/// The text the model sees: the output, then how the command ended.
fn report(output: String, ending: &Ending) -> String {
    let mut text = if output.is_empty() {
        "(no output)".to_string()
    } else {
        output
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    match ending {
        Ending::Exited(status) => match (status.code(), status.signal()) {
            (Some(code), _) => text.push_str(&format!("exit code {code}")),
            (None, Some(signal)) => text.push_str(&format!("killed by signal {signal}")),
            (None, None) => text.push_str("exited without an exit code"),
        },
        Ending::TimedOut(after) => text.push_str(&format!(
            "command timed out after {} ms and was killed, with every process it started; \
             pass a larger timeout (at most {MAX_TIMEOUT_MS} ms) or make the command finish \
             sooner",
            after.as_millis()
        )),
    }
    text
}
