//! The words the built-in roles start a conversation with.

use code_mesh_runtime::role::{AgentContext, Task};
use std::fmt::Write as _;

/// The Coder's instructions, shipped in the binary.
const CODER_PROMPT: &str = include_str!("prompts/coder.md");

/// The Planner's instructions, shipped in the binary.
const PLANNER_PROMPT: &str = include_str!("prompts/planner.md");

/// The Reviewer's instructions, shipped in the binary.
const REVIEWER_PROMPT: &str = include_str!("prompts/reviewer.md");

/// The Reviewer's system prompt: its instructions and where it is working.
pub(crate) fn reviewer_system_prompt(ctx: &AgentContext) -> String {
    system_prompt(REVIEWER_PROMPT, ctx)
}

/// The Coder's system prompt: its instructions, where it is working, and
/// the person's and the project's standing instructions (`AGENTS.md`
/// files, the project's knowledge) when there are any.
pub(crate) fn coder_system_prompt(ctx: &AgentContext) -> String {
    let mut prompt = system_prompt(CODER_PROMPT, ctx);
    let instructions = ctx.instructions();
    if !instructions.is_empty() {
        let _ = write!(
            prompt,
            "\n# Instructions from the person and the project\n\n\
             Follow these; where they disagree, the later ones win.\n\n{instructions}\n"
        );
    }
    prompt
}

/// The Planner's system prompt: its instructions and where it is working.
pub(crate) fn planner_system_prompt(ctx: &AgentContext) -> String {
    system_prompt(PLANNER_PROMPT, ctx)
}

/// `instructions` followed by where the agent is working.
fn system_prompt(instructions: &str, ctx: &AgentContext) -> String {
    let mut prompt = String::with_capacity(instructions.len() + 256);
    prompt.push_str(instructions);
    let _ = write!(
        prompt,
        "\n<env>\nWorking directory: {}\nPlatform: {}\n</env>\n",
        ctx.tool_context().root.display(),
        std::env::consts::OS,
    );
    prompt
}

/// The most bytes of the blackboard a worker of a plan is shown.
const BLACKBOARD_BUDGET: usize = 4_000;

/// What a worker of a plan run is shown of the blackboard after its task
/// (what finished tasks reported, what files hold), or nothing outside a
/// plan run or while the board is empty.
pub(crate) fn plan_context(ctx: &AgentContext) -> String {
    if !ctx.in_plan() {
        return String::new();
    }
    let board = ctx.blackboard().task_context(BLACKBOARD_BUDGET);
    if board.is_empty() {
        return String::new();
    }
    format!("\n\n<blackboard>\n{board}\n</blackboard>")
}

/// The first user message for `task`: its description, then what the tasks
/// it depends on reported.
pub(crate) fn task_message(task: &Task) -> String {
    if task.inputs.is_empty() {
        return task.spec.description.clone();
    }
    let mut text = task.spec.description.clone();
    text.push_str("\n\nResults of the tasks this one builds on:\n");
    for (i, input) in task.inputs.iter().enumerate() {
        let _ = write!(text, "\n[{}] {}\n", i + 1, input);
    }
    text
}
