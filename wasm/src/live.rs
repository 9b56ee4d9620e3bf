//! [`LiveSession`]: a started Supervisor, its event stream and its log; and
//! [`LiveSession::turn`], one turn driven to its end — every event handed
//! to the caller and recorded, approval requests answered or left to the
//! host.

use crate::actors::in_actor_context;
use crate::error::Error;
use crate::launch::Launch;
use crate::sessions::LogRecorder;
use code_mesh_cli::unattended;
use code_mesh_runtime::EventStream;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::model::{ChatMessage, ModelRef};
use code_mesh_runtime::protocol::{Event, Op, TurnStatus};
use code_mesh_runtime::session::{Conversation, SessionRecord, SessionRecorder};
use code_mesh_runtime::supervisor::{Submit, Supervisor};
use futures::StreamExt;
use std::cell::RefCell;
use std::rc::Rc;

/// Who answers the approval requests of a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approvals {
    /// The host: the request goes to it as an event, and the turn waits
    /// for `approve(id)` or `reject(id)`.
    Host,
    /// Nobody can: each request is refused with advice (the native CLI
    /// without a terminal does the same).
    Refuse,
}

/// What one turn asks for.
#[derive(Debug, Clone, Default)]
pub struct TurnRequest {
    /// The person's request.
    pub prompt: String,
    /// The role to give it to; `None` lets `plan` decide.
    pub agent: Option<String>,
    /// Plan first (`Some(true)`), never (`Some(false)`), or by size (`None`).
    pub plan: Option<bool>,
}

/// How a turn ended.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnEnd {
    /// Completed, failed or cancelled.
    pub status: TurnStatus,
    /// The turn's final answer, when it has one.
    pub answer: Option<String>,
    /// Why it failed or was cancelled, when said.
    pub error: Option<String>,
}

/// A session whose Supervisor is running.
#[derive(Debug)]
pub struct LiveSession {
    /// The session's id.
    pub id: String,
    supervisor: actix::Addr<Supervisor>,
    /// Taken by the turn that is running; `None` meanwhile.
    events: RefCell<Option<EventStream>>,
    recorder: Rc<LogRecorder>,
}

impl LiveSession {
    /// Starts a Supervisor for session `recorder.id()` on `launch` with
    /// `model`, continuing the conversation `messages` (empty for a new
    /// session), working on `changes`; `yes` allows what would be asked.
    pub fn start(
        launch: &Launch,
        model: &ModelRef,
        yes: bool,
        changes: SessionChanges,
        messages: Vec<ChatMessage>,
        recorder: Rc<LogRecorder>,
    ) -> Result<Self, Error> {
        let conversation = Conversation::resume(messages).with_recorder(recorder.clone());
        let builder = launch
            .builder(model, yes, changes, conversation)?
            .session_id(recorder.id());
        let (supervisor, events) = in_actor_context(|| builder.start());
        Ok(Self {
            id: recorder.id().to_string(),
            supervisor,
            events: RefCell::new(Some(events)),
            recorder,
        })
    }

    /// Sends `op` to the Supervisor.
    pub fn submit(&self, op: Op) {
        self.supervisor.do_send(Submit(op));
    }

    /// The Supervisor's status snapshot.
    pub async fn status(&self) -> Result<code_mesh_runtime::protocol::StatusReport, Error> {
        self.supervisor
            .send(code_mesh_runtime::supervisor::GetStatus)
            .await
            .map_err(|_| Error::usage("the session's runtime has stopped; start a new session"))
    }

    /// Keeps `event` in the session's log (streamed text excepted: the
    /// answer is kept whole, as natively).
    pub fn record(&self, event: &Event) {
        if !matches!(event, Event::AgentMessageDelta { .. }) {
            self.recorder.record(&SessionRecord::Event {
                event: event.clone(),
            });
        }
    }

    /// The first failure to write the log not yet reported.
    pub fn take_record_failure(&self) -> Option<String> {
        self.recorder.take_failure().map(|e| e.to_string())
    }

    /// Runs one turn: submits `request`, hands every event to `on_event`
    /// (and the log) until the turn completes, and answers approval
    /// requests as `approvals` says. An error when a turn is already
    /// running in this session or the runtime stopped.
    pub async fn turn(
        &self,
        request: TurnRequest,
        approvals: Approvals,
        on_event: &mut dyn FnMut(&Event),
    ) -> Result<TurnEnd, Error> {
        let mut events = self.events.borrow_mut().take().ok_or_else(|| {
            Error::usage(
                "a turn is already running in this session: wait for its promise before sending another",
            )
        })?;
        self.submit(Op::UserTurn {
            prompt: request.prompt,
            agent: request.agent,
            plan: request.plan,
        });
        let ended = self.follow(&mut events, approvals, on_event).await;
        *self.events.borrow_mut() = Some(events);
        ended
    }

    /// Reads `events` until the turn completes.
    async fn follow(
        &self,
        events: &mut EventStream,
        approvals: Approvals,
        on_event: &mut dyn FnMut(&Event),
    ) -> Result<TurnEnd, Error> {
        while let Some(event) = events.next().await {
            self.record(&event);
            on_event(&event);
            match event {
                Event::ApprovalRequested { id, request } if approvals == Approvals::Refuse => {
                    self.submit(Op::Approve {
                        id,
                        decision: unattended::refusal(&request),
                    });
                }
                Event::TurnComplete {
                    status,
                    answer,
                    error,
                    ..
                } => {
                    return Ok(TurnEnd {
                        status,
                        answer,
                        error,
                    });
                }
                _ => {}
            }
        }
        Err(Error::usage(
            "the session's runtime stopped before the turn ended; start a new session",
        ))
    }
}
