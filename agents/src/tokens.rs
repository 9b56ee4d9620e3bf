//! Rough token counts for messages the provider has not measured yet: about
//! four characters a token, as tokenizers average on English and code. Good
//! enough to decide when to compact; the provider's reported usage is
//! preferred wherever there is one (see [`crate::compaction`]).

use code_mesh_runtime::model::{ChatMessage, ToolSpec};

/// Characters per token, on average.
const CHARS_PER_TOKEN: usize = 4;

/// Tokens every message costs besides its text (role, separators).
const MESSAGE_OVERHEAD: u64 = 4;

/// About how many tokens `text` is.
pub(crate) fn estimate_text(text: &str) -> u64 {
    text.chars().count().div_ceil(CHARS_PER_TOKEN) as u64
}

/// About how many tokens `message` is, tool calls and reasoning included.
pub(crate) fn estimate_message(message: &ChatMessage) -> u64 {
    let text = match message {
        ChatMessage::System { content } | ChatMessage::User { content } => estimate_text(content),
        ChatMessage::Assistant {
            content,
            tool_calls,
        } => {
            estimate_text(content)
                + tool_calls
                    .iter()
                    .map(|call| estimate_text(&call.name) + estimate_text(&call.arguments))
                    .sum::<u64>()
        }
        ChatMessage::Tool { call_id, content } => estimate_text(call_id) + estimate_text(content),
        ChatMessage::Reasoning(reasoning) => {
            estimate_text(&reasoning.text)
                + estimate_text(&reasoning.signature)
                + reasoning.redacted.as_deref().map_or(0, estimate_text)
        }
    };
    text + MESSAGE_OVERHEAD
}

/// About how many tokens `messages` are.
pub(crate) fn estimate_messages(messages: &[ChatMessage]) -> u64 {
    messages.iter().map(estimate_message).sum()
}

/// About how many tokens the specs of `tools` take in a request.
pub(crate) fn estimate_tools(tools: &[ToolSpec]) -> u64 {
    tools
        .iter()
        .map(|tool| {
            estimate_text(&tool.name)
                + estimate_text(&tool.description)
                + estimate_text(&tool.parameters.to_string())
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_characters_make_about_a_token() {
        assert_eq!(estimate_text(""), 0);
        assert_eq!(estimate_text("abcd"), 1);
        assert_eq!(estimate_text("abcde"), 2);
        assert_eq!(estimate_text(&"x".repeat(4_000)), 1_000);
    }

    #[test]
    fn a_message_counts_its_text_and_an_overhead() {
        let message = ChatMessage::User {
            content: "x".repeat(400),
        };
        assert_eq!(estimate_message(&message), 100 + MESSAGE_OVERHEAD);
    }
}
