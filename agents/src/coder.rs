//! The Coder: one agent with the whole tool set that does a task end to end
//! (the OpenCode behaviour, and what small requests get).

use crate::agent_loop::{LoopLimits, run_agent_loop};
use crate::prompt::{coder_system_prompt, task_message};
use async_trait::async_trait;
use code_mesh_runtime::model::ChatMessage;
use code_mesh_runtime::role::{AgentContext, Role, RoleError, Task};

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
        let mut messages = vec![
            ChatMessage::System {
                content: coder_system_prompt(&ctx),
            },
            ChatMessage::User {
                content: task_message(&task),
            },
        ];
        run_agent_loop(&ctx, &mut messages, self.limits).await
    }
}
