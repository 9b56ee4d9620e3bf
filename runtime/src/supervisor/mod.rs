//! The Supervisor and its agents: a task queue, a mesh of agent actors, and
//! the rules for starting, restarting and retiring them.
//!
//! A front end builds a [`Supervisor`] with [`SupervisorBuilder`], sends it
//! [`Submit`]`(Op)` messages and renders the events from the returned
//! stream. For every ready task the Supervisor starts an agent actor of the
//! task's role (at most [`SupervisorBuilder::max_parallel_agents`] at once);
//! the agent runs [`crate::role::Role::run`] and is retired when the task
//! ends. A retryable failure (see [`crate::role::RoleError::is_retryable`]:
//! a transient provider failure, a [`crate::role::RoleError::Failed`]) or a
//! panic restarts the agent (same id, fresh actor) on the same task until
//! the retry budget is spent; then the task fails with the last reason.
//!
//! Files, one concept each: `builder` (configuration), `supervisor` (the
//! actor), `messages` (what it answers), `agent` (the agent actor),
//! `task_queue` (dependencies and priorities), `mesh` (who may message
//! whom), `turn` (when a user turn is complete), `spend` (token and cost
//! totals), `approvals` (questions waiting for the front end),
//! `change_ops` (show, apply, reject, undo the session's changes),
//! `plan_check` (whether a plan can run), `auto_plan` (whether a request
//! is planned when the person did not say), `plan_approval` (a proposed
//! plan waiting for the person), `plan_run` (a planner's plan run as a DAG
//! of tasks), `check_rounds` (tests and reviews after a plan's tasks, with
//! fix rounds), `agent_requests` (what agents ask of the Supervisor: a task
//! added to their plan, a message and its reply, a file note), `replies`
//! (agents waiting for a reply), `error`.

mod agent;
mod agent_requests;
mod approvals;
mod auto_plan;
mod builder;
mod change_ops;
mod check_rounds;
mod error;
mod mesh;
pub mod messages;
mod plan_approval;
mod plan_check;
mod plan_run;
mod replies;
mod spend;
#[allow(clippy::module_inception)]
mod supervisor;
mod task_queue;
mod turn;

pub use auto_plan::{PLAN_MIN_FILES, PLAN_MIN_ITEMS, PLAN_MIN_WORDS, wants_plan};
pub use builder::SupervisorBuilder;
pub use error::SupervisorError;
pub use mesh::MeshTopology;
pub use messages::{Enqueue, GetStatus, RouteMessage, Submit};
pub use plan_check::{PlanError, check_plan, parse_plan};
pub use supervisor::Supervisor;
