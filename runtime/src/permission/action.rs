//! The three answers a permission rule can give.

use serde::{Deserialize, Serialize};

/// What happens when a tool wants to do something a rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PermissionAction {
    /// Go ahead.
    Allow,
    /// Ask the person first (for `edit`: stage the change for review).
    Ask,
    /// Refuse; the agent is told why and can carry on.
    Deny,
}

impl PermissionAction {
    /// The stricter of two actions (`deny` over `ask` over `allow`), for an
    /// action made of parts, like a compound shell command.
    pub fn strictest(self, other: Self) -> Self {
        match (self, other) {
            (Self::Deny, _) | (_, Self::Deny) => Self::Deny,
            (Self::Ask, _) | (_, Self::Ask) => Self::Ask,
            _ => Self::Allow,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PermissionAction::*;

    #[test]
    fn deny_beats_ask_beats_allow() {
        assert_eq!(Allow.strictest(Ask), Ask);
        assert_eq!(Ask.strictest(Deny), Deny);
        assert_eq!(Allow.strictest(Allow), Allow);
    }
}
