//! Turns the runtime's events into what a person (or a script) reads. The
//! spinner draws from a thread, so it is native only.

pub mod color;
mod diff;
mod highlight;
mod json;
mod markdown;
mod plan;
#[cfg(not(target_family = "wasm"))]
mod spinner;
mod status;
mod text;
mod tool_summary;

pub use json::JsonRenderer;
#[cfg(not(target_family = "wasm"))]
pub use spinner::Spinning;
pub use status::status_lines;
pub use text::TextRenderer;

use code_mesh_runtime::permission::{ApprovalDecision, ApprovalRequest};
use code_mesh_runtime::protocol::Event;

/// Shows events as they arrive.
pub trait Render {
    /// Shows one event. Write errors (a closed pipe, say) are returned so the
    /// run can stop instead of working for nobody.
    fn event(&mut self, event: &Event) -> std::io::Result<()>;

    /// Shows one line of the command's own (an approval's outcome, what to
    /// do next) on stderr, after any streamed text.
    fn notice(&mut self, line: &str) -> std::io::Result<()>;

    /// Shows how an approval request was answered, on stderr; `reason`
    /// says why it was refused when nobody was asked.
    fn approval(
        &mut self,
        request: &ApprovalRequest,
        decision: &ApprovalDecision,
        reason: Option<&str>,
    ) -> std::io::Result<()>;
}
