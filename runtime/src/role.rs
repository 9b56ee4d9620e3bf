//! The [`Role`] trait: what an agent of a kind (planner, coder, tester,
//! reviewer, or a user's own) does with a task.
//!
//! The model: the Supervisor owns the task queue. When a task is ready it
//! starts a fresh agent actor for the task's role, and the actor calls
//! [`Role::run`] with the task and an [`AgentContext`] — the agent's handle
//! on models, tools, the event stream and the other agents. When `run`
//! returns, the agent is retired. If it returns an error for which
//! [`RoleError::is_retryable`] holds, or panics, the Supervisor restarts the
//! agent and runs the task again, up to its retry budget; then the task fails
//! with the reason. Roles are registered by name with the Supervisor's
//! builder, the built-in ones exactly like a user's own.

use crate::blackboard::{Blackboard, BlackboardView};
use crate::changes::SessionChanges;
use crate::events::EventSink;
use crate::model::{ModelRef, Usage};
use crate::permission::PermissionGate;
use crate::pricing::ModelPrice;
use crate::protocol::{AgentId, AgentRequest, Envelope, Event, Recipient, TaskId, TaskSpec};
use crate::provider::{Provider, ProviderError, ProviderRegistry};
use crate::session::Conversation;
use crate::supervisor::SupervisorError;
use crate::tool::{ToolContext, ToolRegistry};
use async_trait::async_trait;
use futures::StreamExt;
use futures::channel::mpsc;
use futures::future::LocalBoxFuture;
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

/// The behaviour of one kind of agent.
#[async_trait(?Send)]
pub trait Role {
    /// Does `task` and returns the final answer (a summary for the person
    /// and for the tasks that depend on this one).
    ///
    /// `Err` fails this attempt: retryable errors and panics lead to a restart
    /// and a new attempt; other errors fail the task at once.
    async fn run(&self, task: Task, ctx: AgentContext) -> Result<String, RoleError>;
}

/// A task as an agent receives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Its id.
    pub id: TaskId,
    /// What was asked.
    pub spec: TaskSpec,
    /// 1 for the first attempt, 2 after the first restart, …
    pub attempt: u32,
    /// Summaries of the tasks it depends on, in `depends_on` order.
    pub inputs: Vec<String>,
}

/// Why a role's attempt at a task failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RoleError {
    /// A model request failed. Retryable when the failure may pass (see
    /// [`Self::is_retryable`]).
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// The attempt failed in a way a fresh attempt may avoid.
    #[error("{0}")]
    Failed(String),
    /// The attempt stopped for a reason a retry would repeat (a step limit, a
    /// model stuck calling the same tool); the task fails at once.
    #[error("{0}")]
    Stopped(String),
}

impl RoleError {
    /// Whether the Supervisor should restart the agent and try again.
    pub fn is_retryable(&self) -> bool {
        match self {
            // The provider layer retries a request with backoff; when it
            // gives up on a failure that may pass (a 5xx, a rate limit, an
            // unreachable server), a fresh agent gets another go, within the
            // Supervisor's retry budget. A bad key, an exhausted quota, an
            // unknown model or a too-long conversation would fail the same
            // way again, so the task fails at once; so does an answer that
            // broke off midway, whose text the person has already seen.
            Self::Provider(error) => error.is_transient(),
            Self::Failed(_) => true,
            Self::Stopped(_) => false,
        }
    }
}

/// Sends an envelope into the Supervisor's mesh; built by the Supervisor.
pub type Router = Rc<dyn Fn(Envelope)>;

/// Carries an [`AgentRequest`] to the Supervisor and resolves to its
/// answer; built by the Supervisor for one agent.
pub type SupervisorLink =
    Rc<dyn Fn(AgentRequest) -> LocalBoxFuture<'static, Result<String, SupervisorError>>>;

/// Adds one request's tokens and cost (USD, when known) to the Supervisor's
/// turn and session totals; built by the Supervisor.
pub type UsageReporter = Rc<dyn Fn(Usage, Option<f64>)>;

/// An agent's handle on the runtime while it runs a task.
pub struct AgentContext {
    agent: AgentId,
    role: String,
    model: ModelRef,
    root: PathBuf,
    events: EventSink,
    providers: ProviderRegistry,
    tools: ToolRegistry,
    router: Router,
    // A `RefCell` so that a loop holding `&self` can still pick up waiting
    // messages between model requests (never borrowed across an await).
    inbox: RefCell<mpsc::UnboundedReceiver<Envelope>>,
    price: Option<ModelPrice>,
    usage: UsageReporter,
    changes: SessionChanges,
    permissions: Rc<PermissionGate>,
    blackboard: Blackboard,
    plan: Option<TaskId>,
    supervisor: SupervisorLink,
    conversation: Option<Conversation>,
    context_window: Option<u32>,
    auto_compact: bool,
    instructions: Rc<str>,
    compaction_requested: bool,
}

/// Everything an [`AgentContext`] is made from; filled in by the Supervisor.
pub struct AgentContextParts {
    /// The agent's id.
    pub agent: AgentId,
    /// The role it plays.
    pub role: String,
    /// The model it should use.
    pub model: ModelRef,
    /// The project root.
    pub root: PathBuf,
    /// Where its events go.
    pub events: EventSink,
    /// The providers it may use.
    pub providers: ProviderRegistry,
    /// The tools it may call.
    pub tools: ToolRegistry,
    /// Sends its messages to other agents.
    pub router: Router,
    /// Messages other agents sent it.
    pub inbox: mpsc::UnboundedReceiver<Envelope>,
    /// The price of [`Self::model`], when known.
    pub price: Option<ModelPrice>,
    /// Where its requests' usage is totalled.
    pub usage: UsageReporter,
    /// The session's change set its tools read from and write to.
    pub changes: SessionChanges,
    /// The session's permissions its tools are held to.
    pub permissions: Rc<PermissionGate>,
    /// The session's shared store, read through [`AgentContext::blackboard`].
    pub blackboard: Blackboard,
    /// The planner task of the plan run the agent's task belongs to, if any.
    pub plan: Option<TaskId>,
    /// Carries the agent's requests to the Supervisor.
    pub supervisor: SupervisorLink,
    /// The session's conversation, for the task of a single-agent user
    /// turn only (see [`AgentContext::conversation`]).
    pub conversation: Option<Conversation>,
    /// The context window of [`Self::model`] in tokens, when known.
    pub context_window: Option<u32>,
    /// Whether the agent compacts its conversation on its own near the
    /// context window.
    pub auto_compact: bool,
    /// The person's and the project's standing instructions (see
    /// [`crate::instructions`]); empty when there are none.
    pub instructions: Rc<str>,
    /// Whether the task is a request to compact the conversation
    /// ([`crate::protocol::Op::Compact`]) rather than work to do.
    pub compaction_requested: bool,
}

impl AgentContext {
    /// Assembles a context from its parts.
    pub fn new(parts: AgentContextParts) -> Self {
        let AgentContextParts {
            agent,
            role,
            model,
            root,
            events,
            providers,
            tools,
            router,
            inbox,
            price,
            usage,
            changes,
            permissions,
            blackboard,
            plan,
            supervisor,
            conversation,
            context_window,
            auto_compact,
            instructions,
            compaction_requested,
        } = parts;
        Self {
            conversation,
            context_window,
            auto_compact,
            instructions,
            compaction_requested,
            blackboard,
            plan,
            supervisor,
            changes,
            permissions,
            agent,
            role,
            model,
            root,
            events,
            providers,
            tools,
            router,
            inbox: RefCell::new(inbox),
            price,
            usage,
        }
    }

    /// This agent's id.
    pub fn agent(&self) -> AgentId {
        self.agent
    }

    /// The role this agent plays.
    pub fn role(&self) -> &str {
        &self.role
    }

    /// The model this agent should use.
    pub fn model(&self) -> &ModelRef {
        &self.model
    }

    /// The provider serving [`Self::model`].
    pub fn provider(&self) -> Result<Rc<dyn Provider>, ProviderError> {
        self.providers.get(&self.model.provider)
    }

    /// The tools this agent may call.
    pub fn tools(&self) -> &ToolRegistry {
        &self.tools
    }

    /// The context tools run in: confined to the project root, on behalf of
    /// this agent, working in the session's change set under its
    /// permissions, sending their events (a checklist update, say) to the
    /// front end.
    pub fn tool_context(&self) -> ToolContext {
        ToolContext::new(&self.root, self.agent)
            .with_events(self.events.clone())
            .with_session(self.changes.clone(), Rc::clone(&self.permissions))
    }

    /// The session's change set (a reviewer reads its diff; a tester knows
    /// what is staged).
    pub fn changes(&self) -> &SessionChanges {
        &self.changes
    }

    /// Sends `event` to the front end.
    pub fn emit(&self, event: Event) {
        self.events.emit(event);
    }

    /// Reports the tokens one model request used: emits [`Event::Usage`]
    /// with the request's cost when the model's price is known, and adds
    /// both to the turn's and the session's totals.
    pub fn record_usage(&self, usage: Usage) {
        let cost_usd = self.price.map(|price| price.cost(&usage));
        self.emit(Event::Usage {
            agent: self.agent,
            usage,
            cost_usd,
        });
        (self.usage)(usage, cost_usd);
    }

    /// Sends `body` to other agents through the Supervisor.
    pub fn send(&self, to: Recipient, body: serde_json::Value) {
        (self.router)(Envelope {
            from: Some(self.agent),
            to,
            body,
        });
    }

    /// Waits for the next message from another agent; `None` once the agent is
    /// being retired.
    pub async fn recv(&mut self) -> Option<Envelope> {
        self.inbox.get_mut().next().await
    }

    /// The next message from another agent if one is waiting.
    pub fn try_recv(&mut self) -> Option<Envelope> {
        self.inbox.get_mut().try_recv().ok()
    }

    /// Every message from other agents that is waiting, oldest first,
    /// without waiting for more (a loop reads them between model requests).
    pub fn take_messages(&self) -> Vec<Envelope> {
        let mut inbox = self.inbox.borrow_mut();
        std::iter::from_fn(|| inbox.try_recv().ok()).collect()
    }

    /// Whether the agent's task belongs to a planner's plan run (and so may
    /// change the plan with [`AgentRequest::AddTask`]).
    pub fn in_plan(&self) -> bool {
        self.plan.is_some()
    }

    /// A snapshot of the session's blackboard: the plan of the agent's run,
    /// the latest finished tasks and the file summaries.
    pub fn blackboard(&self) -> BlackboardView {
        self.blackboard.view(self.plan)
    }

    /// Asks the Supervisor for something on this agent's behalf (change the
    /// plan, message an agent or a role and maybe wait for the reply, note a
    /// file on the blackboard) and resolves to its answer, a line of text
    /// for the model, or to why it was refused.
    pub async fn ask_supervisor(&self, request: AgentRequest) -> Result<String, SupervisorError> {
        (self.supervisor)(request).await
    }

    /// The session's conversation when this agent runs a person's turn
    /// with a single agent: the messages of the earlier turns, to continue
    /// (and to add this turn's messages to as they happen). `None` for the
    /// tasks of plans, checks and other agents, which start afresh.
    pub fn conversation(&self) -> Option<&Conversation> {
        self.conversation.as_ref()
    }

    /// The context window of [`Self::model`] in tokens, when the front end
    /// said (see [`crate::context_window`]).
    pub fn context_window(&self) -> Option<u32> {
        self.context_window
    }

    /// Whether the agent should compact its conversation on its own when
    /// it nears [`Self::context_window`] (the config's `compaction.auto`).
    pub fn auto_compact(&self) -> bool {
        self.auto_compact
    }

    /// The person's and the project's standing instructions (`AGENTS.md`
    /// files and the project's knowledge, see [`crate::instructions`]), for
    /// the system prompt; empty when there are none.
    pub fn instructions(&self) -> &str {
        &self.instructions
    }

    /// Whether this task asks the agent only to compact
    /// [`Self::conversation`] ([`crate::protocol::Op::Compact`]); a role
    /// that cannot should answer without doing anything else.
    pub fn compaction_requested(&self) -> bool {
        self.compaction_requested
    }
}
