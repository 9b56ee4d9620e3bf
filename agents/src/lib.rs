//! # code-mesh-agents
//!
//! The built-in agent roles and the loop they share. A role is a
//! [`code_mesh_runtime::role::Role`] registered with the Supervisor by name,
//! exactly as a user's own role would be:
//!
//! ```no_run
//! use std::rc::Rc;
//! use code_mesh_agents::Coder;
//! use code_mesh_runtime::supervisor::SupervisorBuilder;
//!
//! let builder = SupervisorBuilder::new().role("coder", Rc::new(Coder::default()));
//! # let _ = builder;
//! ```
//!
//! [`Planner`] turns a request into a plan of tasks (by calling its one
//! tool, `plan`); registered as `planner`, the Supervisor runs that plan as
//! a DAG of `coder` agents.
//!
//! After a plan's tasks, [`Tester`] (registered as `tester`) runs the
//! project's tests against the staged changes in a scratch copy, and
//! [`Reviewer`] (registered as `reviewer`) reviews the staged diff by
//! calling its one tool, `review`; the Supervisor turns failures and
//! findings into fix tasks for `coder`, a bounded number of rounds.
//!
//! In a plan run, agents also get the [`mesh_tools`]: `add_task` (change the
//! running plan), `message` (ask another agent or role, e.g. the planner)
//! and `note_file` (a file summary on the shared blackboard).
//!
//! [`agent_loop`] is the model ↔ tool loop: send the conversation and the
//! tool specs, stream the text out as events, run the tool calls the model
//! makes, feed the results back, until a final answer. It keeps the
//! conversation within the model's context window: old tool outputs are
//! pruned and then the older part is summarised when it nears the limit.

pub mod agent_loop;
mod coder;
mod compaction;
pub mod mesh_tools;
mod planner;
mod prompt;
mod repeat_guard;
mod reviewer;
mod search_terms;
mod structured_answer;
mod tester;
mod tokens;
mod tool_calls;

pub use agent_loop::{LoopLimits, run_agent_loop, run_conversation_loop};
pub use coder::Coder;
pub use planner::{PLAN_TOOL, Planner, plan_tool_spec};
pub use reviewer::{REVIEW_TOOL, Reviewer, review_tool_spec};
pub use tester::{DEFAULT_TEST_TIMEOUT, Tester};
#[cfg(not(target_family = "wasm"))]
pub use tester::{TestWorkspace, detect_test_command};
