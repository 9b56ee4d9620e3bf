//! What can be asked of a [`super::Supervisor`] through its `Addr`.
//!
//! Front ends mostly use [`Submit`] and read the answers from the event
//! stream; the other messages answer directly, for embedders and tests.

use super::SupervisorError;
use crate::protocol::{Envelope, Op, StatusReport, TaskId, TaskSpec};
use actix::Message;

/// Carries out an [`Op`]. Its effects and answers arrive as events.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct Submit(pub Op);

/// Queues a task and answers with its id, or why it was refused (an
/// unknown role or dependency). While a user turn is open, the task becomes
/// part of it.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<TaskId, SupervisorError>")]
pub struct Enqueue(pub TaskSpec);

/// Delivers a message to the agents it is addressed to and answers how many
/// received it; 0 means it was refused or nobody could take it, and an
/// [`crate::protocol::Event::Error`] says why.
#[derive(Debug, Clone, Message)]
#[rtype(result = "usize")]
pub struct RouteMessage(pub Envelope);

/// Answers with a snapshot of live agents and known tasks.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "StatusReport")]
pub struct GetStatus;
