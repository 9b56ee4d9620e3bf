//! [`StatusReport`] as text (the interactive mode's `/agents`): the live
//! agents, the plans as checklists, and the tasks waiting.

use crate::numbers;
use code_mesh_runtime::protocol::{AgentState, StatusReport, TaskState};

/// The lines of `report`.
///
/// ```text
/// agents:
///   #3 coder  working  task 2  openai/gpt-4o  1,200 in · 80 out
/// plan: Greet in two files
///   [x] t1 Greet in a.txt
///   [ ] t2 Greet in b.txt (running)
/// queue:
///   task 4 tester  queued  Run the tests
/// ```
pub fn status_lines(report: &StatusReport) -> Vec<String> {
    let mut lines = Vec::new();
    if report.agents.is_empty() {
        lines.push("agents: none working".to_string());
    } else {
        lines.push("agents:".to_string());
    }
    for agent in &report.agents {
        let state = match agent.state {
            AgentState::Working => "working",
            AgentState::Restarting => "restarting",
        };
        let task = agent
            .task
            .map(|task| format!("  task {}", task.0))
            .unwrap_or_default();
        lines.push(format!(
            "  #{} {}  {state}{task}  {}  {} in · {} out",
            agent.id.0,
            agent.role,
            agent.model,
            numbers::count(agent.usage.input_tokens),
            numbers::count(agent.usage.output_tokens),
        ));
    }
    for plan in &report.plans {
        lines.push(format!("plan: {}", plan.summary));
        for task in &plan.tasks {
            let mark = match task.state {
                TaskState::Done => "[x]",
                TaskState::Failed => "[!]",
                _ => "[ ]",
            };
            lines.push(format!(
                "  {mark} {} {} ({})",
                task.id,
                task.description,
                state_name(&task.state)
            ));
        }
    }
    let waiting: Vec<_> = report
        .tasks
        .iter()
        .filter(|task| !matches!(task.state, TaskState::Done | TaskState::Failed))
        .collect();
    if !waiting.is_empty() {
        lines.push("queue:".to_string());
    }
    for task in waiting {
        lines.push(format!(
            "  task {} {}  {}  {}",
            task.id.0,
            task.role,
            state_name(&task.state),
            task.description.lines().next().unwrap_or_default()
        ));
    }
    lines.push(format!(
        "session: {} in · {} out{}",
        numbers::count(report.usage.input_tokens),
        numbers::count(report.usage.output_tokens),
        report
            .cost_usd
            .map(|cost| format!(" · {}", numbers::cost(cost)))
            .unwrap_or_default()
    ));
    lines
}

/// A task state in words.
fn state_name(state: &TaskState) -> String {
    format!("{state:?}").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::model::Usage;
    use code_mesh_runtime::protocol::{
        AgentId, AgentStatus, PlanStatus, PlanTaskStatus, TaskId, TaskStatus,
    };

    #[test]
    fn agents_plans_and_waiting_tasks_are_listed_with_the_sessions_tokens() {
        let usage = Usage {
            input_tokens: 1_200,
            output_tokens: 80,
            cached_input_tokens: 0,
        };
        let report = StatusReport {
            agents: vec![AgentStatus {
                id: AgentId(3),
                role: "coder".into(),
                state: AgentState::Working,
                task: Some(TaskId(2)),
                model: "openai/gpt-4o".into(),
                usage,
            }],
            tasks: vec![
                TaskStatus {
                    id: TaskId(2),
                    role: "coder".into(),
                    description: "Greet in b.txt".into(),
                    state: TaskState::Running,
                    attempts: 1,
                },
                TaskStatus {
                    id: TaskId(1),
                    role: "planner".into(),
                    description: "plan it".into(),
                    state: TaskState::Done,
                    attempts: 1,
                },
            ],
            plans: vec![PlanStatus {
                summary: "Greet".into(),
                tasks: vec![PlanTaskStatus {
                    id: "t1".into(),
                    task: TaskId(2),
                    description: "Greet in b.txt".into(),
                    state: TaskState::Running,
                }],
            }],
            usage,
            cost_usd: Some(0.01),
        };
        assert_eq!(
            status_lines(&report),
            [
                "agents:",
                "  #3 coder  working  task 2  openai/gpt-4o  1,200 in · 80 out",
                "plan: Greet",
                "  [ ] t1 Greet in b.txt (running)",
                "queue:",
                "  task 2 coder  running  Greet in b.txt",
                "session: 1,200 in · 80 out · $0.0100",
            ]
        );
    }
}
