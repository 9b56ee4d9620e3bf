//! The [`Tool`] trait (something an agent's model can call) and the registry
//! the front end fills with tools.
//!
//! The model: the agent loop shows the model every tool's [`ToolSpec`]; when
//! the model calls one, the loop parses the arguments and calls
//! [`Tool::call`] with a [`ToolContext`] that confines it to the project. A
//! returned [`ToolError`] is not fatal: its message goes back to the model as
//! the call's result, and the model can carry on.

use crate::events::EventSink;
use crate::model::ToolSpec;
use crate::protocol::{AgentId, Event};
use async_trait::async_trait;
use std::path::{Path, PathBuf};
use std::rc::Rc;

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

/// Where a tool runs and on whose behalf.
#[derive(Debug, Clone)]
pub struct ToolContext {
    /// The project root; tools touch nothing outside it.
    pub root: PathBuf,
    /// The agent making the call.
    pub agent: AgentId,
    /// Where the tool may send events for the front end (a checklist update,
    /// say); `None` when nobody listens, as in a context made with
    /// [`ToolContext::new`].
    pub events: Option<EventSink>,
}

impl ToolContext {
    /// A context for `agent` confined to `root`, with no event sink.
    pub fn new(root: impl AsRef<Path>, agent: AgentId) -> Self {
        Self {
            root: root.as_ref().to_path_buf(),
            agent,
            events: None,
        }
    }

    /// This context, sending the tool's events to `events`.
    pub fn with_events(mut self, events: EventSink) -> Self {
        self.events = Some(events);
        self
    }

    /// Sends `event` to the front end; does nothing when the context has no
    /// event sink.
    pub fn emit(&self, event: Event) {
        if let Some(events) = &self.events {
            events.emit(event);
        }
    }
}

/// Why a tool call failed. The message is shown to the model, so it says what
/// went wrong and what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    /// The arguments do not fit the tool's schema.
    #[error("invalid arguments for {tool}: {message}")]
    InvalidArguments {
        /// The tool's name.
        tool: String,
        /// What is wrong with them.
        message: String,
    },
    /// The path lies outside the project.
    #[error("{path} is outside the project ({root}); tools may only touch files inside it")]
    OutsideProject {
        /// The path as given.
        path: String,
        /// The project root.
        root: String,
    },
    /// The action is not allowed (writing into `.git/`, say).
    #[error("permission denied: {0}")]
    PermissionDenied(String),
    /// A file or directory does not exist.
    #[error("{message}")]
    NotFound {
        /// The path as given.
        path: String,
        /// What to say, suggestions included.
        message: String,
    },
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The tool ran but could not do what was asked.
    #[error("{0}")]
    Failed(String),
}

/// The tools a Supervisor's agents may call, in the order models are shown them.
#[derive(Default, Clone)]
pub struct ToolRegistry {
    tools: Vec<(String, Rc<dyn Tool>)>,
}

impl ToolRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `tool` under the name in its spec, replacing one of the same name.
    pub fn register(&mut self, tool: Rc<dyn Tool>) {
        let name = tool.spec().name;
        match self.tools.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = tool,
            None => self.tools.push((name, tool)),
        }
    }

    /// The tool called `name`.
    pub fn get(&self, name: &str) -> Option<Rc<dyn Tool>> {
        self.tools
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| Rc::clone(t))
    }

    /// Every tool's spec, for the model.
    pub fn specs(&self) -> Vec<ToolSpec> {
        self.tools.iter().map(|(_, t)| t.spec()).collect()
    }

    /// The registered names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tools.iter().map(|(n, _)| n.as_str())
    }

    /// How many tools are registered.
    pub fn len(&self) -> usize {
        self.tools.len()
    }

    /// Whether no tool is registered.
    pub fn is_empty(&self) -> bool {
        self.tools.is_empty()
    }
}
