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
//! symlinks; a path that leads outside is refused unless the session's
//! `external_directory` permission allows it, and `.git/` is never written.
//! A refusal or failure is a
//! [`ToolError`](code_mesh_runtime::tool::ToolError) whose message tells the
//! model what to do instead.
//!
//! Tools never write the disk themselves. `write`, `edit`, `multiedit` and
//! `apply_patch` hand their new file contents to the context's
//! [`write_files`](code_mesh_runtime::tool::ToolContext::write_files), which
//! stages them in the session's change set for a person to review (`edit:
//! ask`, the default) or writes them through atomically (`edit: allow`,
//! `--yes`); one call per tool call, so a multi-file patch is staged or
//! written whole or not at all. Every read sees the staged state: `read`,
//! the editing tools, `grep`, `glob` and `list` show staged content,
//! staged-created files and not staged-deleted ones. `write` overwrites only
//! a file the agent has read as it stands. `bash` and `webfetch` ask the
//! session's permissions first, and `bash` notes the staged changes its
//! command did not see on disk.
//!
//! The front end registers the tools with the Supervisor, which gives each
//! call the session's change set and permissions, as here:
//!
//! ```no_run
//! use code_mesh_runtime::changes::SessionChanges;
//! use code_mesh_runtime::permission::{PermissionGate, PermissionRules};
//! use code_mesh_runtime::protocol::AgentId;
//! use code_mesh_runtime::tool::ToolContext;
//! use serde_json::json;
//! use std::rc::Rc;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let tools = code_mesh_tools::builtin_tools();
//! let root = "/path/to/project";
//! let gate = PermissionGate::new(PermissionRules::defaults());
//! let ctx = ToolContext::new(root, AgentId(1))
//!     .with_session(SessionChanges::new(root), Rc::new(gate));
//! let edit = tools.get("edit").ok_or("no edit tool")?;
//! let edited = edit
//!     .call(
//!         json!({ "filePath": "src/main.rs", "oldString": "old", "newString": "new" }),
//!         &ctx,
//!     )
//!     .await?;
//! println!("{}", edited.title); // "src/main.rs (staged)": the disk is unchanged
//! println!("{}", ctx.changes.diff());
//! ctx.changes.apply()?; // a person approved: now it is written
//! # Ok(())
//! # }
//! ```
//!
//! An embedder may also call a tool with a bare
//! [`ToolContext::new`](code_mesh_runtime::tool::ToolContext::new), which
//! allows everything the defaults do not deny: edits reach the disk at once.
//!
//! Where to go next: `workspace` for the confinement rules, `staged` for
//! how the reading tools see staged changes, one module per
//! tool (`read`, `write`, `edit`, `multiedit`, `apply_patch`, `bash`, `grep`,
//! `glob`, `list`, `todo`, `webfetch`) for its behaviour (`bash` also for
//! the [`CommandRunner`] that starts its processes on each platform), `replace` for how
//! `edit` finds the model's text (exact, then tolerant strategies),
//! [`truncate`] for the output limit they share, `schema` for how a tool's
//! parameter schema comes from its argument type. Everything builds for
//! `wasm32-unknown-unknown`; there `bash` is a [`HostedBashTool`] over the
//! host's [`CommandRunner`] ([`builtin_tools_with_runner`]).

mod apply_patch;
mod args;
mod diff;
mod edit;
mod glob;
mod grep;
mod list;
mod multiedit;
mod read;
mod remember;
mod replace;
mod schema;
mod staged;
mod text_file;
mod todo;
pub mod truncate;
mod walk;
mod webfetch;
mod workspace;
mod write;

pub mod bash;

pub use apply_patch::ApplyPatchTool;
#[cfg(unix)]
pub use bash::BashTool;
pub use bash::{CommandRunner, HostedBashTool};
pub use edit::EditTool;
pub use glob::GlobTool;
pub use grep::GrepTool;
pub use list::ListTool;
pub use multiedit::MultiEditTool;
pub use read::ReadTool;
pub use remember::RememberTool;
pub use todo::TodoWriteTool;
pub use truncate::TruncatedTool;
pub use webfetch::WebFetchTool;
pub use workspace::Workspace;
pub use write::WriteTool;

use code_mesh_runtime::tool::{Tool, ToolRegistry};
use std::rc::Rc;

/// A registry holding every built-in tool: `read`, `write`, `edit`,
/// `multiedit`, `apply_patch`, `bash` (where processes exist natively:
/// Unix), `grep`, `glob`, `list`, `todowrite`, `webfetch` and `remember`.
/// Every tool's output is limited as [`truncate`] describes.
pub fn builtin_tools() -> ToolRegistry {
    #[cfg(unix)]
    let bash: Option<Rc<dyn Tool>> = Some(Rc::new(BashTool));
    #[cfg(not(unix))]
    let bash: Option<Rc<dyn Tool>> = None;
    registry_with_bash(bash)
}

/// [`builtin_tools`] with `bash` running its commands through `runner`
/// (Node's `child_process` in the wasm build; a browser's runner refuses
/// every command, saying why).
pub fn builtin_tools_with_runner(runner: Rc<dyn CommandRunner>) -> ToolRegistry {
    registry_with_bash(Some(Rc::new(HostedBashTool::new(runner))))
}

/// Every built-in tool, with `bash` when given, in the order models see them.
fn registry_with_bash(bash: Option<Rc<dyn Tool>>) -> ToolRegistry {
    let mut registry = ToolRegistry::new();
    registry.register(Rc::new(ReadTool));
    registry.register(Rc::new(WriteTool));
    registry.register(Rc::new(EditTool));
    registry.register(Rc::new(MultiEditTool));
    registry.register(Rc::new(ApplyPatchTool));
    if let Some(bash) = bash {
        registry.register(bash);
    }
    registry.register(Rc::new(GrepTool));
    registry.register(Rc::new(GlobTool));
    registry.register(Rc::new(ListTool));
    registry.register(Rc::new(TodoWriteTool::new()));
    registry.register(Rc::new(WebFetchTool));
    registry.register(Rc::new(RememberTool));
    // read and bash cut their own output (a window with a trailer; the head
    // and tail of a command's output, the full text saved); the rest share
    // the truncation of `truncate`.
    truncate::limit_outputs(&registry, &["read", "bash"])
}
