//! The [`Tool`] trait (something an agent's model can call) and the registry
//! the front end fills with tools.
//!
//! The model: the agent loop shows the model every tool's [`ToolSpec`]; when
//! the model calls one, the loop parses the arguments and calls
//! [`Tool::call`] with a [`ToolContext`] that confines it to the project. A
//! returned [`ToolError`] is not fatal: its message goes back to the model as
//! the call's result, and the model can carry on.

mod context;
mod error;
mod registry;

pub use context::{FileWrite, ToolContext, WriteMode};
pub use error::ToolError;
pub use registry::ToolRegistry;

use crate::model::ToolSpec;
use async_trait::async_trait;

/// A capability the model can call: read a file, run a command, …
#[async_trait(?Send)]
pub trait Tool {
    /// The name, description and JSON Schema the model is shown.
    fn spec(&self) -> ToolSpec;

    /// Runs the tool with the model's `arguments` (already parsed as JSON).
    async fn call(
        &self,
        arguments: serde_json::Value,
        ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError>;

    /// Whether the tool only reads. The agent loop runs a batch of calls
    /// concurrently only when every one of them is read-only. Default: `false`.
    fn is_read_only(&self) -> bool {
        false
    }
}

/// What a tool call produced.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolOutput {
    /// One line for people: the file read, the command run, …
    pub title: String,
    /// The full text the model is shown.
    pub output: String,
}

impl ToolOutput {
    /// An output with a title for people and text for the model.
    pub fn new(title: impl Into<String>, output: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            output: output.into(),
        }
    }
}
