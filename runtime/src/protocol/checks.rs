//! What the checks after a plan's tasks answer: the tester's [`TestReport`]
//! and the reviewer's [`Review`]. Like a [`super::Plan`], they are a role's
//! answer as JSON, which the Supervisor reads to decide the next round.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The outcome of one run of the project's test command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestReport {
    /// The command that ran (`cargo test`, `npm test`, …).
    pub command: String,
    /// Whether it exited successfully within its time.
    pub passed: bool,
    /// How it ended, in words: `exit status 1`, `timed out after 600s`.
    pub outcome: String,
    /// The tail of its output (stdout and stderr interleaved).
    pub output: String,
}

/// A reviewer's verdict on the staged diff. The reviewer's `review` tool
/// takes exactly this shape (its JSON Schema is derived from it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Review {
    /// Whether the change is ready for the person as it is.
    pub approved: bool,
    /// What must be fixed before it is; empty when approved.
    #[serde(default)]
    pub findings: Vec<ReviewFinding>,
}

/// One problem a reviewer found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReviewFinding {
    /// The file it is in, relative to the project root.
    pub file: String,
    /// What is wrong and what to do about it, precisely enough for a coder
    /// who sees only this finding.
    pub description: String,
}
