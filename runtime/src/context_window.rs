//! How much conversation a model takes: the [`ContextWindows`] a front end
//! gives the Supervisor so that agents compact their conversation before it
//! outgrows the model.
//!
//! Like prices, the runtime knows no model's limits itself: the front end
//! passes a lookup (the providers crate's model catalogue, say) to
//! [`SupervisorBuilder::context_windows`](crate::SupervisorBuilder::context_windows),
//! or single windows to
//! [`SupervisorBuilder::context_window`](crate::SupervisorBuilder::context_window),
//! and agents read theirs from
//! [`AgentContext::context_window`](crate::role::AgentContext::context_window).

use crate::model::ModelRef;
use std::collections::HashMap;

/// Where the Supervisor looks up the context window of the models its
/// agents use.
pub trait ContextWindows {
    /// The most tokens of conversation (prompt and answer together) `model`
    /// takes, or `None` when it is not known; its agents then never compact
    /// on their own.
    fn context_window(&self, model: &ModelRef) -> Option<u32>;
}

impl ContextWindows for HashMap<ModelRef, u32> {
    fn context_window(&self, model: &ModelRef) -> Option<u32> {
        self.get(model).copied()
    }
}
