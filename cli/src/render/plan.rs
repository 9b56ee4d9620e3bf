//! A plan as a checklist in text: printed once when proposed, then one
//! line each time one of its tasks ends, its box ticked (`[x]`) or marked
//! failed (`[!]`).

use code_mesh_runtime::protocol::{Plan, PlanStatus, TaskState};
use std::collections::BTreeMap;

/// What has been shown of the plans so far, to print only what changed.
#[derive(Debug, Default)]
pub struct PlanChecklist {
    /// The last state shown of each task, by plan summary and task id.
    shown: BTreeMap<(String, String), TaskState>,
}

impl PlanChecklist {
    /// The lines of a proposed plan: its summary, then one numbered line per
    /// task with its files and what it waits for.
    ///
    /// ```text
    /// Plan: Greet in two files.
    ///   1. [ ] t1 Create a.txt (files: a.txt)
    ///   2. [ ] t2 Create b.txt (files: b.txt; after: t1)
    /// ```
    pub fn proposed(&mut self, plan: &Plan) -> Vec<String> {
        let mut lines = vec![format!("Plan: {}", first_line(&plan.summary))];
        for (n, task) in plan.tasks.iter().enumerate() {
            let mut details = Vec::new();
            if !task.files.is_empty() {
                details.push(format!("files: {}", task.files.join(", ")));
            }
            if !task.depends_on.is_empty() {
                details.push(format!("after: {}", task.depends_on.join(", ")));
            }
            let mut line = format!(
                "  {}. [ ] {} {}",
                n + 1,
                task.id,
                first_line(&task.description)
            );
            if !details.is_empty() {
                line.push_str(&format!(" ({})", details.join("; ")));
            }
            lines.push(line);
        }
        lines
    }

    /// One line per task of `plan` that ended since it was last shown:
    /// `[x] t1 Create a.txt` when done, `[!] t1 Create a.txt (failed)` when not.
    pub fn updated(&mut self, plan: &PlanStatus) -> Vec<String> {
        let mut lines = Vec::new();
        for task in &plan.tasks {
            let key = (plan.summary.clone(), task.id.clone());
            if self.shown.get(&key) == Some(&task.state) {
                continue;
            }
            self.shown.insert(key, task.state.clone());
            let description = first_line(&task.description);
            match task.state {
                TaskState::Done => lines.push(format!("[x] {} {description}", task.id)),
                TaskState::Failed => {
                    lines.push(format!("[!] {} {description} (failed)", task.id));
                }
                _ => {}
            }
        }
        lines
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default().trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::protocol::{PlanTaskStatus, PlannedTask, TaskId};

    fn planned(id: &str, files: &[&str], after: &[&str]) -> PlannedTask {
        PlannedTask {
            id: id.into(),
            description: format!("do {id}\nin detail"),
            files: files.iter().map(|f| f.to_string()).collect(),
            depends_on: after.iter().map(|f| f.to_string()).collect(),
        }
    }

    fn status(states: &[(&str, TaskState)]) -> PlanStatus {
        PlanStatus {
            summary: "two steps".into(),
            tasks: states
                .iter()
                .enumerate()
                .map(|(i, (id, state))| PlanTaskStatus {
                    id: id.to_string(),
                    task: TaskId(i as u64 + 2),
                    description: format!("do {id}"),
                    state: state.clone(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_proposed_plan_is_a_numbered_checklist_with_files_and_dependencies() {
        let plan = Plan {
            summary: "two steps".into(),
            tasks: vec![planned("t1", &["a.txt"], &[]), planned("t2", &[], &["t1"])],
        };
        assert_eq!(
            PlanChecklist::default().proposed(&plan),
            [
                "Plan: two steps",
                "  1. [ ] t1 do t1 (files: a.txt)",
                "  2. [ ] t2 do t2 (after: t1)",
            ]
        );
    }

    #[test]
    fn each_task_is_ticked_once_when_it_ends() {
        let mut checklist = PlanChecklist::default();
        let running = status(&[("t1", TaskState::Running), ("t2", TaskState::Blocked)]);
        assert!(checklist.updated(&running).is_empty());
        let one_done = status(&[("t1", TaskState::Done), ("t2", TaskState::Running)]);
        assert_eq!(checklist.updated(&one_done), ["[x] t1 do t1"]);
        assert!(checklist.updated(&one_done).is_empty());
        let both = status(&[("t1", TaskState::Done), ("t2", TaskState::Failed)]);
        assert_eq!(checklist.updated(&both), ["[!] t2 do t2 (failed)"]);
    }
}
