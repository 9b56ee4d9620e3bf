//! Messages agents send each other through the Supervisor's mesh.

use super::AgentId;
use serde::{Deserialize, Serialize};

/// Who a message is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "to", rename_all = "snake_case")]
pub enum Recipient {
    /// One agent.
    Agent(AgentId),
    /// Every live agent of a role.
    Role(String),
    /// Every live agent except the sender.
    Broadcast,
}

/// A message between agents, routed by the Supervisor exactly once to each recipient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// The sending agent, or `None` when a front end sent it.
    pub from: Option<AgentId>,
    /// Who should receive it.
    pub to: Recipient,
    /// The content; roles agree on its shape.
    pub body: serde_json::Value,
}
