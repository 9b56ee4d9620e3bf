//! Small real roles and an event reader for the Supervisor's tests.

use actix::Addr;
use async_trait::async_trait;
use code_mesh_runtime::EventStream;
use code_mesh_runtime::protocol::{Event, TaskId};
use code_mesh_runtime::role::{AgentContext, Role, RoleError, Task};
use code_mesh_runtime::supervisor::{Supervisor, SupervisorBuilder};
use futures::StreamExt;
use futures::channel::oneshot;
use futures::future::{FutureExt, Shared};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

/// How long a test waits for one event before it fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(10);

/// A role made from a closure.
struct FnRole<F>(F);

#[async_trait(?Send)]
impl<F, Fut> Role for FnRole<F>
where
    F: Fn(Task, AgentContext) -> Fut,
    Fut: Future<Output = Result<String, RoleError>>,
{
    async fn run(&self, task: Task, ctx: AgentContext) -> Result<String, RoleError> {
        (self.0)(task, ctx).await
    }
}

/// A role whose `run` is `f`.
pub fn role<F, Fut>(f: F) -> Rc<dyn Role>
where
    F: Fn(Task, AgentContext) -> Fut + 'static,
    Fut: Future<Output = Result<String, RoleError>> + 'static,
{
    Rc::new(FnRole(f))
}

/// A role that answers `echo: <description>` at once.
pub fn echo() -> Rc<dyn Role> {
    role(|task, _| async move { Ok(format!("echo: {}", task.spec.description)) })
}

/// Starts `builder` and checks that `SessionStarted` comes first.
pub async fn start(builder: SupervisorBuilder) -> (Addr<Supervisor>, Events) {
    let (supervisor, stream) = builder.session_id("test-session").start();
    let mut events = Events(stream);
    match events.next().await {
        Event::SessionStarted { session_id, .. } => assert_eq!(session_id, "test-session"),
        other => panic!("first event should be SessionStarted, got {other:?}"),
    }
    (supervisor, events)
}

/// Reads a Supervisor's events, failing the test if one takes too long.
pub struct Events(EventStream);

impl Events {
    /// The next event.
    pub async fn next(&mut self) -> Event {
        match actix_rt::time::timeout(PATIENCE, self.0.next()).await {
            Ok(Some(event)) => event,
            Ok(None) => panic!("the event stream closed"),
            Err(_) => panic!("no event within {PATIENCE:?}"),
        }
    }

    /// Every event up to and including the first for which `last` holds.
    pub async fn until(&mut self, mut last: impl FnMut(&Event) -> bool) -> Vec<Event> {
        let mut seen = Vec::new();
        loop {
            let event = self.next().await;
            let done = last(&event);
            seen.push(event);
            if done {
                return seen;
            }
        }
    }

    /// Every event up to and including the `n`th for which `counted` holds.
    pub async fn until_count(
        &mut self,
        n: usize,
        mut counted: impl FnMut(&Event) -> bool,
    ) -> Vec<Event> {
        let mut left = n;
        self.until(move |e| {
            if counted(e) {
                left -= 1;
            }
            left == 0
        })
        .await
    }

    /// Events up to the end of the current turn.
    pub async fn until_turn_complete(&mut self) -> Vec<Event> {
        self.until(|e| matches!(e, Event::TurnComplete { .. }))
            .await
    }

    /// Events up to the `n`th finished task.
    pub async fn until_finished(&mut self, n: usize) -> Vec<Event> {
        self.until_count(n, |e| matches!(e, Event::TaskFinished { .. }))
            .await
    }
}

/// The summary `TaskFinished` reported for `task`.
pub fn summary_of(events: &[Event], task: TaskId) -> Option<String> {
    events.iter().find_map(|e| match e {
        Event::TaskFinished {
            task: t, summary, ..
        } if *t == task => Some(summary.clone()),
        _ => None,
    })
}

/// A gate roles wait at until the test opens it.
#[derive(Clone)]
pub struct Gate {
    opened: Shared<oneshot::Receiver<()>>,
    opener: Rc<RefCell<Option<oneshot::Sender<()>>>>,
}

impl Gate {
    /// A closed gate.
    pub fn new() -> Self {
        let (tx, rx) = oneshot::channel();
        Self {
            opened: rx.shared(),
            opener: Rc::new(RefCell::new(Some(tx))),
        }
    }

    /// Lets every waiter through, now and later.
    pub fn open(&self) {
        if let Some(tx) = self.opener.borrow_mut().take() {
            let _ = tx.send(());
        }
    }

    /// Waits until the gate is open.
    pub async fn wait(&self) {
        let _ = self.opened.clone().await;
    }
}

/// Waits until `n` parties have arrived; proves they ran at the same time.
#[derive(Clone)]
pub struct Rendezvous {
    n: usize,
    arrived: Rc<Cell<usize>>,
    all_here: Gate,
}

impl Rendezvous {
    /// A rendezvous for `n` parties.
    pub fn new(n: usize) -> Self {
        Self {
            n,
            arrived: Rc::new(Cell::new(0)),
            all_here: Gate::new(),
        }
    }

    /// Arrives and waits for the others.
    pub async fn arrive(&self) {
        self.arrived.set(self.arrived.get() + 1);
        if self.arrived.get() >= self.n {
            self.all_here.open();
        }
        self.all_here.wait().await;
    }
}

/// A shared, ordered log of what roles did.
#[derive(Clone, Default)]
pub struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    /// Appends `entry`.
    pub fn push(&self, entry: impl Into<String>) {
        self.0.borrow_mut().push(entry.into());
    }

    /// Everything logged so far.
    pub fn entries(&self) -> Vec<String> {
        self.0.borrow().clone()
    }

    /// Where `entry` was logged; fails the test if it never was.
    pub fn position(&self, entry: &str) -> usize {
        self.0
            .borrow()
            .iter()
            .position(|e| e == entry)
            .unwrap_or_else(|| panic!("`{entry}` was never logged: {:?}", self.entries()))
    }
}

/// A role that logs `start X`, waits at `gate`, logs `end X` and answers
/// `X<-[inputs]`, so that answers show which inputs each task saw.
pub fn gated_logger(log: &Log, gate: &Gate) -> Rc<dyn Role> {
    let (log, gate) = (log.clone(), gate.clone());
    role(move |task, _| {
        let (log, gate) = (log.clone(), gate.clone());
        async move {
            let name = task.spec.description.clone();
            log.push(format!("start {name}"));
            gate.wait().await;
            // Let every other ready agent run before this one ends.
            actix_rt::task::yield_now().await;
            log.push(format!("end {name}"));
            Ok(format!("{name}<-[{}]", task.inputs.join(",")))
        }
    })
}
