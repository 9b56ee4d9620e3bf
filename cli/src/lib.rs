//! # code-mesh-cli
//!
//! What the `code-mesh` binary shows, as a library both front ends share:
//! [`render`] turns the runtime's events into text (Markdown styled a line
//! at a time, highlighted code, colored diffs, a line per tool call, a plan's
//! checklist) or JSON lines, [`numbers`] writes token counts and prices,
//! [`unattended`] words the refusal of a request nobody can answer, and
//! [`saved_session`] and [`change_command`] keep a run's changes for
//! `code-mesh diff|apply|reject|undo` and say what those commands answer.
//! It builds for `wasm32-unknown-unknown` too, so the npm build's
//! `code-mesh run` prints what the native one prints; the spinner (a thread)
//! and the terminal checks are native only.
//!
//! ```
//! use code_mesh_cli::render::{Render, TextRenderer};
//! use code_mesh_runtime::protocol::{AgentId, Event};
//!
//! let (mut out, mut err) = (Vec::new(), Vec::new());
//! let mut renderer = TextRenderer::new(&mut out, &mut err).with_color(false);
//! let delta = Event::AgentMessageDelta { agent: AgentId(1), delta: "Done.\n".into() };
//! renderer.event(&delta).unwrap();
//! assert_eq!(out, b"Done.\n");
//! ```
//!
//! The binary's own modules (commands, the interactive mode, sessions) are
//! in `src/main.rs`.

pub mod change_command;
pub mod numbers;
pub mod render;
pub mod request_text;
pub mod saved_session;
pub mod unattended;
