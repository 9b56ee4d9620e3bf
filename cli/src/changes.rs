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
use crate::project::Project;
use crate::saved::SavedSession;
use crate::session::Session;
use anyhow::{Context, bail};
use code_mesh_cli::render::{Render, TextRenderer};
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::protocol::{Event, Op};
use code_mesh_runtime::session::ProjectLock;
use code_mesh_runtime::supervisor::SupervisorBuilder;
use std::path::PathBuf;

/// A saved session's changes, loaded for one op.
struct Opened {
    saved: SavedSession,
    changes: SessionChanges,
    root: PathBuf,
    /// Held by the ops that write (apply, reject, undo), so they do not
    /// race a run in the same project.
    _lock: Option<ProjectLock>,
}

impl Opened {
    /// The session `args` names (default: the project's latest), loaded
    /// to be read.
    fn new(args: &SessionArgs) -> anyhow::Result<Self> {
        Self::open(args, false)
    }

    /// The same, to be changed: holds the project's lock meanwhile.
    fn for_writing(args: &SessionArgs) -> anyhow::Result<Self> {
        Self::open(args, true)
    }

    fn open(args: &SessionArgs, writes: bool) -> anyhow::Result<Self> {
        let project = Project::current()?;
        let lock = if writes {
            Some(project.store.lock()?)
        } else {
            None
        };
        let root = project.root;
        let saved = SavedSession::find(&project.paths.data_dir, &root, args.session.as_deref())?;
        let changes = saved.load()?;
        Ok(Self {
            saved,
            changes,
            root,
            _lock: lock,
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
