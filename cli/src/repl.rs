//! `code-mesh` without a command: the interactive mode. A line editor reads
//! requests and slash commands; requests go to the Supervisor as ops and
//! its events are rendered as `run` renders them, with the same approval
//! questions; after a turn that staged changes, the diff is shown and the
//! person applies all, some or none of it. Ctrl-C cancels a running turn;
//! at the prompt, Ctrl-C twice or Ctrl-D leaves.

mod command;
mod editor;
mod review;
mod sessions;

use crate::launch::{Answering, Launch};
use crate::prompt;
use crate::render::{Render, Spinning, TextRenderer, color, status_lines};
use crate::run::{review as run_review, turn};
use crate::saved::SavedSession;
use crate::session::Session;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::config::project_id;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::protocol::{Event, Op, TurnStatus};
use code_mesh_runtime::supervisor::Submit;
use command::{Command, HELP, Input};
use editor::{LineEditor, Read};
use std::collections::BTreeMap;
use std::io::{Stderr, Stdout};
use std::process::ExitCode;

/// Runs the interactive mode until the person leaves; `model` is `-m`.
pub fn repl(model: Option<String>) -> anyhow::Result<ExitCode> {
    let launch = Launch::load()?;
    let model = launch.model(model)?;
    let history = launch
        .paths
        .data_dir
        .join("history")
        .join(format!("{}.txt", project_id(&launch.root)));
    actix::System::new().block_on(async move {
        let editor = LineEditor::start(history)?;
        let mut repl = Repl::start(launch, model).await?;
        repl.greet()?;
        repl.serve(&editor).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The interactive session: the Supervisor, its changes, and what was asked.
struct Repl {
    launch: Launch,
    model: ModelRef,
    /// Whether approval questions can be asked (stdin and stderr are terminals).
    interactive: bool,
    changes: SessionChanges,
    session: Session,
    saved: SavedSession,
    /// This session's requests, in order.
    requests: Vec<String>,
    /// `/plan` was typed: the next request is planned.
    plan_next: bool,
    renderer: Spinning<TextRenderer<Stdout, Stderr>>,
}

impl Repl {
    /// A new session with `model`.
    async fn start(launch: Launch, model: ModelRef) -> anyhow::Result<Self> {
        let changes = SessionChanges::new(&launch.root);
        let interactive = prompt::interactive();
        let (session, saved) = open(&launch, &model, interactive, &changes, None).await?;
        let renderer = Spinning::new(
            TextRenderer::new(std::io::stdout(), std::io::stderr())
                .with_color(color::stdout_enabled()),
            color::stderr_enabled(),
        );
        Ok(Self {
            launch,
            model,
            interactive,
            changes,
            session,
            saved,
            requests: Vec::new(),
            plan_next: false,
            renderer,
        })
    }

    /// One line: the version, project, model and session.
    fn greet(&mut self) -> anyhow::Result<()> {
        self.renderer.notice(&format!(
            "code-mesh {} · {} · {} · session {}\n\
             Type a request (end a line with \\ to go on), /help for commands, Ctrl-D to leave.",
            env!("CARGO_PKG_VERSION"),
            self.launch.root.display(),
            self.model,
            self.saved.id
        ))?;
        Ok(())
    }

    /// Reads and answers lines until `/exit`, Ctrl-D, or Ctrl-C twice.
    async fn serve(&mut self, editor: &LineEditor) -> anyhow::Result<()> {
        let mut interrupted = false;
        loop {
            let prompt = if self.plan_next { "plan> " } else { "> " };
            match editor.read(prompt).await? {
                Read::Eof => break,
                Read::Interrupted if interrupted => break,
                Read::Interrupted => {
                    interrupted = true;
                    self.renderer.notice("(Ctrl-C again or Ctrl-D to leave)")?;
                }
                Read::Line(line) => {
                    interrupted = false;
                    match command::parse(&line) {
                        Input::Empty => {}
                        Input::Request(request) => self.turn(request).await?,
                        Input::Command(Command::Exit) => break,
                        Input::Command(command) => self.command(command).await?,
                    }
                }
            }
        }
        run_review::keep(&self.changes, &self.saved)?;
        Ok(())
    }

    /// Sends `request` and renders its turn; Ctrl-C meanwhile cancels it.
    /// Then the staged changes are reviewed.
    async fn turn(&mut self, request: String) -> anyhow::Result<()> {
        self.requests.push(request.clone());
        let plan = std::mem::take(&mut self.plan_next).then_some(true);
        self.session.submit(Op::UserTurn {
            prompt: request,
            agent: None,
            plan,
        });
        let supervisor = self.session.sender();
        let listener = actix::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                supervisor.do_send(Submit(Op::Cancel));
            }
        });
        self.renderer.wait();
        let end = turn::drive(
            &mut self.session,
            &mut self.renderer,
            self.interactive,
            self.interactive,
        )
        .await;
        listener.abort();
        let end = end?;
        match end.status {
            TurnStatus::Completed => {}
            TurnStatus::Cancelled => self.renderer.notice(&format!(
                "cancelled{}",
                end.error.map(|e| format!(": {e}")).unwrap_or_default()
            ))?,
            TurnStatus::Failed => self.renderer.notice(&format!(
                "error: {}",
                end.error.as_deref().unwrap_or("the request failed")
            ))?,
        }
        review::review_changes(&mut self.session, &mut self.renderer, self.interactive).await?;
        run_review::keep(&self.changes, &self.saved)?;
        Ok(())
    }

    /// Does a slash command.
    async fn command(&mut self, command: Command) -> anyhow::Result<()> {
        match command {
            Command::Help => {
                for (usage, what) in HELP {
                    self.say(&format!("  {usage:<26} {what}"))?;
                }
            }
            Command::Exit => {}
            Command::Model(None) => self.say(&format!("model: {}", self.model))?,
            Command::Model(Some(name)) => self.switch_model(&name).await?,
            Command::Agents => {
                self.session.submit(Op::Status);
                let answer = self
                    .session
                    .until(|e| matches!(e, Event::Status { .. }))
                    .await?;
                if let Event::Status { report } = answer {
                    for line in status_lines(&report) {
                        self.say(&line)?;
                    }
                }
            }
            Command::Plan => {
                self.plan_next = true;
                self.say(
                    "The next request is planned: a planner splits it into tasks for coders.",
                )?;
            }
            Command::Diff => {
                if run_review::show_staged(&mut self.session, &mut self.renderer)
                    .await?
                    .is_empty()
                {
                    self.say("Nothing is staged.")?;
                }
            }
            Command::Apply => self.change_op(Op::ApplyChanges, true).await?,
            Command::Reject => self.change_op(Op::RejectChanges, true).await?,
            Command::Undo => self.change_op(Op::Undo, false).await?,
            Command::History => {
                if self.requests.is_empty() {
                    self.say("No requests yet in this session.")?;
                }
                let lines: Vec<String> = self
                    .requests
                    .iter()
                    .enumerate()
                    .map(|(n, request)| format!("{:>3}  {}", n + 1, request.replace('\n', " ⏎ ")))
                    .collect();
                for line in lines {
                    self.say(&line)?;
                }
            }
            Command::Files => self.files()?,
            Command::Sessions => {
                let listed =
                    sessions::saved_sessions(&self.launch.paths.data_dir, &self.launch.root)?;
                if listed.is_empty() {
                    self.say("No saved sessions in this project yet.")?;
                }
                for (id, saved) in listed {
                    let current = if id == self.saved.id {
                        "  (this one)"
                    } else {
                        ""
                    };
                    self.say(&format!("  {id}  {} ago{current}", sessions::ago(saved)))?;
                }
            }
            Command::New => {
                run_review::keep(&self.changes, &self.saved)?;
                self.changes = SessionChanges::new(&self.launch.root);
                let (session, saved) = open(
                    &self.launch,
                    &self.model,
                    self.interactive,
                    &self.changes,
                    None,
                )
                .await?;
                self.session = session;
                self.saved = saved;
                self.requests.clear();
                self.plan_next = false;
                self.say(&format!("New session {}.", self.saved.id))?;
            }
            Command::Compact => self.say(
                "/compact is not available yet: the runtime cannot compact a conversation on this \
                 version (no Op::Compact).",
            )?,
            Command::Unknown(name) => {
                self.say(&format!("Unknown command {name}; /help lists them."))?
            }
        }
        Ok(())
    }

    /// A new Supervisor with the model `name`, working on the same changes
    /// under the same session id.
    async fn switch_model(&mut self, name: &str) -> anyhow::Result<()> {
        let model = match ModelRef::parse(name) {
            Ok(model) => model,
            Err(error) => return self.say(&format!("error: {error}")),
        };
        let id = self.saved.id.clone();
        match open(
            &self.launch,
            &model,
            self.interactive,
            &self.changes,
            Some(id),
        )
        .await
        {
            Ok((session, saved)) => {
                self.session = session;
                self.saved = saved;
                self.model = model;
                // The runtime keeps no conversation between requests on this
                // version; once the Supervisor holds one, pass it on here.
                self.say(&format!(
                    "Model: {}; the staged changes and undo history carry over \
                     (each request starts a fresh conversation on this version).",
                    self.model
                ))
            }
            Err(error) => self.say(&format!("error: {error:#}; still on {}", self.model)),
        }
    }

    /// Sends a change-set op; `needs_staged`: say so instead when nothing is staged.
    async fn change_op(&mut self, op: Op, needs_staged: bool) -> anyhow::Result<()> {
        if needs_staged && self.changes.staged().is_empty() {
            return self.say("Nothing is staged.");
        }
        if let Some(reason) =
            run_review::send_change_op(&mut self.session, &mut self.renderer, op).await?
        {
            self.say(&format!("error: {reason}"))?;
        }
        run_review::keep(&self.changes, &self.saved)?;
        Ok(())
    }

    /// `/files`: each file changed in this session, staged or applied.
    fn files(&mut self) -> anyhow::Result<()> {
        let root = self.launch.root.clone();
        let relative = |path: &std::path::Path| {
            path.strip_prefix(&root)
                .unwrap_or(path)
                .display()
                .to_string()
        };
        let mut files = BTreeMap::new();
        for applied in self.changes.history() {
            for path in applied.paths() {
                files.insert(relative(path), "applied");
            }
        }
        for (path, _) in self.changes.staged_paths() {
            files.insert(relative(&path), "staged");
        }
        if files.is_empty() {
            return self.say("No files changed in this session yet.");
        }
        for (path, state) in files {
            self.say(&format!("  {state:<8} {path}"))?;
        }
        Ok(())
    }

    /// One line of the command's own.
    fn say(&mut self, line: &str) -> anyhow::Result<()> {
        Ok(self.renderer.notice(line)?)
    }
}

/// Starts a Supervisor for `model` on `changes` (under session `id`, or a
/// new one) and waits for it to name its session.
async fn open(
    launch: &Launch,
    model: &ModelRef,
    interactive: bool,
    changes: &SessionChanges,
    id: Option<String>,
) -> anyhow::Result<(Session, SavedSession)> {
    let answering = Answering {
        approve_plans: interactive,
        yes: false,
    };
    let mut builder = launch.builder(model, answering, changes.clone())?;
    if let Some(id) = id {
        builder = builder.session_id(id);
    }
    let mut session = Session::start(builder);
    let started = session
        .until(|e| matches!(e, Event::SessionStarted { .. }))
        .await?;
    let Event::SessionStarted { session_id, .. } = started else {
        anyhow::bail!("the runtime did not say which session this is");
    };
    let saved = SavedSession::new(&launch.paths.data_dir, &launch.root, &session_id)?;
    Ok((session, saved))
}
