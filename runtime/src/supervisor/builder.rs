//! [`SupervisorBuilder`]: configure a Supervisor once, then start it.

use super::check_rounds::CheckSettings;
use super::{MeshTopology, Supervisor};
use crate::changes::SessionChanges;
use crate::context_window::ContextWindows;
use crate::events::{EventSink, EventStream};
use crate::model::ModelRef;
use crate::permission::PermissionRules;
use crate::pricing::{ModelPrice, PriceList};
use crate::protocol::Event;
use crate::provider::{Provider, ProviderRegistry};
use crate::role::Role;
use crate::session::Conversation;
use crate::tool::{Tool, ToolRegistry};
use actix::{Actor, Addr};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::rc::Rc;

/// Everything a started Supervisor works with.
pub(crate) struct Settings {
    pub providers: ProviderRegistry,
    pub tools: ToolRegistry,
    pub roles: BTreeMap<String, Rc<dyn Role>>,
    pub default_role: String,
    pub model: ModelRef,
    /// The price of `model`, looked up once at start.
    pub price: Option<ModelPrice>,
    /// Roles that use a model of their own instead of `model`.
    pub role_models: BTreeMap<String, ModelRef>,
    /// The prices of `role_models`, by role, looked up once at start.
    pub role_prices: BTreeMap<String, Option<ModelPrice>>,
    /// The role whose answers are plans to run.
    pub planner_role: String,
    /// The role that runs each planned task.
    pub worker_role: String,
    /// The tests and reviews after a plan's tasks.
    pub checks: CheckSettings,
    /// Whether a proposed plan waits for the person's approval.
    pub approve_plans: bool,
    pub project_root: PathBuf,
    pub max_parallel_agents: usize,
    pub retry_budget: u32,
    pub topology: MeshTopology,
    pub permissions: PermissionRules,
    pub yes: bool,
    /// A saved session's changes to continue with; a fresh set when `None`.
    pub changes: Option<SessionChanges>,
    /// The session's conversation with the single agent.
    pub conversation: Conversation,
    /// The context windows of `model` and `role_models`, where known.
    pub context_windows: HashMap<ModelRef, u32>,
    /// Whether agents compact on their own near the context window.
    pub auto_compact: bool,
    /// The standing instructions for the system prompts.
    pub instructions: Rc<str>,
}

/// Configures and starts a [`Supervisor`].
///
/// ```no_run
/// use code_mesh_runtime::protocol::Op;
/// use code_mesh_runtime::supervisor::{SupervisorBuilder, Submit};
/// # async fn demo(coder: std::rc::Rc<dyn code_mesh_runtime::role::Role>) {
/// // Inside a running actix System (natively) or a LocalSet (wasm):
/// let (supervisor, mut events) = SupervisorBuilder::new()
///     .role("coder", coder)
///     .max_parallel_agents(2)
///     .start();
/// supervisor.do_send(Submit(Op::UserTurn {
///     prompt: "fix the tests".into(),
///     agent: None,
///     plan: None,
/// }));
/// # }
/// ```
pub struct SupervisorBuilder {
    providers: ProviderRegistry,
    tools: ToolRegistry,
    roles: BTreeMap<String, Rc<dyn Role>>,
    default_role: String,
    model: ModelRef,
    role_models: BTreeMap<String, ModelRef>,
    planner_role: String,
    worker_role: String,
    checks: CheckSettings,
    approve_plans: bool,
    prices: Option<Rc<dyn PriceList>>,
    project_root: Option<PathBuf>,
    session_id: Option<String>,
    max_parallel_agents: usize,
    retry_budget: u32,
    topology: MeshTopology,
    permissions: PermissionRules,
    yes: bool,
    changes: Option<SessionChanges>,
    conversation: Conversation,
    window_lookup: Option<Rc<dyn ContextWindows>>,
    windows: HashMap<ModelRef, u32>,
    auto_compact: bool,
    instructions: String,
}

impl Default for SupervisorBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl SupervisorBuilder {
    /// A builder with no roles, tools or providers; default role `coder`,
    /// model `openai/gpt-4o`, the current directory as project root, a fresh
    /// session id, 4 agents at a time, 2 restarts per task, full topology.
    pub fn new() -> Self {
        Self {
            providers: ProviderRegistry::new(),
            tools: ToolRegistry::new(),
            roles: BTreeMap::new(),
            default_role: "coder".to_string(),
            model: ModelRef {
                provider: "openai".to_string(),
                model: "gpt-4o".to_string(),
            },
            role_models: BTreeMap::new(),
            planner_role: "planner".to_string(),
            worker_role: "coder".to_string(),
            checks: CheckSettings::default(),
            approve_plans: false,
            prices: None,
            project_root: None,
            session_id: None,
            max_parallel_agents: 4,
            retry_budget: 2,
            topology: MeshTopology::full(),
            permissions: PermissionRules::defaults(),
            yes: false,
            changes: None,
            conversation: Conversation::new(),
            window_lookup: None,
            windows: HashMap::new(),
            auto_compact: true,
            instructions: String::new(),
        }
    }

    /// Uses `providers` (replacing any registered so far).
    pub fn providers(mut self, providers: ProviderRegistry) -> Self {
        self.providers = providers;
        self
    }

    /// Registers one provider under `id`.
    pub fn provider(mut self, id: impl Into<String>, provider: Rc<dyn Provider>) -> Self {
        self.providers.register(id, provider);
        self
    }

    /// Uses `tools` (replacing any registered so far).
    pub fn tools(mut self, tools: ToolRegistry) -> Self {
        self.tools = tools;
        self
    }

    /// Registers one tool under the name in its spec.
    pub fn tool(mut self, tool: Rc<dyn Tool>) -> Self {
        self.tools.register(tool);
        self
    }

    /// Registers `role` under `name`, replacing one of the same name.
    pub fn role(mut self, name: impl Into<String>, role: Rc<dyn Role>) -> Self {
        self.roles.insert(name.into(), role);
        self
    }

    /// The role a user turn goes to when it names none (default `coder`).
    pub fn default_role(mut self, name: impl Into<String>) -> Self {
        self.default_role = name.into();
        self
    }

    /// The model agents use.
    pub fn model(mut self, model: ModelRef) -> Self {
        self.model = model;
        self
    }

    /// The model the agents of `role` use instead of the session's model
    /// (the config's `agent.<role>.model`). Its provider must be registered.
    pub fn role_model(mut self, role: impl Into<String>, model: ModelRef) -> Self {
        self.role_models.insert(role.into(), model);
        self
    }

    /// Which role plans and which role does the planned tasks (default
    /// `planner` and `coder`). A turn given to the planner role is a plan
    /// run: when a task of the planner role finishes, its answer is read as
    /// a [`crate::protocol::Plan`] and each planned task is queued for the
    /// worker role, with its dependencies and files.
    pub fn plan_roles(mut self, planner: impl Into<String>, worker: impl Into<String>) -> Self {
        self.planner_role = planner.into();
        self.worker_role = worker.into();
        self
    }

    /// Which roles check a plan run's work (default `tester` and
    /// `reviewer`). Once every planned task is done, a task of the tester
    /// role runs the tests (when that role is registered); failing tests get
    /// a fix task for the worker role and a new test run, up to
    /// [`Self::test_rounds`]. Then a task of the reviewer role reviews the
    /// staged diff (when registered); its findings get a fix task, tests and
    /// a new review, up to [`Self::review_rounds`]. The tester answers a
    /// [`crate::protocol::TestReport`] and the reviewer a
    /// [`crate::protocol::Review`], as JSON.
    pub fn check_roles(mut self, tester: impl Into<String>, reviewer: impl Into<String>) -> Self {
        self.checks.tester_role = tester.into();
        self.checks.reviewer_role = reviewer.into();
        self
    }

    /// How many fix rounds failing tests get after a plan's tasks (the
    /// config's `agent.tester.rounds`; default 2, 0 for none).
    pub fn test_rounds(mut self, rounds: u32) -> Self {
        self.checks.test_rounds = rounds;
        self
    }

    /// How many reviews may follow the first, each after a fix of the last
    /// one's findings (the config's `agent.reviewer.rounds`; default 1).
    pub fn review_rounds(mut self, rounds: u32) -> Self {
        self.checks.review_rounds = rounds;
        self
    }

    /// Whether a proposed plan waits for the person (default: no, it runs
    /// at once). When on, after [`crate::protocol::Event::PlanProposed`]
    /// nothing of the plan is queued until
    /// [`crate::protocol::Op::ApprovePlan`] (which may carry an edited
    /// plan) or [`crate::protocol::Op::RejectPlan`] (which ends the turn as
    /// cancelled, nothing edited) names the planner's task.
    pub fn approve_plans(mut self, approve: bool) -> Self {
        self.approve_plans = approve;
        self
    }

    /// Where the model's price is looked up, so that usage events and turn
    /// totals carry a cost in USD (default: none, and no costs are reported).
    pub fn prices(mut self, prices: Rc<dyn PriceList>) -> Self {
        self.prices = Some(prices);
        self
    }

    /// The project root tools are confined to (default: the current directory).
    pub fn project_root(mut self, root: impl Into<PathBuf>) -> Self {
        self.project_root = Some(root.into());
        self
    }

    /// The session's id (default: a new UUID v4).
    pub fn session_id(mut self, id: impl Into<String>) -> Self {
        self.session_id = Some(id.into());
        self
    }

    /// How many agents may work at once (default 4; at least 1).
    pub fn max_parallel_agents(mut self, n: usize) -> Self {
        self.max_parallel_agents = n.max(1);
        self
    }

    /// How many times a task's agent may be restarted after a retryable
    /// failure or a panic before the task fails (default 2, so 3 attempts).
    pub fn retry_budget(mut self, restarts: u32) -> Self {
        self.retry_budget = restarts;
        self
    }

    /// Which role may message which (default: [`MeshTopology::full`]).
    pub fn topology(mut self, topology: MeshTopology) -> Self {
        self.topology = topology;
        self
    }

    /// The permission rules tools are held to (default:
    /// [`PermissionRules::defaults`]; give the defaults extended with the
    /// config's rules).
    pub fn permissions(mut self, rules: PermissionRules) -> Self {
        self.permissions = rules;
        self
    }

    /// `--yes`: answer every `ask` with "allow" (edits are written through);
    /// a `deny` stays a deny. Default: off.
    pub fn yes(mut self, yes: bool) -> Self {
        self.yes = yes;
        self
    }

    /// Continues with a saved session's staged changes and undo history
    /// (default: a fresh, empty change set).
    pub fn changes(mut self, changes: SessionChanges) -> Self {
        self.changes = Some(changes);
        self
    }

    /// The session's conversation with the single agent (default: a new,
    /// empty one recorded nowhere). Give [`Conversation::resume`] with a
    /// saved session's messages to continue it (`-c`, `-s ID`), and
    /// [`Conversation::with_recorder`] to have every change kept. Each user
    /// turn handled by a single agent (not a plan run) continues it; turns
    /// of one Supervisor share it, as a REPL's do.
    pub fn conversation(mut self, conversation: Conversation) -> Self {
        self.conversation = conversation;
        self
    }

    /// Where the context windows of the models are looked up (the
    /// providers crate's `ModelCatalog`, say), so that agents compact their
    /// conversation before it outgrows the model (default: none, and no
    /// agent compacts on its own). Windows given with
    /// [`Self::context_window`] win.
    pub fn context_windows(mut self, lookup: Rc<dyn ContextWindows>) -> Self {
        self.window_lookup = Some(lookup);
        self
    }

    /// The context window of `model`, in tokens (the config's
    /// `provider.<id>.models.<model>.limit.context`, or the catalogue's).
    pub fn context_window(mut self, model: ModelRef, tokens: u32) -> Self {
        self.windows.insert(model, tokens);
        self
    }

    /// Whether agents compact their conversation on their own when it nears
    /// the model's context window (the config's `compaction.auto`; default
    /// on). [`crate::protocol::Op::Compact`] works either way.
    pub fn auto_compact(mut self, auto: bool) -> Self {
        self.auto_compact = auto;
        self
    }

    /// The standing instructions put in the system prompt of a new
    /// conversation: read them with [`crate::instructions::load_instructions`]
    /// (`AGENTS.md` files and the project's knowledge). Default: none.
    pub fn instructions(mut self, instructions: impl Into<String>) -> Self {
        self.instructions = instructions.into();
        self
    }

    /// Starts the Supervisor and returns its address and its event stream,
    /// whose first event is [`Event::SessionStarted`].
    ///
    /// Must be called inside a running actix `System` (natively) or inside a
    /// `tokio::task::LocalSet` (wasm), like any actor start.
    pub fn start(self) -> (Addr<Supervisor>, EventStream) {
        let (events, stream) = EventSink::channel();
        let project_root = self
            .project_root
            .unwrap_or_else(|| std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")));
        // Tools see the project through its physical path (symlinks
        // resolved); the change set and the rules must name files the same way.
        let project_root = std::fs::canonicalize(&project_root).unwrap_or(project_root);
        let session_id = self
            .session_id
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        events.emit(Event::SessionStarted {
            session_id,
            model: self.model.to_string(),
            project: project_root.display().to_string(),
        });
        let price = self
            .prices
            .as_ref()
            .and_then(|prices| prices.price(&self.model));
        let role_prices = self
            .role_models
            .iter()
            .map(|(role, model)| {
                let price = self.prices.as_ref().and_then(|prices| prices.price(model));
                (role.clone(), price)
            })
            .collect();
        let mut context_windows = HashMap::new();
        for model in std::iter::once(&self.model).chain(self.role_models.values()) {
            let window = self.windows.get(model).copied().or_else(|| {
                self.window_lookup
                    .as_ref()
                    .and_then(|lookup| lookup.context_window(model))
            });
            if let Some(window) = window {
                context_windows.insert(model.clone(), window);
            }
        }
        let settings = Settings {
            providers: self.providers,
            tools: self.tools,
            roles: self.roles,
            default_role: self.default_role,
            model: self.model,
            price,
            role_models: self.role_models,
            role_prices,
            planner_role: self.planner_role,
            worker_role: self.worker_role,
            checks: self.checks,
            approve_plans: self.approve_plans,
            project_root,
            max_parallel_agents: self.max_parallel_agents,
            retry_budget: self.retry_budget,
            topology: self.topology,
            permissions: self.permissions,
            yes: self.yes,
            changes: self.changes,
            conversation: self.conversation,
            context_windows,
            auto_compact: self.auto_compact,
            instructions: Rc::from(self.instructions),
        };
        (Supervisor::new(settings, events).start(), stream)
    }
}
