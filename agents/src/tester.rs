//! The Tester: runs the project's test command against the staged changes
//! and answers whether the tests pass. It needs no model.
//!
//! The command is the configured one (`agent.tester.command`) or the one
//! [`detect_test_command`] finds. It runs with `sh -c` in a
//! [`TestWorkspace`] — a scratch copy of the project with the session's
//! staged changes written over it — under a timeout (10 minutes by
//! default), after which its whole process group is killed. The answer is a
//! [`TestReport`] as JSON (the command, passed or not, how it ended and the
//! tail of its output), which the Supervisor reads to decide on a fix round.
//! In WebAssembly there are no processes: the task fails saying so.

#[cfg(not(target_family = "wasm"))]
mod command;
#[cfg(not(target_family = "wasm"))]
mod run;
#[cfg(not(target_family = "wasm"))]
mod workspace;

#[cfg(not(target_family = "wasm"))]
pub use command::detect_test_command;
#[cfg(not(target_family = "wasm"))]
pub use workspace::TestWorkspace;

use async_trait::async_trait;
use code_mesh_runtime::config::AgentSettings;
use code_mesh_runtime::role::{AgentContext, Role, RoleError, Task};
use std::time::Duration;

/// How long a test command may run when the config says nothing: 10 minutes.
pub const DEFAULT_TEST_TIMEOUT: Duration = Duration::from_secs(600);

/// Lines of output kept in the report.
#[cfg(not(target_family = "wasm"))]
const REPORT_TAIL_LINES: usize = 200;

/// Runs the project's tests against the staged changes.
#[derive(Debug, Clone)]
pub struct Tester {
    command: Option<String>,
    timeout: Duration,
}

impl Default for Tester {
    fn default() -> Self {
        Self {
            command: None,
            timeout: DEFAULT_TEST_TIMEOUT,
        }
    }
}

impl Tester {
    /// A tester with the command and timeout of the config's
    /// `agent.tester` (`command`, `timeout` in milliseconds); unset ones
    /// keep the defaults (detected command, 10 minutes).
    pub fn from_settings(settings: &AgentSettings) -> Self {
        Self {
            command: settings.command.clone(),
            timeout: settings
                .timeout
                .map_or(DEFAULT_TEST_TIMEOUT, Duration::from_millis),
        }
    }

    /// Runs `command` (with `sh -c`) instead of detecting one.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = Some(command.into());
        self
    }

    /// Kills the command after `timeout` instead of 10 minutes.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

#[async_trait(?Send)]
impl Role for Tester {
    #[cfg(not(target_family = "wasm"))]
    async fn run(&self, task: Task, ctx: AgentContext) -> Result<String, RoleError> {
        native::run_tests(self, &task, &ctx).await
    }

    #[cfg(target_family = "wasm")]
    async fn run(&self, _task: Task, _ctx: AgentContext) -> Result<String, RoleError> {
        Err(RoleError::Stopped(format!(
            "the tester cannot run commands in WebAssembly (no processes); \
             run the tests natively{}",
            self.command
                .as_deref()
                .map(|c| format!(": `{c}`"))
                .unwrap_or_default()
        )))
    }
}

#[cfg(not(target_family = "wasm"))]
mod native {
    use super::run::run_command;
    use super::{REPORT_TAIL_LINES, TestWorkspace, Tester, detect_test_command};
    use code_mesh_runtime::protocol::{Event, TestReport};
    use code_mesh_runtime::role::{AgentContext, RoleError, Task};
    use std::ffi::OsString;

    /// Runs the tests in a fresh test workspace and reports them, as tool
    /// call events for the front end and as the task's answer.
    pub(super) async fn run_tests(
        tester: &Tester,
        task: &Task,
        ctx: &AgentContext,
    ) -> Result<String, RoleError> {
        let staged = ctx.changes().staged();
        let root = staged.root().to_path_buf();
        let command = match &tester.command {
            Some(command) => command.clone(),
            None => detect_test_command(&root).ok_or_else(|| {
                RoleError::Stopped(format!(
                    "no test command: none found in {} (Cargo.toml, package.json, go.mod, \
                     pyproject.toml, Makefile …); set `agent.tester.command` in the config",
                    root.display()
                ))
            })?,
        };
        let call_id = format!("test-{}-{}", task.id.0, task.attempt);
        ctx.emit(Event::ToolCallBegin {
            agent: ctx.agent(),
            call_id: call_id.clone(),
            tool: "test".to_string(),
            arguments: serde_json::json!({ "command": command }),
        });
        let result = async {
            let workspace = TestWorkspace::create(&root, &staged).map_err(|e| {
                RoleError::Failed(format!("cannot copy the project to run its tests: {e}"))
            })?;
            let env = [(
                OsString::from("CARGO_TARGET_DIR"),
                workspace.cargo_target_dir().as_os_str().to_os_string(),
            )];
            run_command(&command, workspace.path(), &env, tester.timeout)
                .await
                .map_err(|e| RoleError::Stopped(format!("cannot run `{command}`: {e}")))
        }
        .await;
        let (title, output, is_error) = match &result {
            Ok(run) if run.success => (
                format!("tests passed: {command}"),
                run.output.clone(),
                false,
            ),
            Ok(run) => (
                format!("tests failed: {command} ({})", run.outcome),
                run.output.clone(),
                true,
            ),
            Err(error) => (command.clone(), format!("Error: {error}"), true),
        };
        ctx.emit(Event::ToolCallEnd {
            agent: ctx.agent(),
            call_id,
            tool: "test".to_string(),
            title,
            output,
            is_error,
        });
        let run = result?;
        let report = TestReport {
            command,
            passed: run.success,
            outcome: run.outcome,
            output: last_lines(&run.output, REPORT_TAIL_LINES).to_string(),
        };
        serde_json::to_string(&report)
            .map_err(|e| RoleError::Failed(format!("cannot write the test report: {e}")))
    }

    /// The last `lines` lines of `text`.
    fn last_lines(text: &str, lines: usize) -> &str {
        match text
            .trim_end()
            .rmatch_indices('\n')
            .nth(lines.saturating_sub(1))
        {
            Some((at, _)) => text.get(at + 1..).unwrap_or(text),
            None => text,
        }
    }
}
