//! The task queue: tasks, their dependencies and priorities, and which are
//! ready to run. Plain data, no actors, so its rules can be tested alone.
//!
//! Rules: a task is ready when every task it depends on is done; ready tasks
//! start by priority (highest first), then in queue order. A task whose
//! dependency fails fails too, with a reason naming that dependency.
//! Dependencies must already be queued, so cycles cannot be built.
//!
//! File leases: a running task holds a lease on the files its spec names
//! ([`TaskSpec::files`]); a ready task naming a leased file is passed over
//! (it stays ready) until the lease holder ends. Tasks naming no files never
//! wait for a lease. The lease is on the declared files: it keeps two
//! planned tasks from editing one file at the same time, it does not police
//! what a tool writes.

use super::SupervisorError;
use crate::protocol::{TaskId, TaskSpec, TaskState};
use std::cmp::Reverse;
use std::collections::BTreeSet;

/// One task and everything the queue knows about it.
#[derive(Debug, Clone)]
pub(crate) struct QueuedTask {
    /// Its id.
    pub id: TaskId,
    /// What was asked.
    pub spec: TaskSpec,
    /// Where it stands.
    pub state: TaskState,
    /// Attempts started so far.
    pub attempts: u32,
    /// The final answer, once done.
    pub summary: Option<String>,
    /// Why it failed, once failed.
    pub failure: Option<String>,
    /// Distinct dependencies not yet done.
    waiting_on: usize,
    /// Tasks waiting for this one.
    dependents: Vec<TaskId>,
}

impl QueuedTask {
    /// Whether the task has ended, successfully or not.
    pub fn has_ended(&self) -> bool {
        matches!(self.state, TaskState::Done | TaskState::Failed)
    }
}

/// Tasks in queue order, with the ready ones indexed by priority.
#[derive(Debug, Default)]
pub(crate) struct TaskQueue {
    /// Every task ever queued; `TaskId(n)` sits at index `n - 1`.
    tasks: Vec<QueuedTask>,
    /// Ready tasks: highest priority first, then lowest id (queue order).
    ready: BTreeSet<(Reverse<i32>, TaskId)>,
}

impl TaskQueue {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues `spec` and returns its id. Fails if a dependency was never
    /// queued. If a dependency has already failed, the new task is queued
    /// already failed (check [`Self::get`]).
    pub fn enqueue(&mut self, spec: TaskSpec) -> Result<TaskId, SupervisorError> {
        if let Some(&task) = spec.depends_on.iter().find(|d| self.get(**d).is_none()) {
            return Err(SupervisorError::UnknownDependency { task });
        }
        let id = TaskId(self.tasks.len() as u64 + 1);
        let distinct: BTreeSet<TaskId> = spec.depends_on.iter().copied().collect();
        let failed_dep = spec
            .depends_on
            .iter()
            .filter_map(|d| self.get(*d))
            .find(|d| d.state == TaskState::Failed)
            .map(failed_because_of);

        let mut task = QueuedTask {
            id,
            spec,
            state: TaskState::Blocked,
            attempts: 0,
            summary: None,
            failure: None,
            waiting_on: 0,
            dependents: Vec::new(),
        };
        if let Some(reason) = failed_dep {
            task.state = TaskState::Failed;
            task.failure = Some(reason);
        } else {
            for dep in distinct {
                if let Some(dep) = self.get_mut(dep)
                    && dep.state != TaskState::Done
                {
                    dep.dependents.push(id);
                    task.waiting_on += 1;
                }
            }
            if task.waiting_on == 0 {
                task.state = TaskState::Ready;
                self.ready.insert((Reverse(task.spec.priority), id));
            }
        }
        self.tasks.push(task);
        Ok(id)
    }

    /// Takes the next ready task whose files are not leased by a running
    /// task, marks it running and counts its first attempt.
    pub fn start_next(&mut self) -> Option<TaskId> {
        let leased: BTreeSet<&str> = self
            .tasks
            .iter()
            .filter(|t| t.state == TaskState::Running)
            .flat_map(|t| t.spec.files.iter().map(|f| lease_key(f)))
            .collect();
        let key = self
            .ready
            .iter()
            .find(|(_, id)| {
                self.get(*id)
                    .is_some_and(|t| t.spec.files.iter().all(|f| !leased.contains(lease_key(f))))
            })
            .copied()?;
        self.ready.remove(&key);
        let (_, id) = key;
        if let Some(task) = self.get_mut(id) {
            task.state = TaskState::Running;
            task.attempts = 1;
        }
        Some(id)
    }

    /// Counts one more attempt at a running task and returns its number.
    pub fn retry(&mut self, id: TaskId) -> u32 {
        match self.get_mut(id) {
            Some(task) => {
                task.attempts += 1;
                task.attempts
            }
            None => 0,
        }
    }

    /// Marks `id` done with its answer; dependents whose last dependency this
    /// was become ready.
    pub fn finish(&mut self, id: TaskId, summary: String) {
        let dependents = match self.get_mut(id) {
            Some(task) if !task.has_ended() => {
                task.state = TaskState::Done;
                task.summary = Some(summary);
                std::mem::take(&mut task.dependents)
            }
            _ => return,
        };
        for dep_id in dependents {
            if let Some(dep) = self.get_mut(dep_id) {
                dep.waiting_on = dep.waiting_on.saturating_sub(1);
                if dep.waiting_on == 0 && dep.state == TaskState::Blocked {
                    dep.state = TaskState::Ready;
                    let key = (Reverse(dep.spec.priority), dep_id);
                    self.ready.insert(key);
                }
            }
        }
    }

    /// Marks `id` failed with `reason`, and with it every task that waits on
    /// it, directly or not. Returns those dependents in the order they failed.
    pub fn fail(&mut self, id: TaskId, reason: String) -> Vec<TaskId> {
        let mut cascaded = Vec::new();
        let mut pending = vec![(id, reason)];
        while let Some((current, reason)) = pending.pop() {
            let Some(task) = self.get_mut(current) else {
                continue;
            };
            if task.has_ended() {
                continue;
            }
            let was_ready = task.state == TaskState::Ready;
            let priority = task.spec.priority;
            task.state = TaskState::Failed;
            task.failure = Some(reason);
            let because = failed_because_of(task);
            let dependents = std::mem::take(&mut task.dependents);
            if was_ready {
                self.ready.remove(&(Reverse(priority), current));
            }
            // Pushed in reverse so that they are visited in queue order.
            for dep in dependents.into_iter().rev() {
                pending.push((dep, because.clone()));
            }
            if current != id {
                cascaded.push(current);
            }
        }
        cascaded
    }

    /// Fails every task that has not started with `reason`; returns them in queue order.
    pub fn cancel_pending(&mut self, reason: &str) -> Vec<TaskId> {
        let mut cancelled = Vec::new();
        for task in &mut self.tasks {
            if matches!(task.state, TaskState::Blocked | TaskState::Ready) {
                task.state = TaskState::Failed;
                task.failure = Some(reason.to_string());
                task.dependents.clear();
                cancelled.push(task.id);
            }
        }
        self.ready.clear();
        cancelled
    }

    /// The summaries of the tasks `id` depends on, in `depends_on` order.
    pub fn inputs(&self, id: TaskId) -> Vec<String> {
        let Some(task) = self.get(id) else {
            return Vec::new();
        };
        task.spec
            .depends_on
            .iter()
            .filter_map(|d| self.get(*d))
            .map(|d| d.summary.clone().unwrap_or_default())
            .collect()
    }

    /// The task `id`, if it was ever queued.
    pub fn get(&self, id: TaskId) -> Option<&QueuedTask> {
        let index = usize::try_from(id.0.checked_sub(1)?).ok()?;
        self.tasks.get(index)
    }

    /// Every task, in queue order.
    pub fn iter(&self) -> impl Iterator<Item = &QueuedTask> {
        self.tasks.iter()
    }

    fn get_mut(&mut self, id: TaskId) -> Option<&mut QueuedTask> {
        let index = usize::try_from(id.0.checked_sub(1)?).ok()?;
        self.tasks.get_mut(index)
    }
}

/// The name a file is leased under: `./src/a.rs` and `src/a.rs` are one file.
fn lease_key(file: &str) -> &str {
    let mut key = file.trim();
    while let Some(rest) = key.strip_prefix("./") {
        key = rest;
    }
    key
}

/// The reason a dependent of the failed task `dep` is given.
fn failed_because_of(dep: &QueuedTask) -> String {
    match &dep.failure {
        Some(reason) => format!("dependency {} failed: {reason}", dep.id),
        None => format!("dependency {} failed", dep.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str) -> TaskSpec {
        TaskSpec::new("coder", name)
    }

    fn state(queue: &TaskQueue, id: TaskId) -> TaskState {
        queue.get(id).map(|t| t.state.clone()).unwrap()
    }

    #[test]
    fn task_without_dependencies_is_ready_at_once() {
        let mut q = TaskQueue::new();
        let a = q.enqueue(spec("a")).unwrap();
        assert_eq!(state(&q, a), TaskState::Ready);
        assert_eq!(q.start_next(), Some(a));
        assert_eq!(state(&q, a), TaskState::Running);
        assert_eq!(q.get(a).unwrap().attempts, 1);
        assert_eq!(q.start_next(), None);
    }

    #[test]
    fn task_becomes_ready_only_when_every_dependency_is_done() {
        let mut q = TaskQueue::new();
        let a = q.enqueue(spec("a")).unwrap();
        let b = q.enqueue(spec("b")).unwrap();
        let c = q.enqueue(spec("c").after(a).after(b).after(a)).unwrap();
        assert_eq!(state(&q, c), TaskState::Blocked);
        assert_eq!(q.start_next(), Some(a));
        assert_eq!(q.start_next(), Some(b));
        q.finish(a, "A".into());
        assert_eq!(state(&q, c), TaskState::Blocked);
        assert_eq!(q.start_next(), None);
        q.finish(b, "B".into());
        assert_eq!(state(&q, c), TaskState::Ready);
        assert_eq!(q.start_next(), Some(c));
        assert_eq!(q.inputs(c), vec!["A", "B", "A"]);
    }

    #[test]
    fn dependency_already_done_does_not_block() {
        let mut q = TaskQueue::new();
        let a = q.enqueue(spec("a")).unwrap();
        q.start_next();
        q.finish(a, "A".into());
        let b = q.enqueue(spec("b").after(a)).unwrap();
        assert_eq!(state(&q, b), TaskState::Ready);
    }

    #[test]
    fn ready_tasks_start_by_priority_then_queue_order() {
        let mut q = TaskQueue::new();
        let low = q.enqueue(spec("low").with_priority(-1)).unwrap();
        let first = q.enqueue(spec("first")).unwrap();
        let high = q.enqueue(spec("high").with_priority(5)).unwrap();
        let second = q.enqueue(spec("second")).unwrap();
        let order: Vec<_> = std::iter::from_fn(|| q.start_next()).collect();
        assert_eq!(order, vec![high, first, second, low]);
    }

    #[test]
    fn unknown_dependency_is_rejected() {
        let mut q = TaskQueue::new();
        let err = q.enqueue(spec("a").after(TaskId(7))).unwrap_err();
        assert_eq!(err, SupervisorError::UnknownDependency { task: TaskId(7) });
        assert_eq!(q.iter().count(), 0);
    }

    #[test]
    fn failure_cascades_to_dependents_naming_the_dependency() {
        let mut q = TaskQueue::new();
        let a = q.enqueue(spec("a")).unwrap();
        let b = q.enqueue(spec("b").after(a)).unwrap();
        let c = q.enqueue(spec("c").after(b)).unwrap();
        let d = q.enqueue(spec("d")).unwrap();
        q.start_next();
        let cascaded = q.fail(a, "boom".into());
        assert_eq!(cascaded, vec![b, c]);
        assert_eq!(state(&q, b), TaskState::Failed);
        assert_eq!(
            q.get(b).unwrap().failure.as_deref(),
            Some("dependency task 1 failed: boom")
        );
        assert_eq!(
            q.get(c).unwrap().failure.as_deref(),
            Some("dependency task 2 failed: dependency task 1 failed: boom")
        );
        assert_eq!(state(&q, d), TaskState::Ready);
    }

    #[test]
    fn task_queued_after_its_dependency_failed_fails_at_once() {
        let mut q = TaskQueue::new();
        let a = q.enqueue(spec("a")).unwrap();
        q.start_next();
        q.fail(a, "boom".into());
        let b = q.enqueue(spec("b").after(a)).unwrap();
        assert_eq!(state(&q, b), TaskState::Failed);
        assert_eq!(q.start_next(), None);
    }

    #[test]
    fn cancel_fails_every_task_not_yet_started() {
        let mut q = TaskQueue::new();
        let a = q.enqueue(spec("a")).unwrap();
        let b = q.enqueue(spec("b").after(a)).unwrap();
        let c = q.enqueue(spec("c")).unwrap();
        assert_eq!(q.start_next(), Some(a));
        assert_eq!(q.cancel_pending("cancelled"), vec![b, c]);
        assert_eq!(state(&q, a), TaskState::Running);
        assert_eq!(q.get(c).unwrap().failure.as_deref(), Some("cancelled"));
        assert_eq!(q.start_next(), None);
        assert!(q.fail(a, "cancelled".into()).is_empty());
    }

    #[test]
    fn ready_task_waits_while_a_running_task_leases_one_of_its_files() {
        let mut q = TaskQueue::new();
        let a = q.enqueue(spec("a").touching("src/a.rs")).unwrap();
        let b = q.enqueue(spec("b").touching("./src/a.rs")).unwrap();
        let c = q.enqueue(spec("c").touching("src/c.rs")).unwrap();
        let free = q.enqueue(spec("free")).unwrap();
        assert_eq!(q.start_next(), Some(a));
        // b needs a's file: it is passed over, and stays ready.
        assert_eq!(q.start_next(), Some(c));
        assert_eq!(q.start_next(), Some(free));
        assert_eq!(q.start_next(), None);
        assert_eq!(state(&q, b), TaskState::Ready);
        q.finish(a, "A".into());
        assert_eq!(q.start_next(), Some(b));
    }

    #[test]
    fn a_failed_lease_holder_releases_its_files() {
        let mut q = TaskQueue::new();
        let a = q.enqueue(spec("a").touching("x")).unwrap();
        let b = q.enqueue(spec("b").touching("x")).unwrap();
        assert_eq!(q.start_next(), Some(a));
        assert_eq!(q.start_next(), None);
        q.fail(a, "boom".into());
        assert_eq!(q.start_next(), Some(b));
    }

    #[test]
    fn retry_counts_attempts() {
        let mut q = TaskQueue::new();
        let a = q.enqueue(spec("a")).unwrap();
        q.start_next();
        assert_eq!(q.retry(a), 2);
        assert_eq!(q.retry(a), 3);
        assert_eq!(q.get(a).unwrap().attempts, 3);
    }
}
