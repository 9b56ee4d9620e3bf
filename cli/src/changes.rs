//! `code-mesh diff|apply|reject|undo`: load a run's saved changes, send the
//! op to a Supervisor holding them, show its answer, and save the result.

mod apply;
mod diff;
mod reject;
mod undo;

pub use apply::apply;
pub use diff::diff;
pub use reject::reject;
pub use undo::undo;

use crate::args::SessionArgs;
use crate::render::{Render, TextRenderer};
use crate::saved::SavedSession;
use crate::session::Session;
use anyhow::{Context, bail};
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::config::{Paths, find_project_root};
use code_mesh_runtime::protocol::{Event, Op};
use code_mesh_runtime::supervisor::SupervisorBuilder;
use std::path::PathBuf;

/// A saved session's changes, loaded for one op.
struct Opened {
    saved: SavedSession,
    changes: SessionChanges,
    root: PathBuf,
}

impl Opened {
    /// The session `args` names (default: the project's latest), loaded.
    fn new(args: &SessionArgs) -> anyhow::Result<Self> {
        let paths = Paths::from_env(|name| std::env::var(name).ok())?;
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let root = find_project_root(&cwd);
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        let saved = SavedSession::find(&paths.data_dir, &root, args.session.as_deref())?;
        let changes = saved.load()?;
        Ok(Self {
            saved,
            changes,
            root,
        })
    }

    /// Sends `op` to a Supervisor working on these changes and returns its
    /// answer; an `Event::Error` answer becomes the error.
    fn send(&self, op: Op) -> anyhow::Result<Event> {
        let builder = SupervisorBuilder::new()
            .project_root(self.root.clone())
            .session_id(self.saved.id.clone())
            .changes(self.changes.clone());
        let answer = actix::System::new().block_on(async move {
            let mut session = Session::start(builder);
            session.submit(op);
            session.change_answer().await
        })?;
        match answer {
            Event::Error { message } => bail!(message),
            answer => Ok(answer),
        }
    }

    /// Saves the changes back, as the op left them.
    fn save(&self) -> anyhow::Result<()> {
        self.saved.save(&self.changes)
    }
}

/// Shows `event` as `run` does in text.
fn show(event: &Event) -> anyhow::Result<()> {
    TextRenderer::new(std::io::stdout(), std::io::stderr())
        .event(event)
        .context("cannot write output")
}

/// The error for an answer that does not fit the op.
fn unexpected(event: &Event) -> anyhow::Error {
    anyhow::anyhow!("the runtime answered with an unexpected event: {event:?}")
}
