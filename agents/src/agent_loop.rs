//! The model ↔ tool loop every built-in role runs: ask the model, stream its
//! text out as events, run the tools it calls, give it the results under the
//! ids it chose, and repeat until it answers without calling a tool.
//! Messages other agents sent meanwhile are put to the model before each
//! request; in a plan run the model also has the mesh tools
//! ([`crate::mesh_tools`]). The conversation is compacted before a request
//! that would not leave the model room to answer ([`crate::compaction`]).

use crate::compaction::ContextGuard;
use crate::mesh_tools::{incoming_message, mesh_tool_specs};
use crate::repeat_guard::RepeatGuard;
use crate::tool_calls::run_tool_calls;
use code_mesh_runtime::model::{ChatMessage, ModelEvent, ModelRequest, Reasoning, ToolCall, Usage};
use code_mesh_runtime::protocol::Event;
use code_mesh_runtime::role::{AgentContext, RoleError};
use code_mesh_runtime::session::Conversation;
use futures::StreamExt;

/// When the loop gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoopLimits {
    /// Model requests allowed before the loop stops without an answer.
    pub max_steps: u32,
    /// How many times in a row the same tool call may be made; reaching it
    /// stops the loop (the model is stuck).
    pub max_identical_calls: u32,
}

impl Default for LoopLimits {
    fn default() -> Self {
        Self {
            max_steps: 50,
            max_identical_calls: 3,
        }
    }
}

/// Runs the loop on `messages` (system prompt and request already in it) and
/// returns the model's final answer. `messages` is left holding the whole
/// conversation, so a caller can keep it.
pub async fn run_agent_loop(
    ctx: &AgentContext,
    messages: &mut Vec<ChatMessage>,
    limits: LoopLimits,
) -> Result<String, RoleError> {
    let conversation = Conversation::resume(std::mem::take(messages));
    let answer = run_conversation_loop(ctx, &conversation, limits).await;
    *messages = conversation.messages();
    answer
}

/// Runs the loop on `conversation` (system prompt and request already in
/// it) and returns the model's final answer. Every message is pushed to
/// the conversation as it comes (the model's reasoning and answer once it
/// has streamed, the tool results once the tools ran, other agents'
/// messages before each request), so a recorded conversation loses at most
/// the step in flight. Before each request the conversation is compacted
/// when it nears the model's context window ([`crate::compaction`]).
pub async fn run_conversation_loop(
    ctx: &AgentContext,
    conversation: &Conversation,
    limits: LoopLimits,
) -> Result<String, RoleError> {
    let provider = ctx.provider()?;
    let mut tools = ctx.tools().specs();
    tools.extend(mesh_tool_specs(ctx));
    let mut repeats = RepeatGuard::default();
    let mut guard = ContextGuard::new(&tools);

    for _ in 0..limits.max_steps {
        // Messages from other agents join the conversation between requests.
        for envelope in ctx.take_messages() {
            conversation.push(ChatMessage::User {
                content: incoming_message(&envelope),
            });
        }
        guard.before_request(ctx, conversation).await?;
        let request = ModelRequest {
            model: ctx.model().model.clone(),
            messages: conversation.messages(),
            tools: tools.clone(),
            ..ModelRequest::default()
        };
        let Answer {
            text,
            calls,
            reasoning,
            usage,
        } = stream_answer(ctx, provider.stream(request).await?).await?;
        // Reasoning goes back before the answer it led to, unchanged.
        for piece in reasoning {
            conversation.push(ChatMessage::Reasoning(piece));
        }
        conversation.push(ChatMessage::Assistant {
            content: text.clone(),
            tool_calls: calls.clone(),
        });
        if let Some(usage) = usage {
            guard.measured(usage, conversation.len());
        }
        if calls.is_empty() {
            return Ok(text);
        }
        for call in &calls {
            if repeats.record(call) >= limits.max_identical_calls {
                return Err(RoleError::Stopped(format!(
                    "stopped: the model called `{}` with the same arguments {} times in a row",
                    call.name, limits.max_identical_calls
                )));
            }
        }
        for result in run_tool_calls(ctx, &calls).await {
            conversation.push(result);
        }
    }
    Err(RoleError::Stopped(format!(
        "stopped after {} model requests without a final answer; raise the step limit or split the task",
        limits.max_steps
    )))
}

/// One model answer, collected from its stream.
pub(crate) struct Answer {
    /// The text.
    pub text: String,
    /// The tool calls, in order.
    pub calls: Vec<ToolCall>,
    /// Reasoning that came with it, to send back unchanged.
    pub reasoning: Vec<Reasoning>,
    /// The provider's count for the request, when it gave one (the last).
    pub usage: Option<Usage>,
}

/// Reads one streamed answer: forwards text and usage as events, collects the
/// text, the tool calls and the reasoning.
pub(crate) async fn stream_answer(
    ctx: &AgentContext,
    mut stream: code_mesh_runtime::provider::ModelStream,
) -> Result<Answer, RoleError> {
    let mut text = String::new();
    let mut calls = Vec::new();
    let mut reasoning = Vec::new();
    let mut counted = None;
    while let Some(item) = stream.next().await {
        match item? {
            ModelEvent::TextDelta(delta) => {
                text.push_str(&delta);
                ctx.emit(Event::AgentMessageDelta {
                    agent: ctx.agent(),
                    delta,
                });
            }
            ModelEvent::ToolCall(call) => calls.push(call),
            ModelEvent::Reasoning(piece) => reasoning.push(piece),
            ModelEvent::Usage(usage) => {
                ctx.record_usage(usage);
                counted = Some(usage);
            }
            ModelEvent::Finished(_) => {}
        }
    }
    Ok(Answer {
        text,
        calls,
        reasoning,
        usage: counted,
    })
}
