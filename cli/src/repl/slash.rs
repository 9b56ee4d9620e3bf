//! The slash commands' work: what `/model`, `/agents`, `/diff`, `/files`
//! and the rest do to the interactive session.

use super::command::{Command, HELP};
use super::{Repl, new_session, open};
use crate::run::review as run_review;
use crate::time::utc;
use code_mesh_cli::render::status_lines;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::protocol::{Event, Op};
use code_mesh_runtime::session::SessionStore;
use std::collections::BTreeMap;

impl Repl {
    /// Does a slash command.
    pub(super) async fn command(&mut self, command: Command) -> anyhow::Result<()> {
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
                let listed = self.launch.store.list()?;
                if listed.is_empty() {
                    self.say("No saved sessions in this project yet.")?;
                }
                for session in listed {
                    let current = if session.id == self.saved.id {
                        "  (this one)"
                    } else {
                        ""
                    };
                    self.say(&format!(
                        "  {}  {}  {} messages  {}{current}",
                        session.id,
                        utc(session.last_activity_ms),
                        session.messages,
                        session.title
                    ))?;
                }
            }
            Command::New => {
                run_review::keep(&self.changes, &self.saved)?;
                let (changes, conversation, id) = new_session(&self.launch, &self.model)?;
                self.changes = changes;
                self.conversation = conversation;
                let (session, saved) = open(
                    &self.launch,
                    &self.model,
                    self.interactive,
                    (&self.changes, &self.conversation),
                    Some(id),
                )
                .await?;
                self.session = session;
                self.saved = saved;
                self.requests.clear();
                self.tool_calls.clear();
                self.plan_next = false;
                self.say(&format!("New session {}.", self.saved.id))?;
            }
            Command::Compact => {
                if self.conversation.is_empty() {
                    self.say("Nothing to compact yet.")?;
                } else {
                    self.drive(Op::Compact).await?;
                }
            }
            Command::Tools(None) => {
                if self.tool_calls.is_empty() {
                    self.say("No tool calls in the last turn.")?;
                }
                let lines: Vec<String> = self
                    .tool_calls
                    .iter()
                    .enumerate()
                    .map(|(n, call)| call.summary(n + 1))
                    .collect();
                for line in lines {
                    self.say(&line)?;
                }
            }
            Command::Tools(Some(n)) => match self.tool_calls.get(n - 1).cloned() {
                None => self.say(&format!(
                    "No call {n}: the last turn made {}; /tools lists them.",
                    self.tool_calls.len()
                ))?,
                Some(call) => {
                    self.say(&call.summary(n))?;
                    for line in call.output.lines() {
                        self.say(line)?;
                    }
                }
            },
            Command::Usage(usage) => self.say(&format!("Usage: {usage}"))?,
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
            (&self.changes, &self.conversation),
            Some(id),
        )
        .await
        {
            Ok((session, saved)) => {
                self.session = session;
                self.saved = saved;
                self.model = model;
                self.say(&format!(
                    "Model: {}; the conversation, the staged changes and the undo history \
                     carry over.",
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
}
