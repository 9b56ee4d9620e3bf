//! # code-mesh-runtime
//!
//! The actor runtime at the heart of Code Mesh. Front ends send [`protocol::Op`]s
//! to a [`supervisor::Supervisor`] and read [`protocol::Event`]s back; the
//! Supervisor owns the task queue and the mesh of agents, starts an agent actor
//! per task from a registered [`role::Role`], and restarts a failed one without
//! losing its task. Models are reached through [`provider::Provider`]s and the
//! project through [`tool::Tool`]s; both are registered by the front end.
//!
//! Where to go next: `protocol` for the vocabulary, `role` for writing an agent,
//! `supervisor` for running them, `blackboard` for what agents share, `config` for the settings files, `auth` for
//! stored credentials, `pricing` for what requests cost, `context_window` for how much conversation a
//! model takes, `instructions` for `AGENTS.md` and the project's knowledge.
//!
//! Everything here builds for `wasm32-unknown-unknown`: no actix or tokio
//! timers (waiting goes through [`platform`]), no global registries, no
//! `Send` bounds on futures (see `shared/design.md`).

pub mod auth;
pub mod blackboard;
pub mod changes;
pub mod config;
pub mod context_window;
pub mod events;
pub mod fs;
pub mod instructions;
pub mod model;
pub mod permission;
pub mod platform;
pub mod pricing;
pub mod protocol;
pub mod provider;
pub mod role;
pub mod session;
pub mod supervisor;
pub mod text;
pub mod tool;

pub use events::{EventSink, EventStream};
pub use supervisor::{MeshTopology, Supervisor, SupervisorBuilder, SupervisorError};
