//! [`SessionRecord`]: one line of a session's log, and [`replay`], which
//! rebuilds the conversation from them.

use crate::model::ChatMessage;
use crate::protocol::Event;
use serde::{Deserialize, Serialize};

/// One thing that happened in a session, as a store keeps it. Serialized
/// as one JSON object tagged by `"kind"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SessionRecord {
    /// The session began: always the first record.
    Started {
        /// The session's id.
        session_id: String,
        /// The project root.
        project: String,
        /// The model, `provider/model`.
        model: String,
        /// When, in milliseconds since the Unix epoch.
        created_ms: u64,
    },
    /// A message was appended to the conversation.
    Message {
        /// The message, as sent to the model.
        message: ChatMessage,
    },
    /// The conversation went back to its first `len` messages (a turn's
    /// agent restarted, and its partial messages were dropped).
    Rewound {
        /// How many messages remain.
        len: usize,
    },
    /// The conversation was replaced, its older part summarised (compaction).
    Compacted {
        /// The whole conversation from now on.
        messages: Vec<ChatMessage>,
    },
    /// An event the front end showed (tool calls, usage, changes applied, …).
    Event {
        /// The event.
        event: Event,
    },
}

/// The conversation the `records` leave, in order: messages appended,
/// rewinds and compactions applied. Other records are skipped.
pub fn replay<'a>(records: impl IntoIterator<Item = &'a SessionRecord>) -> Vec<ChatMessage> {
    let mut messages = Vec::new();
    for record in records {
        match record {
            SessionRecord::Message { message } => messages.push(message.clone()),
            SessionRecord::Rewound { len } => messages.truncate(*len),
            SessionRecord::Compacted { messages: all } => messages.clone_from(all),
            SessionRecord::Started { .. } | SessionRecord::Event { .. } => {}
        }
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> ChatMessage {
        ChatMessage::User {
            content: text.into(),
        }
    }

    #[test]
    fn replay_applies_appends_rewinds_and_compactions_in_order() {
        let records = vec![
            SessionRecord::Message { message: user("a") },
            SessionRecord::Message { message: user("b") },
            SessionRecord::Rewound { len: 1 },
            SessionRecord::Message { message: user("c") },
            SessionRecord::Compacted {
                messages: vec![user("summary")],
            },
            SessionRecord::Message { message: user("d") },
        ];
        assert_eq!(replay(&records), [user("summary"), user("d")]);
    }

    #[test]
    fn records_are_tagged_by_kind() {
        let json = serde_json::to_value(SessionRecord::Rewound { len: 3 }).unwrap();
        assert_eq!(json, serde_json::json!({ "kind": "rewound", "len": 3 }));
    }
}
