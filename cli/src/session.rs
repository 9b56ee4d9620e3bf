//! A running Supervisor as a command drives it: ops go in, events come out
//! in order.

use anyhow::bail;
use code_mesh_runtime::EventStream;
use code_mesh_runtime::protocol::{Event, Op};
use code_mesh_runtime::supervisor::{Submit, Supervisor, SupervisorBuilder};
use futures::StreamExt;

/// A started Supervisor and its event stream.
pub struct Session {
    supervisor: actix::Addr<Supervisor>,
    events: EventStream,
}

impl Session {
    /// Starts the Supervisor `builder` describes; call inside a running
    /// actix `System`.
    pub fn start(builder: SupervisorBuilder) -> Self {
        let (supervisor, events) = builder.start();
        Self { supervisor, events }
    }

    /// The Supervisor's address, for what submits ops on its own (Ctrl-C).
    pub fn supervisor(&self) -> actix::Addr<Supervisor> {
        self.supervisor.clone()
    }

    /// Sends `op` to the Supervisor.
    pub fn submit(&self, op: Op) {
        self.supervisor.do_send(Submit(op));
    }

    /// The next event; an error if the runtime stopped.
    pub async fn next(&mut self) -> anyhow::Result<Event> {
        match self.events.next().await {
            Some(event) => Ok(event),
            None => bail!("the runtime stopped before answering"),
        }
    }

    /// Skips events until one `wanted` and returns it.
    pub async fn until(&mut self, wanted: impl Fn(&Event) -> bool) -> anyhow::Result<Event> {
        loop {
            let event = self.next().await?;
            if wanted(&event) {
                return Ok(event);
            }
        }
    }

    /// A handle that sends ops to this session's Supervisor from elsewhere
    /// (a Ctrl-C listener).
    pub fn sender(&self) -> actix::Addr<Supervisor> {
        self.supervisor.clone()
    }

    /// Skips events until the answer to a change-set op (the changes, or
    /// what was applied, rejected or undone, or an error) and returns it.
    pub async fn change_answer(&mut self) -> anyhow::Result<Event> {
        loop {
            let event = self.next().await?;
            if matches!(
                event,
                Event::Changes { .. }
                    | Event::ChangesApplied { .. }
                    | Event::ChangesRejected { .. }
                    | Event::ChangesUndone { .. }
                    | Event::Error { .. }
            ) {
                return Ok(event);
            }
        }
    }
}
