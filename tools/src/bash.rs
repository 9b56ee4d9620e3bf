//! The `bash` tool: runs a shell command in the project, with a timeout, in
//! its own process group so that it and everything it starts can be killed.
//!
//! A command can change anything, so it runs only once the session's `bash`
//! permission allows it (read-only commands by default; others are asked
//! for). It runs against the disk, where staged edits are not yet written:
//! the output says so when the session has some.
//!
//! The tool checks and formats; starting the process is a
//! [`CommandRunner`]'s business: [`BashTool`] uses the native
//! `ProcessRunner` (Unix), and [`HostedBashTool`] takes the runner of the
//! host it runs in (Node's `child_process` in the wasm build, or a
//! browser's refusal).

mod output;
#[cfg(unix)]
mod process;
mod runner;

use crate::args::parse_args;
use crate::schema::tool_spec;
use crate::workspace::Workspace;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
pub use output::OutputBuffer;
#[cfg(unix)]
pub use process::ProcessRunner;
pub use runner::{CommandEnding, CommandRunner, DRAIN_GRACE, KILL_GRACE};
use schemars::JsonSchema;
use serde::Deserialize;
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::Duration;

/// Timeout when the model gives none: 2 minutes, as OpenCode.
const DEFAULT_TIMEOUT_MS: u64 = 120_000;
/// The longest timeout a call may ask for: 10 minutes.
const MAX_TIMEOUT_MS: u64 = 600_000;
/// Characters of output shown to the model.
const MAX_OUTPUT_CHARS: usize = 30_000;
/// Staged files named in the note after a command's output.
const MAX_STAGED_NAMED: usize = 5;

/// Runs a shell command in the project as a native process:
/// `bash {command, timeout, workdir, description}`.
#[cfg(unix)]
#[derive(Debug, Clone, Copy, Default)]
pub struct BashTool;

/// The bash tool over a host's way of running commands (Node's
/// `child_process` in the wasm build): the same arguments, checks,
/// permission and output as `BashTool`, which is this tool over the
/// native `ProcessRunner`.
#[derive(Debug, Clone)]
pub struct HostedBashTool {
    runner: Rc<dyn CommandRunner>,
}

impl HostedBashTool {
    /// The bash tool running its commands through `runner`.
    pub fn new(runner: Rc<dyn CommandRunner>) -> Self {
        Self { runner }
    }
}

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

#[cfg(unix)]
#[async_trait(?Send)]
impl Tool for BashTool {
    fn spec(&self) -> ToolSpec {
        bash_spec()
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        call_bash(&ProcessRunner, arguments, ctx).await
    }
}

#[async_trait(?Send)]
impl Tool for HostedBashTool {
    fn spec(&self) -> ToolSpec {
        bash_spec()
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        call_bash(self.runner.as_ref(), arguments, ctx).await
    }
}

/// The spec every bash tool shows the model.
fn bash_spec() -> ToolSpec {
    static PARAMETERS: OnceLock<serde_json::Value> = OnceLock::new();
    tool_spec::<BashArgs>("bash", include_str!("descriptions/bash.txt"), &PARAMETERS)
}

/// One bash call: checks the arguments, the workdir and the permission,
/// runs the command through `runner` and reports its output and ending.
async fn call_bash(
    runner: &dyn CommandRunner,
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
    if let Some(reason) = runner.unavailable() {
        return Err(ToolError::Failed(reason));
    }
    let workspace = Workspace::from_context(ctx)?;
    let workdir = match &args.workdir {
        Some(dir) => workspace.resolve_checked(ctx, dir).await?,
        None => workspace.root().to_path_buf(),
    };
    if !ctx.disk().is_dir(&workdir) {
        let shown = workspace.relative(&workdir);
        return Err(ToolError::NotFound {
            message: format!("workdir {shown} is not an existing directory of the project"),
            path: shown,
        });
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

    let mut output = OutputBuffer::new(MAX_OUTPUT_CHARS).saving_full_output_in(workspace.clone());
    let ending = runner
        .run(
            &args.command,
            &workdir,
            Duration::from_millis(timeout),
            &mut output,
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
    let mut text = report(output.finish(), &ending);
    text.push_str(&staged_note(ctx, &workspace));
    Ok(ToolOutput::new(title, text))
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

/// The text the model sees: the output, then how the command ended.
fn report(output: String, ending: &CommandEnding) -> String {
    let mut text = if output.is_empty() {
        "(no output)".to_string()
    } else {
        output
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    match ending {
        CommandEnding::Exited { code, signal } => match (code, signal) {
            (Some(code), _) => text.push_str(&format!("exit code {code}")),
            (None, Some(signal)) => text.push_str(&format!("killed by signal {signal}")),
            (None, None) => text.push_str("exited without an exit code"),
        },
        CommandEnding::TimedOut(after) => text.push_str(&format!(
            "command timed out after {} ms and was killed, with every process it started; \
             pass a larger timeout (at most {MAX_TIMEOUT_MS} ms) or make the command finish \
             sooner",
            after.as_millis()
        )),
    }
    text
}
