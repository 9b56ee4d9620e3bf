//! The blackboard: what the agents of a session share besides the files —
//! the plans being run, a short transcript of finished tasks, and one-line
//! summaries of files.
//!
//! The Supervisor owns it and writes the plans and the transcript; an agent
//! adds file summaries through [`crate::role::AgentContext::ask_supervisor`]
//! and reads a snapshot with [`crate::role::AgentContext::blackboard`]. Every
//! part is bounded, so a coder's task context stays small however long the
//! session runs.

use crate::protocol::{PlanStatus, TaskId};
use crate::text::prefix_within;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;
use std::rc::Rc;

/// The most transcript entries kept; older ones are dropped first.
const TRANSCRIPT_LIMIT: usize = 40;

/// The most file summaries kept; a new path beyond it is not recorded.
const FILES_LIMIT: usize = 200;

/// The most characters of one transcript summary or file summary.
const LINE_LIMIT: usize = 200;

/// The shared store. Cloning gives another handle on the same board.
#[derive(Debug, Clone, Default)]
pub struct Blackboard {
    board: Rc<RefCell<Board>>,
}

#[derive(Debug, Default)]
struct Board {
    /// Each plan run's plan with its tasks' states, by the planner's task.
    plans: BTreeMap<TaskId, PlanStatus>,
    transcript: VecDeque<TranscriptEntry>,
    files: BTreeMap<String, String>,
}

/// A snapshot of the blackboard as one agent sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BlackboardView {
    /// The plan the agent's task belongs to, with every task's state; `None`
    /// outside a plan run.
    pub plan: Option<PlanStatus>,
    /// The session's latest finished tasks, oldest first.
    pub transcript: Vec<TranscriptEntry>,
    /// One line per file an agent described, by path relative to the
    /// project root.
    pub files: BTreeMap<String, String>,
}

/// One finished task, as the transcript remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptEntry {
    /// The task.
    pub task: TaskId,
    /// Its id in its plan (`t1`, `fix-1`), or `task N` outside a plan.
    pub label: String,
    /// The role that did it.
    pub role: String,
    /// The first line of its answer.
    pub summary: String,
}

impl Blackboard {
    /// An empty blackboard.
    pub fn new() -> Self {
        Self::default()
    }

    /// What an agent whose task belongs to the plan run of planner task
    /// `plan` (if any) sees.
    pub fn view(&self, plan: Option<TaskId>) -> BlackboardView {
        let board = self.board.borrow();
        BlackboardView {
            plan: plan.and_then(|planner| board.plans.get(&planner).cloned()),
            transcript: board.transcript.iter().cloned().collect(),
            files: board.files.clone(),
        }
    }

    /// Records (or replaces) the plan of planner task `planner`.
    pub(crate) fn set_plan(&self, planner: TaskId, plan: PlanStatus) {
        self.board.borrow_mut().plans.insert(planner, plan);
    }

    /// Adds a finished task to the transcript, dropping the oldest entry
    /// beyond the limit.
    pub(crate) fn record_finished(&self, mut entry: TranscriptEntry) {
        entry.summary = one_line(&entry.summary);
        let mut board = self.board.borrow_mut();
        board.transcript.push_back(entry);
        while board.transcript.len() > TRANSCRIPT_LIMIT {
            board.transcript.pop_front();
        }
    }

    /// Sets the one-line summary of `path`; returns `false` when the board
    /// already holds its limit of files and `path` is not among them.
    pub(crate) fn note_file(&self, path: &str, summary: &str) -> bool {
        let mut board = self.board.borrow_mut();
        if board.files.len() >= FILES_LIMIT && !board.files.contains_key(path) {
            return false;
        }
        board.files.insert(path.to_string(), one_line(summary));
        true
    }
}

impl BlackboardView {
    /// The shared context a worker of a plan is given with its task: the
    /// transcript and the file summaries, in at most `budget` bytes (the
    /// oldest transcript entries go first). The other tasks' descriptions
    /// are left out: a worker does its own task only.
    pub fn task_context(&self, budget: usize) -> String {
        self.render(false, budget)
    }

    /// Everything on the board (the plan's tasks with their states too), in
    /// at most `budget` bytes: the answer to a question for a role whose
    /// agent has retired.
    pub fn full_text(&self, budget: usize) -> String {
        self.render(true, budget)
    }

    fn render(&self, with_tasks: bool, budget: usize) -> String {
        let mut head = String::new();
        if let Some(plan) = &self.plan
            && with_tasks
        {
            let _ = writeln!(head, "The plan: {}", plan.summary);
            for task in &plan.tasks {
                let _ = writeln!(
                    head,
                    "- {} ({:?}): {}",
                    task.id,
                    task.state,
                    one_line(&task.description)
                );
            }
        }
        let mut files = String::new();
        if !self.files.is_empty() {
            files.push_str("Files described by the agents:\n");
            for (path, summary) in &self.files {
                let _ = writeln!(files, "- {path}: {summary}");
            }
        }
        let lines: Vec<String> = self
            .transcript
            .iter()
            .map(|e| format!("- {} ({}): {}\n", e.label, e.role, e.summary))
            .collect();
        // Keep the newest transcript lines that fit beside the rest.
        let mut room = budget.saturating_sub(head.len() + files.len() + 32);
        let mut kept = Vec::new();
        for line in lines.iter().rev() {
            if line.len() > room {
                break;
            }
            room -= line.len();
            kept.push(line.as_str());
        }
        let mut text = head;
        if !kept.is_empty() {
            text.push_str("Finished tasks:\n");
            text.extend(kept.into_iter().rev());
        }
        text.push_str(&files);
        prefix_within(&text, budget).trim_end().to_string()
    }
}

/// The first line of `text`, at most [`LINE_LIMIT`] bytes.
fn one_line(text: &str) -> String {
    prefix_within(text.lines().next().unwrap_or_default().trim(), LINE_LIMIT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{PlanTaskStatus, TaskState};

    fn entry(n: u64, summary: &str) -> TranscriptEntry {
        TranscriptEntry {
            task: TaskId(n),
            label: format!("t{n}"),
            role: "coder".into(),
            summary: summary.into(),
        }
    }

    #[test]
    fn the_transcript_keeps_the_newest_entries_first_lines_only() {
        let board = Blackboard::new();
        for n in 0..50 {
            board.record_finished(entry(n, &format!("did {n}\nmore detail")));
        }
        let view = board.view(None);
        assert_eq!(view.transcript.len(), TRANSCRIPT_LIMIT);
        assert_eq!(view.transcript[0].task, TaskId(10));
        assert_eq!(view.transcript[39].summary, "did 49");
    }

    #[test]
    fn a_view_holds_only_the_plan_of_the_agents_run() {
        let board = Blackboard::new();
        let plan = PlanStatus {
            summary: "Greet.".into(),
            tasks: vec![PlanTaskStatus {
                id: "t1".into(),
                task: TaskId(2),
                description: "Create a.txt.".into(),
                state: TaskState::Running,
            }],
        };
        board.set_plan(TaskId(1), plan.clone());
        assert_eq!(board.view(Some(TaskId(1))).plan, Some(plan));
        assert_eq!(board.view(Some(TaskId(9))).plan, None);
        assert_eq!(board.view(None).plan, None);
    }

    #[test]
    fn task_context_leaves_out_other_tasks_and_fits_its_budget() {
        let board = Blackboard::new();
        board.set_plan(
            TaskId(1),
            PlanStatus {
                summary: "Greet.".into(),
                tasks: vec![PlanTaskStatus {
                    id: "t1".into(),
                    task: TaskId(2),
                    description: "Create a.txt.".into(),
                    state: TaskState::Done,
                }],
            },
        );
        for n in 0..30 {
            board.record_finished(entry(n, "wrote a file"));
        }
        assert!(board.note_file("a.txt", "says alpha\nignored"));
        let view = board.view(Some(TaskId(1)));

        let context = view.task_context(300);
        assert!(context.len() <= 300, "{context}");
        assert!(!context.contains("Create a.txt."), "{context}");
        assert!(context.contains("- t29 (coder): wrote a file"), "{context}");
        assert!(!context.contains("- t0 (coder)"), "{context}");
        assert!(context.ends_with("- a.txt: says alpha"), "{context}");

        let full = view.full_text(4_000);
        assert!(full.contains("- t1 (Done): Create a.txt."), "{full}");
    }
}
