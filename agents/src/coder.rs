//! The Coder: one agent with the whole tool set that does a task end to end
//! (the OpenCode behaviour, and what small requests get). In a plan run it
//! also reads the blackboard (what the tasks before it did, what files
//! hold) and may add tasks to the plan, message other agents and note files.

use crate::agent_loop::{LoopLimits, run_agent_loop};
use crate::prompt::{coder_system_prompt, plan_context, task_message};
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
                content: task_message(&task) + &plan_context(&ctx),
            },
        ];
        run_agent_loop(&ctx, &mut messages, self.limits).await
    }
}
