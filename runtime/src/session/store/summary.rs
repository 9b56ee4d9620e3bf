//! [`SessionSummary`]: one line of a project's session list, kept up to
//! date record by record.

use crate::model::ChatMessage;
use crate::protocol::Event;
use crate::session::SessionRecord;
use serde::{Deserialize, Serialize};

/// The longest title, in characters.
const TITLE_CHARS: usize = 60;

/// What `code-mesh sessions list` shows of a session.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionSummary {
    /// The session's id.
    pub id: String,
    /// The first line of the first request, at most 60 characters.
    pub title: String,
    /// When it started, in milliseconds since the Unix epoch.
    pub created_ms: u64,
    /// When a record was last added, in milliseconds since the Unix epoch.
    pub last_activity_ms: u64,
    /// How many messages the conversation holds.
    pub messages: usize,
    /// Tokens used, input and output, over every model request.
    pub tokens: u64,
    /// The length of the session's log when this summary was taken; a
    /// store uses it to notice a log that grew after it (a crash before
    /// the index was written).
    pub bytes: u64,
}

impl SessionSummary {
    /// An empty summary of session `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// The summary of session `id` made of `records`, last active at
    /// `last_activity_ms`.
    pub fn of<'a>(
        id: impl Into<String>,
        records: impl IntoIterator<Item = &'a SessionRecord>,
        last_activity_ms: u64,
    ) -> Self {
        let mut summary = Self::new(id);
        for record in records {
            summary.observe(record);
        }
        summary.last_activity_ms = last_activity_ms.max(summary.created_ms);
        summary
    }

    /// Takes `record` into account (its time is not: set
    /// [`Self::last_activity_ms`] yourself).
    pub fn observe(&mut self, record: &SessionRecord) {
        match record {
            SessionRecord::Started { created_ms, .. } => self.created_ms = *created_ms,
            SessionRecord::Message { message } => {
                self.messages += 1;
                if let ChatMessage::User { content } = message {
                    self.title_from(content);
                }
            }
            SessionRecord::Rewound { len } => self.messages = (*len).min(self.messages),
            SessionRecord::Compacted { messages } => self.messages = messages.len(),
            SessionRecord::Event { event } => match event {
                Event::Usage { usage, .. } => {
                    self.tokens += usage.input_tokens + usage.output_tokens;
                }
                // The turn's first task is the request itself, until the
                // conversation's own messages say it.
                Event::TaskQueued { description, .. } => self.title_from(description),
                _ => {}
            },
        }
    }

    fn title_from(&mut self, text: &str) {
        if self.title.is_empty() {
            self.title = title_of(text);
        }
    }
}

/// A title for a session whose first request is `request`: its first
/// non-blank line, trimmed, cut to 60 characters (ending in `…` when cut).
pub fn title_of(request: &str) -> String {
    let line = request
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    if line.chars().count() <= TITLE_CHARS {
        return line.to_string();
    }
    let mut title: String = line.chars().take(TITLE_CHARS - 1).collect();
    title.truncate(title.trim_end().len());
    title.push('…');
    title
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Usage;
    use crate::protocol::AgentId;

    #[test]
    fn a_title_is_the_first_line_cut_to_sixty_characters() {
        assert_eq!(title_of("\n  fix the parser  \nand more"), "fix the parser");
        let long = "é".repeat(80);
        let title = title_of(&long);
        assert_eq!(title.chars().count(), 60);
        assert!(title.ends_with('…'));
    }

    #[test]
    fn a_summary_counts_messages_tokens_and_takes_the_first_request() {
        let user = |text: &str| SessionRecord::Message {
            message: ChatMessage::User {
                content: text.into(),
            },
        };
        let usage = SessionRecord::Event {
            event: Event::Usage {
                agent: AgentId(1),
                usage: Usage {
                    input_tokens: 10,
                    output_tokens: 5,
                    cached_input_tokens: 0,
                },
                cost_usd: None,
            },
        };
        let records = [
            user("first request"),
            user("b"),
            SessionRecord::Rewound { len: 1 },
            user("c"),
            usage.clone(),
            usage,
        ];
        let summary = SessionSummary::of("s", &records, 7);
        assert_eq!(summary.title, "first request");
        assert_eq!(summary.messages, 2);
        assert_eq!(summary.tokens, 30);
        assert_eq!(summary.last_activity_ms, 7);
    }
}
