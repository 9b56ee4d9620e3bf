//! The Coder: one agent with the whole tool set that does a task end to end
//! (the OpenCode behaviour, and what small requests get). In a plan run it
//! also reads the blackboard (what the tasks before it did, what files
//! hold) and may add tasks to the plan, message other agents and note files.
//!
//! On a person's turn it continues the session's conversation (the
//! Supervisor gives it one, [`AgentContext::conversation`]): the earlier
//! turns' messages, then this request; otherwise it starts afresh.

use crate::agent_loop::{LoopLimits, run_conversation_loop};
use crate::compaction::compact_now;
use crate::prompt::{coder_system_prompt, plan_context, task_message};
use async_trait::async_trait;
use code_mesh_runtime::model::ChatMessage;
use code_mesh_runtime::role::{AgentContext, Role, RoleError, Task};
use code_mesh_runtime::session::Conversation;

/// Edits the project through tools until the task is done, then answers.
#[derive(Debug, Clone, Default)]
pub struct Coder {
    limits: LoopLimits,
}

impl Coder {
    /// A Coder that stops at `limits` instead of the defaults (50 steps, 3 identical calls).
    pub fn with_limits(limits: LoopLimits) -> Self {
        Self { limits }
    }
}

#[async_trait(?Send)]
impl Role for Coder {
    async fn run(&self, task: Task, ctx: AgentContext) -> Result<String, RoleError> {
        let request = ChatMessage::User {
            content: task_message(&task) + &plan_context(&ctx),
        };
        let Some(conversation) = ctx.conversation().cloned() else {
            let conversation = Conversation::new();
            conversation.push(system_message(&ctx));
            conversation.push(request);
            return run_conversation_loop(&ctx, &conversation, self.limits).await;
        };
        if ctx.compaction_requested() {
            return compact_now(&ctx, &conversation).await;
        }
        // A restarted agent takes the turn again from its start.
        if task.attempt > 1 {
            conversation.rewind_turn();
        }
        if conversation.is_empty() {
            conversation.push(system_message(&ctx));
        }
        conversation.push(request);
        run_conversation_loop(&ctx, &conversation, self.limits).await
    }
}

/// The Coder's system prompt as a message.
fn system_message(ctx: &AgentContext) -> ChatMessage {
    ChatMessage::System {
        content: coder_system_prompt(ctx),
    }
}
