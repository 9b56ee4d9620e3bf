//! `code-mesh` without a command: the interactive mode. A line editor reads
//! requests and slash commands; requests go to the Supervisor as ops and
//! its events are rendered as `run` renders them, with the same approval
//! questions; after a turn that staged changes, the diff is shown and the
//! person applies all, some or none of it. Ctrl-C cancels a running turn;
//! at the prompt, Ctrl-C twice or Ctrl-D leaves.

mod command;
mod editor;
mod review;
mod slash;
mod tool_calls;

use crate::launch::{Answering, Launch};
use crate::prompt;
use crate::run::opened::OpenedSession;
use crate::run::{review as run_review, turn};
use crate::session::Session;
use code_mesh_cli::render::{Render, Spinning, TextRenderer, color};
use code_mesh_cli::saved_session::SavedSession;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::config::project_id;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::protocol::{Event, Op, TurnStatus};
use code_mesh_runtime::session::Conversation;
use code_mesh_runtime::supervisor::Submit;
use command::{Command, Input};
use editor::{LineEditor, Read};
use std::io::{Stderr, Stdout};
use std::process::ExitCode;
use tool_calls::{Recording, ToolCall};

/// Runs the interactive mode until the person leaves; `model` is `-m`.
pub fn repl(model: Option<String>) -> anyhow::Result<ExitCode> {
    let launch = Launch::load()?;
    // One writer per project, as for `run`: held until the person leaves.
    let _lock = launch.store.lock()?;
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
    /// The conversation so far; it carries over a `/model` switch.
    conversation: Conversation,
    session: Session,
    saved: SavedSession,
    /// This session's requests, in order.
    requests: Vec<String>,
    /// `/plan` was typed: the next request is planned.
    plan_next: bool,
    /// The last turn's tool calls, for `/tools`.
    tool_calls: Vec<ToolCall>,
    renderer: Spinning<TextRenderer<Stdout, Stderr>>,
}

impl Repl {
    /// A new session with `model`, kept in the project's session store
    /// (its conversation can be continued with `run -c`).
    async fn start(launch: Launch, model: ModelRef) -> anyhow::Result<Self> {
        let (changes, conversation, id) = new_session(&launch, &model)?;
        let interactive = prompt::interactive();
        let (session, saved) = open(
            &launch,
            &model,
            interactive,
            (&changes, &conversation),
            Some(id),
        )
        .await?;
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
            conversation,
            session,
            saved,
            requests: Vec::new(),
            plan_next: false,
            tool_calls: Vec::new(),
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
        self.tool_calls.clear();
        self.drive(Op::UserTurn {
            prompt: request,
            agent: None,
            plan,
        })
        .await?;
        review::review_changes(&mut self.session, &mut self.renderer, self.interactive).await?;
        run_review::keep(&self.changes, &self.saved)?;
        Ok(())
    }

    /// Sends `op` (a request, or `/compact`), which the Supervisor answers
    /// as a turn, and renders the turn, keeping its tool calls for `/tools`;
    /// Ctrl-C meanwhile cancels it.
    async fn drive(&mut self, op: Op) -> anyhow::Result<()> {
        self.session.submit(op);
        let supervisor = self.session.sender();
        let listener = actix::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                supervisor.do_send(Submit(Op::Cancel));
            }
        });
        self.renderer.wait();
        let mut recording = Recording {
            inner: &mut self.renderer,
            calls: &mut self.tool_calls,
        };
        let end = turn::drive(
            &mut self.session,
            &mut recording,
            self.interactive,
            self.interactive,
            (&self.changes, &self.saved),
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
        Ok(())
    }

    /// One line of the command's own.
    fn say(&mut self, line: &str) -> anyhow::Result<()> {
        Ok(self.renderer.notice(line)?)
    }
}

/// A new session in the project's store for `model`: its (empty) change
/// set, its conversation recording to the store, and its id.
fn new_session(
    launch: &Launch,
    model: &ModelRef,
) -> anyhow::Result<(SessionChanges, Conversation, String)> {
    let opened = OpenedSession::open_id(&launch.project(), None, &model.to_string())?;
    Ok((opened.changes.clone(), opened.conversation(), opened.id))
}

/// Starts a Supervisor for `model` on `changes`, continuing `conversation`
/// (under session `id`, or a new one), and waits for it to name its session.
async fn open(
    launch: &Launch,
    model: &ModelRef,
    interactive: bool,
    (changes, conversation): (&SessionChanges, &Conversation),
    id: Option<String>,
) -> anyhow::Result<(Session, SavedSession)> {
    let answering = Answering {
        approve_plans: interactive,
        yes: false,
    };
    let mut builder = launch.builder(model, answering, changes.clone(), conversation.clone())?;
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
