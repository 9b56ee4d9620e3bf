//! User turns: the tasks queued while a person's request is being handled,
//! what their model requests used, and the [`Event::TurnComplete`] that
//! closes each turn.

use super::spend::Spend;
use super::task_queue::TaskQueue;
use crate::model::Usage;
use crate::protocol::{Event, TaskId, TaskState, TurnStatus};

/// The open turns, oldest first. Tasks queued while any turn is open join
/// the newest one.
#[derive(Debug, Default)]
pub(crate) struct Turns {
    open: Vec<OpenTurn>,
}

/// One open turn: its tasks and what their requests have used so far.
#[derive(Debug, Default)]
struct OpenTurn {
    tasks: Vec<TaskId>,
    spend: Spend,
    /// Tasks whose work is not over though they have ended (a plan waiting
    /// for approval); the turn stays open while any is held.
    held: Vec<TaskId>,
}

impl Turns {
    /// Opens a turn; tasks queued from now on belong to it.
    pub fn open(&mut self) {
        self.open.push(OpenTurn::default());
    }

    /// Drops the newest turn if no task joined it (its request was refused).
    pub fn abandon_if_empty(&mut self) {
        if self.open.last().is_some_and(|turn| turn.tasks.is_empty()) {
            self.open.pop();
        }
    }

    /// Adds `task` to the open turn `beside` belongs to, or else to the
    /// newest open turn, if any.
    pub fn add_task(&mut self, task: TaskId, beside: Option<TaskId>) {
        let turn = match beside {
            Some(beside) => match self.open.iter().position(|t| t.tasks.contains(&beside)) {
                Some(i) => self.open.get_mut(i),
                None => self.open.last_mut(),
            },
            None => self.open.last_mut(),
        };
        if let Some(turn) = turn {
            turn.tasks.push(task);
        }
    }

    /// Keeps the turn of `task` open after every task has ended, until
    /// [`Self::release`] (a proposed plan waits for the person's approval).
    pub fn hold(&mut self, task: TaskId) {
        if let Some(turn) = self.open.iter_mut().find(|t| t.tasks.contains(&task)) {
            turn.held.push(task);
        }
    }

    /// Lets the turn of `task` close again once its tasks have ended.
    pub fn release(&mut self, task: TaskId) {
        for turn in &mut self.open {
            turn.held.retain(|t| *t != task);
        }
    }

    /// Closes the open turn `task` belongs to at once and returns what it
    /// had used; `None` when no open turn holds `task`.
    pub fn close_turn_of(&mut self, task: TaskId) -> Option<Spend> {
        let i = self.open.iter().position(|t| t.tasks.contains(&task))?;
        Some(self.open.remove(i).spend)
    }

    /// Adds one request of `task` to the totals of the turn it belongs to,
    /// if that turn is still open.
    pub fn record_usage(&mut self, task: TaskId, usage: Usage, cost_usd: Option<f64>) {
        if let Some(turn) = self.open.iter_mut().find(|t| t.tasks.contains(&task)) {
            turn.spend.add(usage, cost_usd);
        }
    }

    /// Closes every turn whose tasks have all ended and returns their
    /// `TurnComplete` events, oldest turn first. `report` may give a turn's
    /// account of its work (a plan run's done and not done) and whether it
    /// failed; it then stands as the turn's answer, or as its error.
    pub fn close_completed(
        &mut self,
        queue: &TaskQueue,
        report: impl Fn(&[TaskId]) -> Option<(String, bool)>,
    ) -> Vec<Event> {
        let mut closed = Vec::new();
        self.open.retain(|turn| {
            let ended = !turn.tasks.is_empty()
                && turn.held.is_empty()
                && turn
                    .tasks
                    .iter()
                    .all(|t| queue.get(*t).is_none_or(|t| t.has_ended()));
            if ended {
                let report = report(&turn.tasks);
                closed.push(completion(&turn.tasks, turn.spend, queue, report));
            }
            !ended
        });
        closed
    }

    /// Closes every open turn at once and returns what each had used,
    /// oldest first.
    pub fn close_all(&mut self) -> Vec<Spend> {
        std::mem::take(&mut self.open)
            .into_iter()
            .map(|turn| turn.spend)
            .collect()
    }
}

/// The `TurnComplete` for a turn whose tasks have all ended.
fn completion(
    tasks: &[TaskId],
    spend: Spend,
    queue: &TaskQueue,
    report: Option<(String, bool)>,
) -> Event {
    if let Some((report, failed)) = report {
        let (status, answer, error) = if failed {
            (TurnStatus::Failed, None, Some(report))
        } else {
            (TurnStatus::Completed, Some(report), None)
        };
        return Event::TurnComplete {
            status,
            answer,
            error,
            usage: spend.usage,
            cost_usd: spend.cost_usd,
        };
    }
    let answer = tasks
        .first()
        .and_then(|t| queue.get(*t))
        .filter(|t| t.state == TaskState::Done)
        .and_then(|t| t.summary.clone());
    let failed = tasks
        .iter()
        .filter_map(|t| queue.get(*t))
        .find(|t| t.state == TaskState::Failed);
    match failed {
        Some(task) => Event::TurnComplete {
            status: TurnStatus::Failed,
            answer,
            error: Some({
                let reason = task.failure.as_deref().unwrap_or("no reason given");
                // A one-task turn is the common case; naming the task there is noise.
                if tasks.len() == 1 {
                    reason.to_string()
                } else {
                    format!("{} failed: {reason}", task.id)
                }
            }),
            usage: spend.usage,
            cost_usd: spend.cost_usd,
        },
        None => Event::TurnComplete {
            status: TurnStatus::Completed,
            answer,
            error: None,
            usage: spend.usage,
            cost_usd: spend.cost_usd,
        },
    }
}
