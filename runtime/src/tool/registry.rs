//! [`ToolRegistry`]: the tools a Supervisor's agents may call.

use super::Tool;
use crate::model::ToolSpec;
use std::rc::Rc;

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
