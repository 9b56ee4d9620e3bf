//! The vocabulary front ends and the runtime share: [`Op`]s go in, [`Event`]s
//! come out. Plain serde types with no behaviour, so the CLI, the wasm API and
//! the tests all read the same words; the actors give them meaning.
//!
//! The JSON form is stable: `run --format json` prints one [`Event`] per line,
//! tagged by `"type"`, and ops are tagged by `"op"`.

mod agent_request;
mod changes;
mod checks;
mod envelope;
mod event;
mod ids;
mod op;
mod plan;
mod status;
mod task;
mod todo;

pub use agent_request::AgentRequest;
pub use changes::{ChangedFile, FileStatus};
pub use checks::{Review, ReviewFinding, TestReport};
pub use envelope::{Envelope, Recipient};
pub use event::{Event, TurnStatus};
pub use ids::{AgentId, TaskId};
pub use op::Op;
pub use plan::{Plan, PlanStatus, PlanTaskStatus, PlannedTask};
pub use status::{AgentState, AgentStatus, StatusReport, TaskStatus};
pub use task::{TaskSpec, TaskState};
pub use todo::{Todo, TodoPriority, TodoStatus};
