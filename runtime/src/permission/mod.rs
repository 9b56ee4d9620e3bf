//! Permissions: what a tool may do without asking, what it must ask a
//! person for, and what it may never do — OpenCode's `permission` config.
//!
//! The model: every sensitive action is a *permission* (`edit`, `bash`,
//! `webfetch`, `external_directory`, or a tool's name) with a *pattern* (a
//! file path, a command, a URL). [`PermissionRules`] map them to an
//! [`PermissionAction`] — `allow`, `ask` or `deny` — built-in defaults first,
//! then the config's rules, the last matching rule winning. A
//! [`PermissionGate`] applies them for one session: `ask` becomes an
//! [`ApprovalRequest`] that an [`Approver`] (the front end, through the
//! Supervisor) answers once, always, or with a rejection. `--yes` turns every
//! `ask` into `allow` but never a `deny`.
//!
//! For `edit`, `ask` does not interrupt the agent: the change is staged in
//! the session's change set and the person approves the whole set; `allow`
//! writes through to the disk at once (still undoable).
//!
//! ```json
//! {
//!   "permission": {
//!     "edit": "ask",
//!     "bash": { "*": "ask", "git status": "allow", "rm *": "deny" },
//!     "external_directory": "deny"
//!   }
//! }
//! ```

mod action;
mod approval;
mod bash;
mod gate;
mod rules;
mod wildcard;

pub use action::PermissionAction;
pub use approval::{ApprovalDecision, ApprovalRequest, Approver};
pub use bash::{always_pattern, command_parts};
pub use gate::PermissionGate;
pub use rules::{PermissionRule, PermissionRules};
pub use wildcard::wildcard_match;
