//! Check rounds: what runs after a plan's tasks are done. The tester runs
//! the project's tests; while they fail, a coder fix task carrying the
//! failure and another test run are queued, up to the test rounds. Then the
//! reviewer reads the whole staged diff; its findings become a fix task,
//! then tests and a review again, up to the review rounds. Plain data, like
//! the task queue: the Supervisor queues what [`CheckRounds::next`] asks for.
//!
//! Each step is a chain (a fix, then the test run that checks it), queued
//! with each task depending on the one before, so a failed fix fails the
//! run. A failing test run is a failed task; it fails the turn only when it
//! is the run's last word.

use super::task_queue::TaskQueue;
use crate::protocol::{Plan, Review, TaskId, TaskState, TestReport};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Lines of a failing test run's output a fix task is given.
pub(crate) const FAILURE_TAIL_LINES: usize = 200;

/// Which roles check a plan's work, and how many rounds they get.
#[derive(Debug, Clone)]
pub(crate) struct CheckSettings {
    /// The role that runs the tests (`tester`); no test runs unless registered.
    pub tester_role: String,
    /// The role that reviews the diff (`reviewer`); no review unless registered.
    pub reviewer_role: String,
    /// Fix rounds after failing tests (`agent.tester.rounds`, default 2).
    pub test_rounds: u32,
    /// Reviews after the first, each after fixing the last one's findings
    /// (`agent.reviewer.rounds`, default 1).
    pub review_rounds: u32,
}

impl Default for CheckSettings {
    fn default() -> Self {
        Self {
            tester_role: "tester".to_string(),
            reviewer_role: "reviewer".to_string(),
            test_rounds: 2,
            review_rounds: 1,
        }
    }
}

/// What a check task does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CheckKind {
    /// Runs the tests (the tester role).
    Test,
    /// Fixes what failed (the worker role).
    Fix,
    /// Reviews the diff (the reviewer role).
    Review,
}

/// One task to queue: its kind and what its agent is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckStep {
    /// What it does.
    pub kind: CheckKind,
    /// Its task description.
    pub description: String,
    /// The files it is expected to touch (a fix of review findings).
    pub files: Vec<String>,
}

/// A queued check task.
#[derive(Debug, Clone)]
pub(crate) struct CheckTask {
    /// What it does.
    pub kind: CheckKind,
    /// Its queue id.
    pub task: TaskId,
    /// Its name in the plan's status: `test-1`, `fix-1`, `review-1`.
    pub label: String,
    /// A one-line account of it for the plan's status.
    pub title: String,
}

/// The check tasks of one plan run and the rounds they have used.
#[derive(Debug, Clone, Default)]
pub(crate) struct CheckRounds {
    /// Every check task, in queue order.
    pub tasks: Vec<CheckTask>,
    /// The reports of test runs that failed, by task.
    failed_tests: BTreeMap<TaskId, TestReport>,
    /// Fix rounds for failing tests used so far.
    test_fixes: u32,
    /// Reviews queued so far.
    reviews: u32,
    /// Fix tasks queued so far.
    fixes: u32,
}

/// Which check roles are registered.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CheckRoles {
    /// A tester is registered.
    pub tester: bool,
    /// A reviewer is registered.
    pub reviewer: bool,
}

impl CheckRounds {
    /// Whether `task` is one of these check tasks.
    pub fn contains(&self, task: TaskId) -> bool {
        self.tasks.iter().any(|t| t.task == task)
    }

    /// The kind of the check task `task`, if it is one.
    pub fn kind_of(&self, task: TaskId) -> Option<CheckKind> {
        self.tasks.iter().find(|t| t.task == task).map(|t| t.kind)
    }

    /// Records that the test run `task` failed with `report`.
    pub fn note_failed_test(&mut self, task: TaskId, report: TestReport) {
        self.failed_tests.insert(task, report);
    }

    /// Records that `step` was queued as `task`.
    pub fn record(&mut self, step: &CheckStep, task: TaskId) {
        let count = self.tasks.iter().filter(|t| t.kind == step.kind).count() + 1;
        let (label, title) = match step.kind {
            CheckKind::Test => (
                format!("test-{count}"),
                "Run the project's tests".to_string(),
            ),
            CheckKind::Fix => (format!("fix-{count}"), first_line(&step.description)),
            CheckKind::Review => (
                format!("review-{count}"),
                "Review the staged diff".to_string(),
            ),
        };
        self.tasks.push(CheckTask {
            kind: step.kind,
            task,
            label,
            title,
        });
    }

    /// The steps to queue now that `ended` has ended, as one chain; empty
    /// when there is nothing more to check (or to wait for). `planned` are
    /// the plan's own tasks; the first checks start once all are done.
    pub fn next(
        &mut self,
        ended: TaskId,
        planned: &[TaskId],
        plan: &Plan,
        queue: &TaskQueue,
        settings: &CheckSettings,
        roles: CheckRoles,
    ) -> Vec<CheckStep> {
        if planned.contains(&ended) {
            let all_done = planned
                .iter()
                .all(|t| queue.get(*t).is_some_and(|t| t.state == TaskState::Done));
            if !all_done || !self.tasks.is_empty() {
                return Vec::new();
            }
            return if roles.tester {
                vec![test_step()]
            } else if roles.reviewer {
                self.reviews += 1;
                vec![review_step(plan)]
            } else {
                Vec::new()
            };
        }
        // Only the last task of the last chain decides what comes next.
        let Some(last) = self.tasks.last() else {
            return Vec::new();
        };
        if last.task != ended {
            return Vec::new();
        }
        let Some(task) = queue.get(ended) else {
            return Vec::new();
        };
        match (last.kind, &task.state) {
            (CheckKind::Test, TaskState::Done) => {
                if roles.reviewer && self.reviews < 1 + settings.review_rounds {
                    self.reviews += 1;
                    vec![review_step(plan)]
                } else {
                    Vec::new()
                }
            }
            (CheckKind::Test, TaskState::Failed) => {
                let Some(report) = self.failed_tests.get(&ended) else {
                    // The tester could not run the tests: nothing to fix.
                    return Vec::new();
                };
                if self.test_fixes >= settings.test_rounds {
                    return Vec::new();
                }
                self.test_fixes += 1;
                self.fixes += 1;
                vec![
                    CheckStep {
                        kind: CheckKind::Fix,
                        description: test_fix_description(plan, report),
                        files: Vec::new(),
                    },
                    test_step(),
                ]
            }
            (CheckKind::Review, TaskState::Done) => {
                let review = review_of(task.summary.as_deref().unwrap_or_default());
                let Some(review) = review.filter(|r| !r.approved) else {
                    return Vec::new();
                };
                if self.reviews > settings.review_rounds {
                    return Vec::new();
                }
                self.fixes += 1;
                let mut files: Vec<String> =
                    review.findings.iter().map(|f| f.file.clone()).collect();
                files.sort();
                files.dedup();
                let fix = CheckStep {
                    kind: CheckKind::Fix,
                    description: review_fix_description(plan, &review),
                    files,
                };
                if roles.tester {
                    vec![fix, test_step()]
                } else {
                    self.reviews += 1;
                    vec![fix, review_step(plan)]
                }
            }
            _ => Vec::new(),
        }
    }

    /// Whether the checks ended well: no check task, or the last one done
    /// and, if it is a review, approving. Meaningful once all have ended.
    pub fn passed(&self, queue: &TaskQueue) -> bool {
        let Some(last) = self.tasks.last() else {
            return true;
        };
        let Some(task) = queue.get(last.task) else {
            return false;
        };
        match (last.kind, &task.state) {
            (CheckKind::Review, TaskState::Done) => {
                review_of(task.summary.as_deref().unwrap_or_default()).is_some_and(|r| r.approved)
            }
            (_, state) => *state == TaskState::Done,
        }
    }

    /// One line per check task for the run's report.
    pub fn report_lines(&self, queue: &TaskQueue) -> Vec<String> {
        self.tasks
            .iter()
            .filter_map(|check| {
                let task = queue.get(check.task)?;
                let summary = task.summary.as_deref().unwrap_or_default();
                Some(match (check.kind, &task.state) {
                    (CheckKind::Test, TaskState::Done) => match test_report_of(summary) {
                        Some(report) => {
                            format!("{}: tests passed: `{}`", check.label, report.command)
                        }
                        None => format!("{}: tests passed", check.label),
                    },
                    (CheckKind::Test, TaskState::Failed) => {
                        match self.failed_tests.get(&check.task) {
                            Some(report) => format!(
                                "{}: tests failed: `{}` ({})",
                                check.label, report.command, report.outcome
                            ),
                            None => format!(
                                "{}: tests not run: {}",
                                check.label,
                                task.failure.as_deref().unwrap_or("no reason given")
                            ),
                        }
                    }
                    (CheckKind::Review, TaskState::Done) => match review_of(summary) {
                        Some(review) if review.approved => format!("{}: approved", check.label),
                        Some(review) => {
                            let mut line = format!(
                                "{}: not approved, {} finding(s)",
                                check.label,
                                review.findings.len()
                            );
                            for finding in &review.findings {
                                let _ = write!(
                                    line,
                                    "\n    - {}: {}",
                                    finding.file, finding.description
                                );
                            }
                            line
                        }
                        None => format!("{}: no verdict", check.label),
                    },
                    (CheckKind::Fix, TaskState::Done) => {
                        format!("{}: done: {}", check.label, first_line(summary))
                    }
                    (_, TaskState::Failed) => format!(
                        "{}: failed: {}",
                        check.label,
                        task.failure.as_deref().unwrap_or("no reason given")
                    ),
                    (_, state) => format!("{}: still {state:?}", check.label),
                })
            })
            .collect()
    }
}

/// A tester's answer read as a [`TestReport`].
pub(crate) fn test_report_of(answer: &str) -> Option<TestReport> {
    serde_json::from_str(answer.trim()).ok()
}

/// A reviewer's answer read as a [`Review`].
pub(crate) fn review_of(answer: &str) -> Option<Review> {
    serde_json::from_str(answer.trim()).ok()
}

/// Why a failing test run fails its task: the command, how it ended and the
/// last lines of its output.
pub(crate) fn test_failure_reason(report: &TestReport) -> String {
    format!(
        "`{}` failed ({}):\n{}",
        report.command,
        report.outcome,
        tail(&report.output, 20)
    )
}

fn test_step() -> CheckStep {
    CheckStep {
        kind: CheckKind::Test,
        description: "Run the project's tests against the staged changes.".to_string(),
        files: Vec::new(),
    }
}

/// The reviewer's task: the plan it was meant to carry out (it reads the
/// diff itself).
fn review_step(plan: &Plan) -> CheckStep {
    let mut description = format!(
        "Review the staged change made for this plan.\n\nThe plan: {}\n\nIts tasks:",
        plan.summary
    );
    for task in &plan.tasks {
        let _ = write!(description, "\n- {}: {}", task.id, task.description);
    }
    CheckStep {
        kind: CheckKind::Review,
        description,
        files: Vec::new(),
    }
}

fn test_fix_description(plan: &Plan, report: &TestReport) -> String {
    format!(
        "Fix the failing tests.\n\nThe plan that was carried out: {}\n\nThe test command `{}` \
         ran against the staged changes and failed ({}). The last lines of its output:\n\n```\n{}\n```\n\n\
         Find the cause and fix it with the tools, then answer with a short summary of what you changed.",
        plan.summary,
        report.command,
        report.outcome,
        tail(&report.output, FAILURE_TAIL_LINES)
    )
}

fn review_fix_description(plan: &Plan, review: &Review) -> String {
    let mut text = format!(
        "Fix what the review found.\n\nThe plan that was carried out: {}\n\nThe reviewer's findings:",
        plan.summary
    );
    for finding in &review.findings {
        let _ = write!(text, "\n- {}: {}", finding.file, finding.description);
    }
    text.push_str(
        "\n\nFix each with the tools, then answer with a short summary of what you changed.",
    );
    text
}

/// The last `lines` lines of `text`.
pub(crate) fn tail(text: &str, lines: usize) -> &str {
    let trimmed = text.trim_end();
    match trimmed.rmatch_indices('\n').nth(lines.saturating_sub(1)) {
        Some((at, _)) if lines > 0 => trimmed.get(at + 1..).unwrap_or(trimmed),
        _ => trimmed,
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{PlannedTask, ReviewFinding, TaskSpec};

    fn plan() -> Plan {
        Plan {
            summary: "Do it.".into(),
            tasks: vec![PlannedTask {
                id: "t1".into(),
                description: "Write a.".into(),
                files: vec![],
                depends_on: vec![],
            }],
        }
    }

    const BOTH: CheckRoles = CheckRoles {
        tester: true,
        reviewer: true,
    };

    /// Queues `steps` as a chain and records them; returns their ids.
    fn queue_steps(
        q: &mut TaskQueue,
        rounds: &mut CheckRounds,
        steps: &[CheckStep],
    ) -> Vec<TaskId> {
        let mut before = None;
        let mut ids = Vec::new();
        for step in steps {
            let mut spec = TaskSpec::new("x", step.description.clone());
            spec.depends_on.extend(before);
            let id = q.enqueue(spec).unwrap();
            rounds.record(step, id);
            before = Some(id);
            ids.push(id);
        }
        ids
    }

    fn run(q: &mut TaskQueue, id: TaskId, summary: &str) {
        assert_eq!(q.start_next(), Some(id));
        q.finish(id, summary.into());
    }

    fn failing() -> TestReport {
        TestReport {
            command: "make test".into(),
            passed: false,
            outcome: "exit status 2".into(),
            output: "ok 1\nFAIL: c.txt is not fixed".into(),
        }
    }

    fn kinds(steps: &[CheckStep]) -> Vec<CheckKind> {
        steps.iter().map(|s| s.kind).collect()
    }

    #[test]
    fn failing_tests_get_a_fix_and_a_new_run_then_a_review() {
        let settings = CheckSettings::default();
        let mut q = TaskQueue::new();
        let t1 = q.enqueue(TaskSpec::new("coder", "t1")).unwrap();
        let mut rounds = CheckRounds::default();
        run(&mut q, t1, "done");
        let steps = rounds.next(t1, &[t1], &plan(), &q, &settings, BOTH);
        assert_eq!(kinds(&steps), [CheckKind::Test]);
        let test = queue_steps(&mut q, &mut rounds, &steps)[0];

        assert_eq!(q.start_next(), Some(test));
        q.fail(test, "failed".into());
        rounds.note_failed_test(test, failing());
        let steps = rounds.next(test, &[t1], &plan(), &q, &settings, BOTH);
        assert_eq!(kinds(&steps), [CheckKind::Fix, CheckKind::Test]);
        assert!(steps[0].description.contains("FAIL: c.txt is not fixed"));
        assert!(steps[0].description.contains("`make test`"));
        let ids = queue_steps(&mut q, &mut rounds, &steps);

        run(&mut q, ids[0], "fixed");
        assert!(
            rounds
                .next(ids[0], &[t1], &plan(), &q, &settings, BOTH)
                .is_empty()
        );
        run(&mut q, ids[1], "{}");
        let steps = rounds.next(ids[1], &[t1], &plan(), &q, &settings, BOTH);
        assert_eq!(kinds(&steps), [CheckKind::Review]);
        assert!(steps[0].description.contains("t1: Write a."));
        let review = queue_steps(&mut q, &mut rounds, &steps)[0];
        run(&mut q, review, r#"{"approved":true,"findings":[]}"#);
        assert!(
            rounds
                .next(review, &[t1], &plan(), &q, &settings, BOTH)
                .is_empty()
        );
        assert!(rounds.passed(&q));
        let labels: Vec<_> = rounds.tasks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["test-1", "fix-1", "test-2", "review-1"]);
    }

    #[test]
    fn tests_failing_after_the_last_round_end_the_checks_failed() {
        let settings = CheckSettings {
            test_rounds: 0,
            ..CheckSettings::default()
        };
        let mut q = TaskQueue::new();
        let t1 = q.enqueue(TaskSpec::new("coder", "t1")).unwrap();
        let mut rounds = CheckRounds::default();
        run(&mut q, t1, "done");
        let steps = rounds.next(t1, &[t1], &plan(), &q, &settings, BOTH);
        let test = queue_steps(&mut q, &mut rounds, &steps)[0];
        q.start_next();
        q.fail(test, "failed".into());
        rounds.note_failed_test(test, failing());
        assert!(
            rounds
                .next(test, &[t1], &plan(), &q, &settings, BOTH)
                .is_empty()
        );
        assert!(!rounds.passed(&q));
        assert!(rounds.report_lines(&q)[0].contains("tests failed: `make test` (exit status 2)"));
    }

    #[test]
    fn review_findings_become_a_fix_then_tests_then_one_more_review_at_most() {
        let settings = CheckSettings::default();
        let roles = CheckRoles {
            tester: false,
            reviewer: true,
        };
        let mut q = TaskQueue::new();
        let t1 = q.enqueue(TaskSpec::new("coder", "t1")).unwrap();
        let mut rounds = CheckRounds::default();
        run(&mut q, t1, "done");
        let steps = rounds.next(t1, &[t1], &plan(), &q, &settings, roles);
        assert_eq!(kinds(&steps), [CheckKind::Review]);
        let review = queue_steps(&mut q, &mut rounds, &steps)[0];
        let rejected = serde_json::to_string(&Review {
            approved: false,
            findings: vec![ReviewFinding {
                file: "a.txt".into(),
                description: "says alpa, not alpha".into(),
            }],
        })
        .unwrap();
        run(&mut q, review, &rejected);
        let steps = rounds.next(review, &[t1], &plan(), &q, &settings, roles);
        assert_eq!(kinds(&steps), [CheckKind::Fix, CheckKind::Review]);
        assert_eq!(steps[0].files, ["a.txt"]);
        assert!(steps[0].description.contains("a.txt: says alpa, not alpha"));
        let ids = queue_steps(&mut q, &mut rounds, &steps);
        run(&mut q, ids[0], "fixed");
        run(&mut q, ids[1], &rejected);
        assert!(
            rounds
                .next(ids[1], &[t1], &plan(), &q, &settings, roles)
                .is_empty()
        );
        assert!(!rounds.passed(&q));
    }

    #[test]
    fn no_checks_start_while_a_planned_task_is_not_done() {
        let mut q = TaskQueue::new();
        let t1 = q.enqueue(TaskSpec::new("coder", "t1")).unwrap();
        let t2 = q.enqueue(TaskSpec::new("coder", "t2")).unwrap();
        let mut rounds = CheckRounds::default();
        run(&mut q, t1, "done");
        let settings = CheckSettings::default();
        assert!(
            rounds
                .next(t1, &[t1, t2], &plan(), &q, &settings, BOTH)
                .is_empty()
        );
        assert!(q.start_next() == Some(t2));
        q.fail(t2, "boom".into());
        assert!(
            rounds
                .next(t2, &[t1, t2], &plan(), &q, &settings, BOTH)
                .is_empty()
        );
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc\n", 2), "b\nc");
        assert_eq!(tail("a\nb", 5), "a\nb");
    }
}
