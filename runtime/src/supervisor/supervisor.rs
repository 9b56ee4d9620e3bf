//! The [`Supervisor`] actor: owns the task queue and the mesh, starts an
//! agent per ready task, restarts failed agents, and reports everything as
//! events.

use super::SupervisorError;
use super::agent::{Agent, AssignTask, AttemptEnded, CancelTask, Deliver};
use super::agent_requests::AgentAsks;
use super::approvals::PendingApprovals;
use super::auto_plan::wants_plan;
use super::builder::Settings;
use super::check_rounds::{CheckKind, CheckRoles, test_failure_reason, test_report_of};
use super::mesh::Mesh;
use super::messages::{Enqueue, GetStatus, RouteMessage, Submit};
use super::plan_approval::PendingPlan;
use super::plan_check::{PlanError, check_plan, parse_plan};
use super::plan_run::{PlanRun, worker_description};
use super::replies::PendingReplies;
use super::spend::{Spend, UsageRecorded};
use super::task_queue::TaskQueue;
use super::turn::Turns;
use crate::blackboard::{Blackboard, TranscriptEntry};
use crate::changes::SessionChanges;
use crate::events::EventSink;
use crate::model::{ModelRef, Usage};
use crate::permission::PermissionGate;
use crate::protocol::{
    AgentId, AgentState, AgentStatus, Envelope, Event, Op, Plan, StatusReport, TaskId, TaskSpec,
    TaskStatus, TestReport, TurnStatus,
};
use crate::role::{AgentContext, AgentContextParts, Router, SupervisorLink, Task, UsageReporter};
use actix::prelude::*;
use futures::channel::mpsc;
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// The reason cancelled tasks fail with.
const CANCELLED: &str = "cancelled";

/// What an agent's request resolves to when the Supervisor stopped first.
fn gone() -> SupervisorError {
    SupervisorError::NoReply {
        reason: "the Supervisor has stopped".to_string(),
    }
}

/// The actor that runs a session's agents. Start one with
/// [`super::SupervisorBuilder`]; talk to it with the messages in
/// [`super::messages`]; read what happens from the event stream.
pub struct Supervisor {
    pub(super) settings: Settings,
    /// The session's change set, shared with every tool call.
    pub(super) session_changes: SessionChanges,
    /// The session's permissions, shared with every tool call.
    permissions: Rc<PermissionGate>,
    /// Approval questions waiting for the front end.
    approvals: PendingApprovals,
    events: EventSink,
    pub(super) queue: TaskQueue,
    pub(super) mesh: Mesh,
    /// Live agents; each holds exactly one running task.
    pub(super) agents: BTreeMap<AgentId, AgentSlot>,
    pub(super) turns: Turns,
    /// What every request of the session has used.
    session: Spend,
    /// The plans proposed so far, oldest first.
    pub(super) plans: Vec<PlanRun>,
    /// Proposed plans waiting for the person's approval.
    pub(super) pending_plans: Vec<PendingPlan>,
    /// What the agents share: plans, finished tasks, file summaries.
    pub(super) blackboard: Blackboard,
    /// Agents waiting for a reply to a message.
    pub(super) replies: PendingReplies,
    /// The tasks of single-agent user turns: their agents get the session's
    /// conversation.
    conversation_tasks: BTreeSet<TaskId>,
    /// The tasks that only compact the conversation ([`Op::Compact`]).
    compaction_tasks: BTreeSet<TaskId>,
    next_agent: u64,
}

/// A live agent as the Supervisor sees it.
pub(super) struct AgentSlot {
    pub(super) addr: Addr<Agent>,
    pub(super) role: String,
    pub(super) task: TaskId,
    attempt: u32,
    /// The model its role uses.
    model: ModelRef,
    /// What its task's requests have used, over every attempt.
    usage: Usage,
}

impl Actor for Supervisor {
    type Context = Context<Self>;
}

impl Supervisor {
    pub(crate) fn new(mut settings: Settings, events: EventSink) -> Self {
        let mesh = Mesh::new(settings.topology.clone());
        let approvals = PendingApprovals::new(events.clone());
        let permissions = Rc::new(
            PermissionGate::new(std::mem::take(&mut settings.permissions))
                .yes(settings.yes)
                .with_approver(Rc::new(approvals.clone())),
        );
        let session_changes = settings
            .changes
            .take()
            .unwrap_or_else(|| SessionChanges::new(settings.project_root.clone()));
        Self {
            settings,
            session_changes,
            permissions,
            approvals,
            events,
            queue: TaskQueue::new(),
            mesh,
            agents: BTreeMap::new(),
            turns: Turns::default(),
            session: Spend::default(),
            plans: Vec::new(),
            blackboard: Blackboard::new(),
            replies: PendingReplies::default(),
            pending_plans: Vec::new(),
            conversation_tasks: BTreeSet::new(),
            compaction_tasks: BTreeSet::new(),
            next_agent: 0,
        }
    }

    pub(super) fn emit(&self, event: Event) {
        self.events.emit(event);
    }

    /// Opens a turn with one task for `role`, or else for the role `plan`
    /// chooses (see [`Self::turn_role`]).
    fn begin_turn(
        &mut self,
        prompt: String,
        role: Option<String>,
        plan: Option<bool>,
        ctx: &mut Context<Self>,
    ) {
        let role = role.unwrap_or_else(|| self.turn_role(&prompt, plan));
        self.turns.open();
        self.session_changes.begin_checkpoint();
        // A plan run's agents start afresh; a single agent continues the
        // session's conversation.
        let single = role != self.settings.planner_role;
        if single {
            self.settings.conversation.begin_turn();
        }
        match self.queue_task(TaskSpec::new(role, prompt), None) {
            Ok(task) => {
                if single {
                    self.conversation_tasks.insert(task);
                }
                self.dispatch(ctx);
            }
            Err(error) => self.refuse_turn(error.to_string()),
        }
    }

    /// Ends a turn that could not start, with `error`.
    fn refuse_turn(&mut self, error: String) {
        self.turns.abandon_if_empty();
        self.emit(Event::TurnComplete {
            status: TurnStatus::Failed,
            answer: None,
            error: Some(error),
            usage: Default::default(),
            cost_usd: None,
        });
    }

    /// Opens a turn whose one task, for the default role, compacts the
    /// session's conversation ([`Op::Compact`]); refused while an agent is
    /// working on the conversation.
    fn compact(&mut self, ctx: &mut Context<Self>) {
        if self
            .agents
            .values()
            .any(|slot| self.conversation_tasks.contains(&slot.task))
        {
            self.emit(Event::Error {
                message: "cannot compact while a turn is running; wait for it to end or cancel it"
                    .to_string(),
            });
            return;
        }
        self.turns.open();
        let spec = TaskSpec::new(
            self.settings.default_role.clone(),
            "Compact the conversation.".to_string(),
        );
        match self.queue_task(spec, None) {
            Ok(task) => {
                self.conversation_tasks.insert(task);
                self.compaction_tasks.insert(task);
                self.dispatch(ctx);
            }
            Err(error) => self.refuse_turn(error.to_string()),
        }
    }

    /// The role of a turn that names none: the planner role when `plan` is
    /// `Some(true)`, or when it is `None`, a planner role is registered and
    /// the request [`wants_plan`]; else the default role.
    fn turn_role(&self, prompt: &str, plan: Option<bool>) -> String {
        let planner = &self.settings.planner_role;
        let planned =
            plan.unwrap_or_else(|| self.settings.roles.contains_key(planner) && wants_plan(prompt));
        if planned {
            planner.clone()
        } else {
            self.settings.default_role.clone()
        }
    }

    /// Queues a task, reports it, and starts it if a slot is free.
    pub(super) fn enqueue(
        &mut self,
        spec: TaskSpec,
        ctx: &mut Context<Self>,
    ) -> Result<TaskId, SupervisorError> {
        let id = self.queue_task(spec, None)?;
        self.dispatch(ctx);
        Ok(id)
    }

    /// Queues a task into the turn of `beside` (the newest turn when
    /// `None`) and reports it, without starting anything.
    pub(super) fn queue_task(
        &mut self,
        spec: TaskSpec,
        beside: Option<TaskId>,
    ) -> Result<TaskId, SupervisorError> {
        if !self.settings.roles.contains_key(&spec.role) {
            return Err(SupervisorError::UnknownRole {
                role: spec.role,
                known: self.settings.roles.keys().cloned().collect(),
            });
        }
        let id = self.queue.enqueue(spec)?;
        self.turns.add_task(id, beside);
        if let Some(task) = self.queue.get(id) {
            self.events.emit(Event::TaskQueued {
                task: id,
                role: task.spec.role.clone(),
                description: task.spec.description.clone(),
                depends_on: task.spec.depends_on.clone(),
            });
            if let Some(reason) = &task.failure {
                // A dependency had already failed.
                self.events.emit(Event::TaskFailed {
                    task: id,
                    reason: reason.clone(),
                    attempts: 0,
                });
                self.close_turns();
            }
        }
        Ok(id)
    }

    /// Starts ready tasks while agent slots are free.
    pub(super) fn dispatch(&mut self, ctx: &mut Context<Self>) {
        while self.agents.len() < self.settings.max_parallel_agents {
            let Some(task) = self.queue.start_next() else {
                break;
            };
            self.next_agent += 1;
            let agent = AgentId(self.next_agent);
            let role = self
                .queue
                .get(task)
                .map(|t| t.spec.role.clone())
                .unwrap_or_default();
            self.emit(Event::AgentSpawned { agent, role, task });
            self.start_attempt(agent, task, 1, ctx);
            self.report_plan_of(task);
        }
    }

    /// Starts a fresh agent actor with id `agent` on `task`'s attempt `attempt`.
    fn start_attempt(
        &mut self,
        agent: AgentId,
        task: TaskId,
        attempt: u32,
        ctx: &mut Context<Self>,
    ) {
        let Some(spec) = self.queue.get(task).map(|t| t.spec.clone()) else {
            return;
        };
        let Some(role) = self.settings.roles.get(&spec.role).cloned() else {
            // Roles cannot be unregistered, so this is only a safety net.
            let reason = format!("role `{}` is not registered", spec.role);
            let dependents = self.fail_task(task, reason, attempt);
            self.fail_dependents(dependents);
            return;
        };
        let model = self
            .settings
            .role_models
            .get(&spec.role)
            .unwrap_or(&self.settings.model)
            .clone();
        let price = match self.settings.role_prices.get(&spec.role) {
            Some(price) => *price,
            None => self.settings.price,
        };
        let (inbox, inbox_rx) = mpsc::unbounded();
        let supervisor = ctx.address();
        let router: Router = {
            let supervisor = supervisor.clone();
            Rc::new(move |envelope: Envelope| supervisor.do_send(RouteMessage(envelope)))
        };
        let link: SupervisorLink = {
            let supervisor = supervisor.clone();
            Rc::new(move |request| {
                let asked = supervisor.send(AgentAsks {
                    agent,
                    task,
                    request,
                });
                Box::pin(async move { asked.await.unwrap_or_else(|_| Err(gone())) })
            })
        };
        let plan = self
            .plans
            .iter()
            .find(|run| run.involves(task))
            .map(|run| run.planner);
        let usage: UsageReporter = {
            let supervisor = supervisor.clone();
            Rc::new(move |usage, cost_usd| {
                supervisor.do_send(UsageRecorded {
                    task,
                    usage,
                    cost_usd,
                })
            })
        };
        let context = AgentContext::new(AgentContextParts {
            agent,
            role: spec.role.clone(),
            model: model.clone(),
            root: self.settings.project_root.clone(),
            events: self.events.clone(),
            providers: self.settings.providers.clone(),
            tools: self.settings.tools.clone(),
            router,
            inbox: inbox_rx,
            price,
            usage,
            changes: self.session_changes.clone(),
            permissions: Rc::clone(&self.permissions),
            blackboard: self.blackboard.clone(),
            plan,
            supervisor: link,
            conversation: self
                .conversation_tasks
                .contains(&task)
                .then(|| self.settings.conversation.clone()),
            context_window: self.settings.context_windows.get(&model).copied(),
            auto_compact: self.settings.auto_compact,
            instructions: Rc::clone(&self.settings.instructions),
            compaction_requested: self.compaction_tasks.contains(&task),
        });
        let addr = Agent::new(role, context, inbox, supervisor).start();
        self.mesh.join(agent, &spec.role);
        addr.do_send(AssignTask(Task {
            id: task,
            inputs: self.queue.inputs(task),
            spec: spec.clone(),
            attempt,
        }));
        // A restarted agent keeps what its earlier attempts used.
        let used = self
            .agents
            .get(&agent)
            .map(|slot| slot.usage)
            .unwrap_or_default();
        self.agents.insert(
            agent,
            AgentSlot {
                addr,
                role: spec.role,
                task,
                attempt,
                model,
                usage: used,
            },
        );
        self.emit(Event::TaskStarted {
            task,
            agent,
            attempt,
        });
    }

    /// Settles an agent's report: finish, restart, or fail its task.
    fn attempt_ended(&mut self, report: AttemptEnded, ctx: &mut Context<Self>) {
        let AttemptEnded {
            agent,
            task,
            attempt,
            outcome,
        } = report;
        let current = self
            .agents
            .get(&agent)
            .is_some_and(|slot| slot.task == task && slot.attempt == attempt);
        if !current {
            // A report from an agent that was cancelled meanwhile.
            return;
        }
        let is_planner = self
            .agents
            .get(&agent)
            .is_some_and(|slot| slot.role == self.settings.planner_role);
        match outcome {
            Ok(summary) if is_planner => match self.read_plan(&summary) {
                Ok((plan, order)) => {
                    self.queue.finish(task, summary.clone());
                    self.emit(Event::TaskFinished {
                        task,
                        agent,
                        summary,
                    });
                    self.retire(agent);
                    self.propose_plan(task, plan, order);
                }
                Err(error) => {
                    let reason =
                        format!("the planner's answer is not a plan that can run: {error}");
                    let dependents = self.fail_task(task, reason, attempt);
                    self.retire(agent);
                    self.fail_dependents(dependents);
                }
            },
            Ok(summary) => {
                match self.failing_test_report(task, &summary) {
                    // A test run whose tests fail is a failed task; its
                    // plan run decides whether that fails the turn.
                    Some(report) => {
                        let reason = test_failure_reason(&report);
                        if let Some(run) = self.plans.iter_mut().find(|run| run.involves(task)) {
                            run.checks.note_failed_test(task, report);
                        }
                        let dependents = self.fail_task(task, reason, attempt);
                        self.fail_dependents(dependents);
                    }
                    None => {
                        self.queue.finish(task, summary.clone());
                        self.note_finished(task, &summary);
                        self.emit(Event::TaskFinished {
                            task,
                            agent,
                            summary,
                        });
                    }
                }
                self.retire(agent);
            }
            Err(failure) if failure.retryable && attempt <= self.settings.retry_budget => {
                // The failed attempt will not reply to anyone, nor hear a reply.
                self.replies.agent_gone(agent);
                let attempt = self.queue.retry(task);
                self.emit(Event::AgentRestarted {
                    agent,
                    task,
                    attempt,
                    reason: failure.reason,
                });
                self.start_attempt(agent, task, attempt, ctx);
            }
            Err(failure) => {
                let dependents = self.fail_task(task, failure.reason, attempt);
                self.retire(agent);
                self.fail_dependents(dependents);
            }
        }
        self.queue_checks_after(task);
        self.report_plan_of(task);
        self.close_turns();
        self.dispatch(ctx);
    }

    /// The report of `task`'s test run, when it is a test task of a plan
    /// run and its tests failed.
    fn failing_test_report(&self, task: TaskId, answer: &str) -> Option<TestReport> {
        let run = self.plans.iter().find(|run| run.involves(task))?;
        if run.checks.kind_of(task) != Some(CheckKind::Test) {
            return None;
        }
        test_report_of(answer).filter(|report| !report.passed)
    }

    /// Queues the checks that follow `task`'s end in its plan run, if any
    /// (see [`super::check_rounds`]), each after the one before. The caller
    /// dispatches them.
    fn queue_checks_after(&mut self, task: TaskId) {
        let Some(index) = self.plans.iter().position(|run| run.involves(task)) else {
            return;
        };
        let roles = CheckRoles {
            tester: self
                .settings
                .roles
                .contains_key(&self.settings.checks.tester_role),
            reviewer: self
                .settings
                .roles
                .contains_key(&self.settings.checks.reviewer_role),
        };
        let Some(run) = self.plans.get_mut(index) else {
            return;
        };
        let planned = run.planned();
        let steps = run.checks.next(
            task,
            &planned,
            &run.plan,
            &self.queue,
            &self.settings.checks,
            roles,
        );
        let planner = run.planner;
        let mut before = None;
        for step in steps {
            let role = match step.kind {
                CheckKind::Test => self.settings.checks.tester_role.clone(),
                CheckKind::Fix => self.settings.worker_role.clone(),
                CheckKind::Review => self.settings.checks.reviewer_role.clone(),
            };
            let mut spec = TaskSpec::new(role, step.description.clone());
            spec.depends_on.extend(before);
            spec.files = step.files.clone();
            match self.queue_task(spec, Some(planner)) {
                Ok(id) => {
                    if let Some(run) = self.plans.get_mut(index) {
                        run.checks.record(&step, id);
                    }
                    before = Some(id);
                }
                Err(error) => {
                    self.emit(Event::Error {
                        message: format!("a check of the plan was not queued: {error}"),
                    });
                    break;
                }
            }
        }
    }

    /// Reads and checks a planner's answer; returns the plan and the order
    /// its tasks can be queued in.
    fn read_plan(&self, answer: &str) -> Result<(Plan, Vec<usize>), PlanError> {
        let plan = parse_plan(answer)?;
        let order = check_plan(&plan)?;
        Ok((plan, order))
    }

    /// Proposes `plan` (the answer of the planner's task `planner`), then
    /// queues its tasks, or waits for the person's approval when plans
    /// need it (see `plan_approval`). The caller dispatches.
    fn propose_plan(&mut self, planner: TaskId, plan: Plan, order: Vec<usize>) {
        self.emit(Event::PlanProposed {
            task: planner,
            plan: plan.clone(),
        });
        if self.settings.approve_plans {
            self.await_approval(PendingPlan {
                planner,
                plan,
                order,
            });
        } else {
            self.queue_plan(planner, plan, order);
        }
    }

    /// Queues the tasks of `plan` (the planner's task `planner` proposed
    /// it) for the worker role in the planner's turn, in `order`. The
    /// caller dispatches them.
    pub(super) fn queue_plan(&mut self, planner: TaskId, plan: Plan, order: Vec<usize>) {
        let mut run = PlanRun {
            planner,
            plan,
            tasks: Vec::with_capacity(order.len()),
            checks: Default::default(),
        };
        for index in order {
            let Some(planned) = run.plan.tasks.get(index) else {
                continue;
            };
            let mut spec = TaskSpec::new(
                self.settings.worker_role.clone(),
                worker_description(&run.plan, planned),
            );
            // Dependencies come first in `order`, so each is already queued.
            spec.depends_on = planned
                .depends_on
                .iter()
                .filter_map(|dep| {
                    let j = run.plan.tasks.iter().position(|t| &t.id == dep)?;
                    run.tasks.iter().find(|(i, _)| *i == j).map(|(_, id)| *id)
                })
                .collect();
            spec.files = planned.files.clone();
            match self.queue_task(spec, Some(planner)) {
                Ok(id) => run.tasks.push((index, id)),
                Err(error) => self.emit(Event::Error {
                    message: format!("planned task `{}` was not queued: {error}", planned.id),
                }),
            }
        }
        self.plans.push(run);
        self.report_plan_of(planner);
    }

    /// Emits [`Event::PlanUpdated`] for the plan `task` belongs to, if
    /// any, and puts the plan as it now stands on the blackboard.
    pub(super) fn report_plan_of(&self, task: TaskId) {
        if let Some(run) = self.plans.iter().find(|run| run.involves(task)) {
            let plan = run.status(&self.queue);
            self.blackboard.set_plan(run.planner, plan.clone());
            self.emit(Event::PlanUpdated { plan });
        }
    }

    /// Adds finished `task` to the blackboard's transcript, under its id in
    /// its plan when it has one.
    fn note_finished(&self, task: TaskId, summary: &str) {
        let label = self
            .plans
            .iter()
            .find(|run| run.involves(task))
            .and_then(|run| {
                run.status(&self.queue)
                    .tasks
                    .into_iter()
                    .find(|t| t.task == task)
                    .map(|t| t.id)
            })
            .unwrap_or_else(|| task.to_string());
        let role = self
            .queue
            .get(task)
            .map(|t| t.spec.role.clone())
            .unwrap_or_default();
        self.blackboard.record_finished(TranscriptEntry {
            task,
            label,
            role,
            summary: summary.to_string(),
        });
    }

    /// Fails `task` after `attempts` attempts, and with it every task waiting
    /// on it; returns those, for [`Self::fail_dependents`] to report.
    #[must_use]
    fn fail_task(&mut self, task: TaskId, reason: String, attempts: u32) -> Vec<TaskId> {
        let dependents = self.queue.fail(task, reason.clone());
        self.emit(Event::TaskFailed {
            task,
            reason,
            attempts,
        });
        dependents
    }

    /// Reports the tasks that failed because a dependency failed.
    fn fail_dependents(&mut self, dependents: Vec<TaskId>) {
        for task in dependents {
            if let Some(t) = self.queue.get(task) {
                self.emit(Event::TaskFailed {
                    task,
                    reason: t.failure.clone().unwrap_or_default(),
                    attempts: t.attempts,
                });
            }
        }
    }

    /// Forgets a live agent whose task has ended. The actor has stopped itself
    /// (or is being cancelled).
    fn retire(&mut self, agent: AgentId) -> Option<AgentSlot> {
        let slot = self.agents.remove(&agent)?;
        self.mesh.leave(agent);
        self.replies.agent_gone(agent);
        self.emit(Event::AgentRetired {
            agent,
            role: slot.role.clone(),
        });
        Some(slot)
    }

    pub(super) fn close_turns(&mut self) {
        let (queue, plans) = (&self.queue, &self.plans);
        let report = |tasks: &[TaskId]| {
            plans
                .iter()
                .find(|run| tasks.contains(&run.planner))
                .map(|run| run.report(queue))
        };
        for event in self.turns.close_completed(queue, report) {
            self.emit(event);
        }
    }

    /// Stops every running task, fails the queued ones, and closes open turns
    /// as cancelled once every agent has dropped its work.
    fn cancel(&mut self, ctx: &mut Context<Self>) {
        // Queued tasks first, so that they fail as cancelled rather than
        // because a running dependency was cancelled.
        let queued = self.queue.cancel_pending(CANCELLED);
        self.approvals.cancel_all();
        self.replies.clear();
        self.pending_plans.clear();
        let running: Vec<AgentId> = self.agents.keys().copied().collect();
        let mut stopping = Vec::new();
        for agent in running {
            let Some(slot) = self.agents.get(&agent) else {
                continue;
            };
            stopping.push(slot.addr.send(CancelTask));
            let (task, attempts) = (slot.task, slot.attempt);
            // Nothing waits on it any more: its dependents were cancelled above.
            let _ = self.fail_task(task, CANCELLED.to_string(), attempts);
            self.retire(agent);
        }
        for task in queued {
            self.emit(Event::TaskFailed {
                task,
                reason: CANCELLED.to_string(),
                attempts: 0,
            });
        }
        let turns = self.turns.close_all();
        // Hold every other message until the agents have dropped their
        // futures, so that TurnComplete really is the end of the turn.
        ctx.wait(join_all(stopping).into_actor(self).map(move |_, act, _| {
            for spend in turns {
                act.emit(Event::TurnComplete {
                    status: TurnStatus::Cancelled,
                    answer: None,
                    error: None,
                    usage: spend.usage,
                    cost_usd: spend.cost_usd,
                });
            }
        }));
    }

    /// Delivers `envelope` to its recipients; returns how many got it.
    pub(super) fn route(&mut self, envelope: Envelope) -> usize {
        let recipients = match self.mesh.route(&envelope) {
            Ok(recipients) => recipients,
            Err(error) => {
                self.emit(Event::Error {
                    message: error.to_string(),
                });
                return 0;
            }
        };
        let mut delivered = 0;
        for to in recipients {
            if let Some(slot) = self.agents.get(&to) {
                slot.addr.do_send(Deliver(envelope.clone()));
                self.emit(Event::MessageDelivered {
                    to,
                    envelope: envelope.clone(),
                });
                delivered += 1;
            }
        }
        delivered
    }

    fn status(&self) -> StatusReport {
        StatusReport {
            agents: self
                .agents
                .iter()
                .map(|(id, slot)| AgentStatus {
                    id: *id,
                    role: slot.role.clone(),
                    state: AgentState::Working,
                    task: Some(slot.task),
                    model: slot.model.to_string(),
                    usage: slot.usage,
                })
                .collect(),
            tasks: self
                .queue
                .iter()
                .map(|task| TaskStatus {
                    id: task.id,
                    role: task.spec.role.clone(),
                    description: task.spec.description.clone(),
                    state: task.state.clone(),
                    attempts: task.attempts,
                })
                .collect(),
            plans: self
                .plans
                .iter()
                .map(|run| run.status(&self.queue))
                .collect(),
            usage: self.session.usage,
            cost_usd: self.session.cost_usd,
        }
    }
}

impl Handler<Submit> for Supervisor {
    type Result = ();

    fn handle(&mut self, Submit(op): Submit, ctx: &mut Self::Context) {
        match op {
            Op::UserTurn {
                prompt,
                agent,
                plan,
            } => self.begin_turn(prompt, agent, plan, ctx),
            Op::ApprovePlan { task, plan } => self.approve_plan(task, plan, ctx),
            Op::RejectPlan { task, reason } => self.reject_plan(task, reason),
            Op::EnqueueTask { task } => {
                if let Err(error) = self.enqueue(task, ctx) {
                    self.emit(Event::Error {
                        message: error.to_string(),
                    });
                }
            }
            Op::Cancel => self.cancel(ctx),
            Op::Status => {
                let report = self.status();
                self.emit(Event::Status { report });
            }
            Op::Approve { id, decision } => {
                if !self.approvals.answer(id, decision) {
                    self.emit(Event::Error {
                        message: format!("no approval request {id} is waiting for an answer"),
                    });
                }
            }
            Op::ShowChanges => self.show_changes(),
            Op::ApplyChanges => self.apply_changes(),
            Op::ApplyFiles { paths } => self.apply_files(&paths),
            Op::RejectChanges => self.reject_changes(),
            Op::Undo => self.undo_changes(),
            Op::Compact => self.compact(ctx),
        }
    }
}

impl Handler<Enqueue> for Supervisor {
    type Result = Result<TaskId, SupervisorError>;

    fn handle(&mut self, Enqueue(spec): Enqueue, ctx: &mut Self::Context) -> Self::Result {
        self.enqueue(spec, ctx)
    }
}

impl Handler<RouteMessage> for Supervisor {
    type Result = usize;

    fn handle(&mut self, RouteMessage(envelope): RouteMessage, _: &mut Self::Context) -> usize {
        self.route(envelope)
    }
}

impl Handler<GetStatus> for Supervisor {
    type Result = MessageResult<GetStatus>;

    fn handle(&mut self, _: GetStatus, _: &mut Self::Context) -> Self::Result {
        MessageResult(self.status())
    }
}

impl Handler<UsageRecorded> for Supervisor {
    type Result = ();

    fn handle(&mut self, report: UsageRecorded, _: &mut Self::Context) {
        self.session.add(report.usage, report.cost_usd);
        if let Some(slot) = self.agents.values_mut().find(|s| s.task == report.task) {
            slot.usage += report.usage;
        }
        self.turns
            .record_usage(report.task, report.usage, report.cost_usd);
    }
}

impl Handler<AttemptEnded> for Supervisor {
    type Result = ();

    fn handle(&mut self, report: AttemptEnded, ctx: &mut Self::Context) {
        self.attempt_ended(report, ctx);
    }
}
