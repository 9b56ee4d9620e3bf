//! # code-mesh-tools
//!
//! Code Mesh's built-in tools: what an agent's model calls to read and change
//! the project. They keep OpenCode's names, parameters and output formats
//! (`read {filePath, offset, limit}`, `edit {filePath, oldString, newString,
//! replaceAll}`, …), so prompts and models tuned for OpenCode work here.
//!
//! Every tool implements [`code_mesh_runtime::tool::Tool`] and is confined to
//! the project root of its [`ToolContext`](code_mesh_runtime::tool::ToolContext):
//! [`Workspace`] resolves each path the model gives, following `..` and
//! symlinks, and refuses what leads outside (or, for writing tools, into
//! `.git/`). Writes are atomic. A refusal or failure is a
//! [`ToolError`](code_mesh_runtime::tool::ToolError) whose message tells the
//! model what to do instead.
//!
//! The front end registers the tools with the Supervisor:
//!
//! ```no_run
//! use code_mesh_runtime::protocol::AgentId;
//! use code_mesh_runtime::tool::ToolContext;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let tools = code_mesh_tools::builtin_tools();
//! let read = tools.get("read").ok_or("no read tool")?;
//! let ctx = ToolContext::new("/path/to/project", AgentId(1));
//! let file = read
//!     .call(serde_json::json!({ "filePath": "src/main.rs" }), &ctx)
//!     .await?;
//! println!("{}\n{}", file.title, file.output);
//! # Ok(())
//! # }
//! ```
//!
//! Where to go next: `workspace` for the confinement rules, one module per
//! tool (`read`, `write`, `edit`, `multiedit`, `apply_patch`, `bash`, `grep`,
//! `glob`, `list`, `todo`, `webfetch`) for its behaviour, `replace` for how
//! `edit` finds the model's text (exact, then tolerant strategies),
//! [`truncate`] for the output limit they share, `schema` for how a tool's
//! parameter schema comes from its argument type. Everything but `bash`
//! builds for `wasm32-unknown-unknown`.

mod apply_patch;
mod args;
mod atomic_write;
mod diff;
mod edit;
mod glob;
mod grep;
mod list;
mod multiedit;
mod read;
mod replace;
mod schema;
mod text_file;
mod todo;
pub mod truncate;
mod walk;
mod webfetch;
mod workspace;
mod write;

#[cfg(unix)]
mod bash;

pub use apply_patch::ApplyPatchTool;
#[cfg(unix)]
pub use bash::BashTool;
pub use edit::EditTool;
pub use glob::GlobTool;
pub use grep::GrepTool;
pub use list::ListTool;
pub use multiedit::MultiEditTool;
pub use read::ReadTool;
pub use todo::TodoWriteTool;
pub use truncate::TruncatedTool;
pub use webfetch::WebFetchTool;
pub use workspace::Workspace;
pub use write::WriteTool;

use code_mesh_runtime::tool::ToolRegistry;
use std::rc::Rc;

/// A registry holding every built-in tool: `read`, `write`, `edit`,
/// `multiedit`, `apply_patch`, `bash` (where processes exist: Unix), `grep`,
/// `glob`, `list`, `todowrite` and `webfetch`. Every tool's output is
/// limited as [`truncate`] describes.
pub fn builtin_tools() -> ToolRegistry {
    let mut registry = ToolRegistry::new();
    registry.register(Rc::new(ReadTool));
    registry.register(Rc::new(WriteTool));
    registry.register(Rc::new(EditTool));
    registry.register(Rc::new(MultiEditTool));
    registry.register(Rc::new(ApplyPatchTool));
    #[cfg(unix)]
    registry.register(Rc::new(BashTool));
    registry.register(Rc::new(GrepTool));
    registry.register(Rc::new(GlobTool));
    registry.register(Rc::new(ListTool));
    registry.register(Rc::new(TodoWriteTool::new()));
    registry.register(Rc::new(WebFetchTool));
    // read and bash cut their own output (a window with a trailer; the head
    // and tail of a command's output, the full text saved); the rest share
    // the truncation of `truncate`.
    truncate::limit_outputs(&registry, &["read", "bash"])
}
