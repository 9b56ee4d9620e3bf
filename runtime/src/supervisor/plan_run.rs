//! Plan runs: a planner task's answer run as a DAG of tasks.
//!
//! When a task of the planner role finishes, its answer is read as a
//! [`Plan`] and checked; each planned task is queued for the worker role
//! (`coder` by default) with its dependencies mapped to queue ids and its
//! files declared, so independent tasks run at the same time (up to the
//! agent limit) and no two touch one file at once. The tasks join the
//! planner's turn. Once they are all done, the run's [`CheckRounds`] test
//! and review the work (with fix rounds); when every task has ended, the
//! turn's answer (or its error) is [`PlanRun::report`]: what was done and
//! what was not.

use super::check_rounds::CheckRounds;
use super::task_queue::TaskQueue;
use crate::protocol::{Plan, PlanStatus, PlanTaskStatus, PlannedTask, TaskId, TaskState};
use std::fmt::Write as _;

/// A plan being run: which queued task each planned task became.
#[derive(Debug, Clone)]
pub(crate) struct PlanRun {
    /// The planner's task.
    pub planner: TaskId,
    /// The plan as proposed.
    pub plan: Plan,
    /// Planned task index (in `plan.tasks`) and its queue id, in queue order.
    pub tasks: Vec<(usize, TaskId)>,
    /// The tests and reviews after the planned tasks.
    pub checks: CheckRounds,
}

impl PlanRun {
    /// Whether `task` is the planner's task or one of the planned ones.
    pub fn involves(&self, task: TaskId) -> bool {
        self.planner == task
            || self.tasks.iter().any(|(_, t)| *t == task)
            || self.checks.contains(task)
    }

    /// The queue ids of the planned tasks (not the planner's, not the checks).
    pub fn planned(&self) -> Vec<TaskId> {
        self.tasks.iter().map(|(_, t)| *t).collect()
    }

    /// The plan with each task's state, in the plan's order, then the check
    /// tasks (`test-1`, `fix-1`, `review-1`, …) in queue order.
    pub fn status(&self, queue: &TaskQueue) -> PlanStatus {
        let mut tasks: Vec<_> = self.tasks.clone();
        tasks.sort_by_key(|(index, _)| *index);
        PlanStatus {
            summary: self.plan.summary.clone(),
            tasks: tasks
                .into_iter()
                .filter_map(|(index, task)| {
                    let planned = self.plan.tasks.get(index)?;
                    Some(PlanTaskStatus {
                        id: planned.id.clone(),
                        task,
                        description: planned.description.clone(),
                        state: state_of(queue, task),
                    })
                })
                .chain(self.checks.tasks.iter().map(|check| PlanTaskStatus {
                    id: check.label.clone(),
                    task: check.task,
                    description: check.title.clone(),
                    state: state_of(queue, check.task),
                }))
                .collect(),
        }
    }

    /// What was done and what was not, for the person, once every task has
    /// ended: a count, then one line per planned task with its summary or
    /// the reason it failed or never ran, then one per check task. The flag
    /// says whether the run failed: a planned task did not get done, or the
    /// checks ended with failing tests, a failed fix or an unapproved review.
    pub fn report(&self, queue: &TaskQueue) -> (String, bool) {
        let mut status = self.status(queue);
        status.tasks.retain(|t| !self.checks.contains(t.task));
        let total = status.tasks.len();
        let done = status
            .tasks
            .iter()
            .filter(|t| t.state == TaskState::Done)
            .count();
        let mut text = format!("{done} of {total} planned tasks done.");
        for entry in &status.tasks {
            let Some(task) = queue.get(entry.task) else {
                continue;
            };
            let _ = match task.state {
                TaskState::Done => write!(
                    text,
                    "\n- done: {} ({}): {}",
                    entry.id,
                    entry.description,
                    first_line(task.summary.as_deref().unwrap_or_default())
                ),
                TaskState::Failed if task.attempts == 0 => write!(
                    text,
                    "\n- not done: {} ({}): never started: {}",
                    entry.id,
                    entry.description,
                    task.failure.as_deref().unwrap_or("no reason given")
                ),
                TaskState::Failed => write!(
                    text,
                    "\n- failed: {} ({}) after {} attempt(s): {}",
                    entry.id,
                    entry.description,
                    task.attempts,
                    task.failure.as_deref().unwrap_or("no reason given")
                ),
                _ => write!(
                    text,
                    "\n- not done: {} ({}): still {:?}",
                    entry.id, entry.description, task.state
                ),
            };
        }
        for line in self.checks.report_lines(queue) {
            let _ = write!(text, "\n- {line}");
        }
        let failed = done < total || !self.checks.passed(queue);
        (text, failed)
    }
}

fn state_of(queue: &TaskQueue, task: TaskId) -> TaskState {
    queue
        .get(task)
        .map_or(TaskState::Failed, |t| t.state.clone())
}

/// What the agent of a planned task is told: the plan's summary, its own
/// task and the files it is expected to touch, and nothing of the other
/// tasks (their results arrive as the task's inputs).
pub(crate) fn worker_description(plan: &Plan, task: &PlannedTask) -> String {
    let mut text = format!(
        "You are doing one task of a larger plan.\n\nThe plan: {}\n\nYour task ({}): {}",
        plan.summary, task.id, task.description
    );
    if !task.files.is_empty() {
        let _ = write!(
            text,
            "\n\nFiles you are expected to touch: {}",
            task.files.join(", ")
        );
    }
    text.push_str("\n\nDo only this task, then answer with a short summary of what you changed.");
    text
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default().trim()
}
