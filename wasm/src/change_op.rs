//! Ops on a project's changes (show, apply, reject, undo) answered by the
//! Supervisor, as the design wants of every front end: a short-lived
//! Supervisor holding the changes gets the op, and its answering event is
//! returned. The CLI's `diff`/`apply`/`reject`/`undo` and the API's
//! `applyChanges`/`rejectChanges` both go through here.

use crate::actors::in_actor_context;
use crate::error::Error;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::protocol::{Event, Op};
use code_mesh_runtime::supervisor::{Submit, SupervisorBuilder};
use futures::StreamExt;
use std::path::PathBuf;

/// Sends `op` to a Supervisor for the project at `root` holding `changes`
/// (of session `session_id`, when there is one) and returns its answer:
/// [`Event::Changes`], [`Event::ChangesApplied`],
/// [`Event::ChangesRejected`], [`Event::ChangesUndone`] or
/// [`Event::Error`].
pub async fn answer(
    root: PathBuf,
    session_id: Option<String>,
    changes: SessionChanges,
    op: Op,
) -> Result<Event, Error> {
    let mut builder = SupervisorBuilder::new().project_root(root).changes(changes);
    if let Some(id) = session_id {
        builder = builder.session_id(id);
    }
    let (supervisor, mut events) = in_actor_context(|| builder.start());
    supervisor.do_send(Submit(op));
    loop {
        match events.next().await {
            Some(
                event @ (Event::Changes { .. }
                | Event::ChangesApplied { .. }
                | Event::ChangesRejected { .. }
                | Event::ChangesUndone { .. }
                | Event::Error { .. }),
            ) => return Ok(event),
            Some(_) => {}
            None => {
                return Err(Error::usage(
                    "the runtime stopped before it answered; run the command again",
                ));
            }
        }
    }
}
