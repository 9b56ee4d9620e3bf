//! The model ↔ tool loop every built-in role runs: ask the model, stream its
//! text out as events, run the tools it calls, give it the results under the
//! ids it chose, and repeat until it answers without calling a tool.
//! Messages other agents sent meanwhile are put to the model before each
//! request; in a plan run the model also has the mesh tools
//! ([`crate::mesh_tools`]).

use crate::mesh_tools::{incoming_message, mesh_tool_specs};
use crate::repeat_guard::RepeatGuard;
use crate::tool_calls::run_tool_calls;
use code_mesh_runtime::model::{ChatMessage, ModelEvent, ModelRequest, Reasoning, ToolCall};
use code_mesh_runtime::protocol::Event;
use code_mesh_runtime::role::{AgentContext, RoleError};
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
    let provider = ctx.provider()?;
    let mut tools = ctx.tools().specs();
    tools.extend(mesh_tool_specs(ctx));
    let mut repeats = RepeatGuard::default();

    for _ in 0..limits.max_steps {
        // Messages from other agents join the conversation between requests.
        messages.extend(
            ctx.take_messages()
                .iter()
                .map(|envelope| ChatMessage::User {
                    content: incoming_message(envelope),
                }),
        );
        let request = ModelRequest {
            model: ctx.model().model.clone(),
            messages: messages.clone(),
            tools: tools.clone(),
            ..ModelRequest::default()
        };
        let Answer {
            text,
            calls,
            reasoning,
        } = stream_answer(ctx, provider.stream(request).await?).await?;
        // Reasoning goes back before the answer it led to, unchanged.
        messages.extend(reasoning.into_iter().map(ChatMessage::Reasoning));
        messages.push(ChatMessage::Assistant {
            content: text.clone(),
            tool_calls: calls.clone(),
        });
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
        let results = run_tool_calls(ctx, &calls).await;
        messages.extend(results);
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
            ModelEvent::Usage(usage) => ctx.record_usage(usage),
            ModelEvent::Finished(_) => {}
        }
    }
    Ok(Answer {
        text,
        calls,
        reasoning,
    })
}
