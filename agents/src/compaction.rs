//! Keeping a conversation within the model's context window.
//!
//! Before each request the loop asks its [`ContextGuard`] whether the
//! conversation still fits: its size is the provider's count for the last
//! answer (prompt and completion tokens) plus an estimate of what came after
//! ([`crate::tokens`]), or an estimate of everything when no count came. When
//! it exceeds the window minus a reserve for the answer, old tool outputs
//! are pruned first (those before the last [`KEEP_TURNS`] user messages);
//! if that is not enough, the older part is summarised by the model with
//! the template in `prompts/compaction.md`, and the conversation becomes
//! the system prompt, the summary (as a user message) and the recent
//! messages. Either way [`Event::Compacted`] says so.

use crate::tokens::{estimate_message, estimate_messages, estimate_tools};
use code_mesh_runtime::model::{ChatMessage, ModelEvent, ModelRequest, ToolSpec, Usage};
use code_mesh_runtime::protocol::Event;
use code_mesh_runtime::role::{AgentContext, RoleError};
use code_mesh_runtime::session::Conversation;
use futures::StreamExt;

/// The summariser's instructions, shipped in the binary.
const COMPACTION_PROMPT: &str = include_str!("prompts/compaction.md");

/// The most tokens kept free for the model's answer: a quarter of the
/// window, up to this.
const OUTPUT_RESERVE_MAX: u64 = 20_000;

/// How many of the latest user turns keep their tool outputs when pruning.
pub(crate) const KEEP_TURNS: usize = 2;

/// Tool outputs this short are not worth pruning.
const PRUNE_MIN_CHARS: usize = 200;

/// How much of the summarised part is shown to the summariser when the
/// window is unknown, in tokens.
const DEFAULT_SUMMARY_INPUT: u64 = 100_000;

/// Watches one loop's conversation size and compacts it when needed.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContextGuard {
    /// The provider's count for the conversation's first `len` messages.
    measured: Option<(u64, usize)>,
    /// The estimated size of the tool specs sent with every request.
    tools: u64,
}

impl ContextGuard {
    /// A guard for requests carrying `tools`.
    pub(crate) fn new(tools: &[ToolSpec]) -> Self {
        Self {
            measured: None,
            tools: estimate_tools(tools),
        }
    }

    /// Takes the provider's `usage` of the answer that made the
    /// conversation's first `len` messages.
    pub(crate) fn measured(&mut self, usage: Usage, len: usize) {
        let tokens = usage.input_tokens + usage.output_tokens;
        if tokens > 0 {
            self.measured = Some((tokens, len));
        }
    }

    /// The size of `messages` in tokens, as best known.
    fn size(&self, messages: &[ChatMessage]) -> u64 {
        match self.measured {
            Some((tokens, len)) if len <= messages.len() => {
                tokens + estimate_messages(&messages[len..])
            }
            _ => self.tools + estimate_messages(messages),
        }
    }

    /// Compacts `conversation` when automatic compaction is on, the window
    /// is known and the conversation no longer leaves room for an answer.
    pub(crate) async fn before_request(
        &mut self,
        ctx: &AgentContext,
        conversation: &Conversation,
    ) -> Result<(), RoleError> {
        let Some(window) = ctx.context_window().filter(|_| ctx.auto_compact()) else {
            return Ok(());
        };
        let limit = usable(window);
        let messages = conversation.messages();
        let before = self.size(&messages);
        if before <= limit {
            return Ok(());
        }
        let (pruned, count) = prune_tool_outputs(&messages, KEEP_TURNS);
        let pruned_size = self.tools + estimate_messages(&pruned);
        if count > 0 && pruned_size <= limit {
            conversation.replace(pruned);
            self.measured = None;
            emit_compacted(ctx, before, pruned_size, false);
            return Ok(());
        }
        let compacted = summarize_older(ctx, &pruned, limit / 4, limit).await?;
        let after = self.tools + estimate_messages(&compacted);
        conversation.replace(compacted);
        self.measured = None;
        emit_compacted(ctx, before, after, true);
        Ok(())
    }
}

/// Compacts `conversation` now, whatever its size ([`code_mesh_runtime::protocol::Op::Compact`]):
/// everything after the system prompt is summarised. Returns a line for
/// the person.
pub(crate) async fn compact_now(
    ctx: &AgentContext,
    conversation: &Conversation,
) -> Result<String, RoleError> {
    let messages = conversation.messages();
    let head = system_prompt_len(&messages);
    if messages.len() <= head {
        return Ok("Nothing to compact: the conversation is empty.".to_string());
    }
    let before = estimate_messages(&messages);
    let budget = ctx.context_window().map_or(DEFAULT_SUMMARY_INPUT, usable);
    let compacted = summarize_older(ctx, &messages, 0, budget).await?;
    let after = estimate_messages(&compacted);
    conversation.replace(compacted);
    emit_compacted(ctx, before, after, true);
    Ok(format!(
        "Compacted the conversation: about {before} tokens down to {after}."
    ))
}

/// The tokens of a `window` the conversation may fill, leaving room for
/// the answer.
fn usable(window: u32) -> u64 {
    let window = u64::from(window);
    window - (window / 4).min(OUTPUT_RESERVE_MAX)
}

fn emit_compacted(ctx: &AgentContext, before: u64, after: u64, summarized: bool) {
    ctx.emit(Event::Compacted {
        agent: ctx.agent(),
        before_tokens: before,
        after_tokens: after,
        summarized,
    });
}

/// 1 when `messages` starts with a system prompt, else 0.
fn system_prompt_len(messages: &[ChatMessage]) -> usize {
    usize::from(matches!(messages.first(), Some(ChatMessage::System { .. })))
}

/// `messages` with the content of tool results before the last
/// `keep_turns` user messages replaced by a short note, and how many were.
pub(crate) fn prune_tool_outputs(
    messages: &[ChatMessage],
    keep_turns: usize,
) -> (Vec<ChatMessage>, usize) {
    let protected_from = messages
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, m)| matches!(m, ChatMessage::User { .. }))
        .nth(keep_turns.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let mut pruned = 0;
    let messages = messages
        .iter()
        .enumerate()
        .map(|(i, message)| match message {
            ChatMessage::Tool { call_id, content }
                if i < protected_from && content.len() > PRUNE_MIN_CHARS =>
            {
                pruned += 1;
                ChatMessage::Tool {
                    call_id: call_id.clone(),
                    content: format!(
                        "[output pruned: {} lines; rerun the tool if needed]",
                        content.lines().count()
                    ),
                }
            }
            other => other.clone(),
        })
        .collect();
    (messages, pruned)
}

/// Where the recent part of `messages` starts: the earliest message after
/// `head` at which a request may start (not a tool result, not an answer
/// cut from its reasoning) such that what follows fits in `keep` tokens;
/// `messages.len()` when nothing fits.
fn split_point(messages: &[ChatMessage], head: usize, keep: u64) -> usize {
    let mut cut = messages.len();
    let mut kept = 0;
    for i in (head + 1..messages.len()).rev() {
        kept += estimate_message(&messages[i]);
        if kept > keep {
            break;
        }
        let starts_step = match &messages[i] {
            ChatMessage::Tool { .. } => false,
            ChatMessage::Assistant { .. } => {
                !matches!(messages.get(i - 1), Some(ChatMessage::Reasoning(_)))
            }
            _ => true,
        };
        if starts_step {
            cut = i;
        }
    }
    cut
}

/// `messages` with everything between the system prompt and the recent part
/// (at most `keep` tokens) replaced by the model's summary of it; the
/// summariser is shown at most `budget` tokens of it.
async fn summarize_older(
    ctx: &AgentContext,
    messages: &[ChatMessage],
    keep: u64,
    budget: u64,
) -> Result<Vec<ChatMessage>, RoleError> {
    let head = system_prompt_len(messages);
    let cut = split_point(messages, head, keep);
    let summary = summarize(ctx, &messages[head..cut], budget).await?;
    let mut compacted = messages[..head].to_vec();
    compacted.push(ChatMessage::User {
        content: format!(
            "The earlier part of this conversation was compacted; this is its summary.\n\n\
             <summary>\n{summary}\n</summary>"
        ),
    });
    compacted.extend_from_slice(&messages[cut..]);
    Ok(compacted)
}

/// The model's summary of `older`, shown as a transcript of at most
/// `budget` tokens (its end kept).
async fn summarize(
    ctx: &AgentContext,
    older: &[ChatMessage],
    budget: u64,
) -> Result<String, RoleError> {
    let provider = ctx.provider()?;
    let chars = usize::try_from(budget.saturating_mul(4)).unwrap_or(usize::MAX);
    let request = ModelRequest {
        model: ctx.model().model.clone(),
        messages: vec![
            ChatMessage::System {
                content: COMPACTION_PROMPT.to_string(),
            },
            ChatMessage::User {
                content: format!(
                    "<conversation>\n{}\n</conversation>\n\nWrite the summary now.",
                    transcript(older, chars)
                ),
            },
        ],
        ..ModelRequest::default()
    };
    let mut stream = provider.stream(request).await?;
    let mut text = String::new();
    while let Some(item) = stream.next().await {
        match item? {
            ModelEvent::TextDelta(delta) => text.push_str(&delta),
            ModelEvent::Usage(usage) => ctx.record_usage(usage),
            ModelEvent::ToolCall(_) | ModelEvent::Reasoning(_) | ModelEvent::Finished(_) => {}
        }
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(RoleError::Failed(
            "the model wrote an empty summary when compacting the conversation".to_string(),
        ));
    }
    Ok(text.to_string())
}

/// `messages` as plain text for the summariser, at most `max_chars` (the
/// end kept: the latest work matters most).
fn transcript(messages: &[ChatMessage], max_chars: usize) -> String {
    let mut text = String::new();
    for message in messages {
        match message {
            ChatMessage::System { content } => text += &format!("[system]\n{content}\n\n"),
            ChatMessage::User { content } => text += &format!("[user]\n{content}\n\n"),
            ChatMessage::Assistant {
                content,
                tool_calls,
            } => {
                text += &format!("[assistant]\n{content}\n");
                for call in tool_calls {
                    text += &format!("[called {} {}]\n", call.name, call.arguments);
                }
                text.push('\n');
            }
            ChatMessage::Tool { content, .. } => text += &format!("[tool result]\n{content}\n\n"),
            ChatMessage::Reasoning(_) => {}
        }
    }
    let count = text.chars().count();
    if count <= max_chars {
        return text;
    }
    let kept: String = text.chars().skip(count - max_chars).collect();
    format!("[… the earliest part is left out]\n{kept}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::model::ToolCall;

    fn user(text: &str) -> ChatMessage {
        ChatMessage::User {
            content: text.into(),
        }
    }

    fn step(id: &str, output: &str) -> [ChatMessage; 2] {
        [
            ChatMessage::Assistant {
                content: String::new(),
                tool_calls: vec![ToolCall {
                    id: id.into(),
                    name: "read".into(),
                    arguments: "{}".into(),
                }],
            },
            ChatMessage::Tool {
                call_id: id.into(),
                content: output.into(),
            },
        ]
    }

    #[test]
    fn tool_outputs_of_older_turns_are_pruned_and_recent_ones_kept() {
        let long = "line\n".repeat(100);
        let mut messages = vec![user("one")];
        messages.extend(step("a", &long));
        messages.push(user("two"));
        messages.extend(step("b", &long));
        messages.push(user("three"));
        messages.extend(step("c", &long));

        let (pruned, count) = prune_tool_outputs(&messages, 2);

        assert_eq!(count, 1);
        assert_eq!(
            pruned[2],
            ChatMessage::Tool {
                call_id: "a".into(),
                content: "[output pruned: 100 lines; rerun the tool if needed]".into(),
            }
        );
        assert_eq!(pruned[5..], messages[5..]);
    }

    #[test]
    fn the_recent_part_never_starts_with_a_tool_result() {
        let mut messages = vec![
            ChatMessage::System {
                content: "sys".into(),
            },
            user("one"),
        ];
        messages.extend(step("a", &"x".repeat(400)));
        messages.extend(step("b", "short"));
        // Only the last tool result fits, but it cannot start a request:
        // the cut is at its call.
        let cut = split_point(&messages, 1, 20);
        assert_eq!(cut, 4);
        assert!(matches!(messages[cut], ChatMessage::Assistant { .. }));
        // Nothing fits: everything after the system prompt is summarised.
        assert_eq!(split_point(&messages, 1, 0), messages.len());
    }

    #[test]
    fn the_reserve_for_the_answer_is_a_quarter_of_the_window_at_most_20k() {
        assert_eq!(usable(8_000), 6_000);
        assert_eq!(usable(200_000), 180_000);
    }

    #[test]
    fn a_long_transcript_keeps_its_end() {
        let messages = vec![user(&"a".repeat(100)), user("the end")];
        let text = transcript(&messages, 40);
        assert!(text.starts_with("[… the earliest part is left out]"));
        assert!(text.contains("the end"));
    }
}
