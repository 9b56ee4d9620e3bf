//! The checks after a plan's tasks, end to end and in process: the real
//! Supervisor with the Planner, Coder, Tester and Reviewer roles, the
//! built-in tools, the OpenAI-compatible provider against the mock LLM
//! server, and a real test command run in a scratch copy of the project.
//! The command passes only once a fix's edit, staged and not on disk, is in
//! the copy: the tester sees the staged changes.

// Test code: helpers outside #[test] fns fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use code_mesh_agents::{Reviewer, Tester};
use code_mesh_runtime::EventStream;
use code_mesh_runtime::protocol::{Event, TaskState, TurnStatus};
use code_mesh_runtime::supervisor::Supervisor;
use code_mesh_test_support::{MockLlmServer, MockResponse, MockToolCall, TempProject};
use common::{
    THINKING, assert_t1_t2_overlap_and_t3_follows, first_user_message, mock_provider,
    planner_answer, planning_supervisor, run_planned_turn, staged_diff, task,
};
use serde_json::json;
use std::rc::Rc;
use std::time::Duration;

/// The project's test: c.txt must say it is fixed.
const TEST_COMMAND: &str = "grep fixed c.txt || { echo 'FAIL: c.txt is not fixed'; exit 1; }";

/// What a fix task for failing tests is told (and the mock routes by).
const FIX_TESTS: &str = "Fix the failing tests.";

/// What the reviewer is told (and the mock routes by).
const REVIEW: &str = "Review the staged change";

/// A coder's two answers to the request containing `asked`: write `file`
/// holding `content`, then say so.
fn coder_answers(asked: &str, file: &str, content: &str) -> [MockResponse; 2] {
    [
        MockResponse::tool_calls(vec![MockToolCall::new(
            format!("call_{file}"),
            "write",
            json!({ "filePath": file, "content": content }),
        )])
        .when_asked(asked),
        MockResponse::text(format!("Wrote {file}.")).when_asked(asked),
    ]
}

/// The three planned coders' answers; t1's and t2's first ones take
/// [`THINKING`], so that running them at once shows as overlapping requests.
fn planned_coders() -> impl Iterator<Item = MockResponse> {
    let [t1_write, t1_done] = coder_answers(&task("t1"), "a.txt", "alpha\n");
    let [t2_write, t2_done] = coder_answers(&task("t2"), "b.txt", "bravo\n");
    [
        t1_write.with_delay(THINKING),
        t1_done,
        t2_write.with_delay(THINKING),
        t2_done,
    ]
    .into_iter()
    .chain(coder_answers(&task("t3"), "c.txt", "charlie\n"))
}

fn reviewer_approves() -> MockResponse {
    MockResponse::tool_calls(vec![MockToolCall::new(
        "call_review",
        "review",
        json!({ "approved": true, "findings": [] }),
    )])
    .when_asked(REVIEW)
}

fn supervisor(
    server: &MockLlmServer,
    project: &TempProject,
    test_rounds: u32,
) -> (actix::Addr<Supervisor>, EventStream) {
    planning_supervisor(Rc::new(mock_provider(server)), project)
        .role(
            "tester",
            Rc::new(
                Tester::default()
                    .command(TEST_COMMAND)
                    .timeout(Duration::from_secs(20)),
            ),
        )
        .role("reviewer", Rc::new(Reviewer::default()))
        .test_rounds(test_rounds)
        .start()
}

/// The first user message of each request whose first user message contains `text`.
fn asked(server: &MockLlmServer, text: &str) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .filter_map(|r| first_user_message(&r))
        .filter(|user| user.contains(text))
        .collect()
}

#[actix::test]
async fn failing_tests_get_a_fix_that_the_next_run_sees_staged_then_the_reviewer_approves() {
    let project = TempProject::new();
    project.write("README.md", "# greetings\n");
    let server = MockLlmServer::start(
        std::iter::once(planner_answer())
            .chain(planned_coders())
            .chain(coder_answers(FIX_TESTS, "c.txt", "charlie fixed\n"))
            .chain(std::iter::once(reviewer_approves())),
    );
    let (supervisor, mut events) = supervisor(&server, &project, 2);

    let seen = run_planned_turn(&supervisor, &mut events).await;

    let Some(Event::TurnComplete { status, answer, .. }) = seen.last() else {
        unreachable!()
    };
    assert_eq!(*status, TurnStatus::Completed, "{seen:#?}");
    let answer = answer.clone().unwrap_or_default();
    assert!(answer.starts_with("3 of 3 planned tasks done."), "{answer}");
    for line in [
        "- test-1: tests failed: `grep fixed c.txt",
        "- fix-1: done: Wrote c.txt.",
        "- test-2: tests passed",
        "- review-1: approved",
    ] {
        assert!(answer.contains(line), "{line} not in {answer}");
    }

    // The plan's status lists the added tasks, the failed first run too.
    let last_plan = seen
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::PlanUpdated { plan } => Some(plan.clone()),
            _ => None,
        })
        .unwrap();
    let states: Vec<_> = last_plan
        .tasks
        .iter()
        .map(|t| (t.id.as_str(), t.state.clone()))
        .collect();
    assert_eq!(
        states,
        [
            ("t1", TaskState::Done),
            ("t2", TaskState::Done),
            ("t3", TaskState::Done),
            ("test-1", TaskState::Failed),
            ("fix-1", TaskState::Done),
            ("test-2", TaskState::Done),
            ("review-1", TaskState::Done),
        ]
    );

    // t1 and t2 ran at once; t3 only after both.
    assert_t1_t2_overlap_and_t3_follows(&server);

    // The fix task was told what failed.
    let fix = asked(&server, FIX_TESTS);
    assert_eq!(fix.len(), 2);
    assert!(fix[0].contains("FAIL: c.txt is not fixed"), "{}", fix[0]);
    // The reviewer saw the plan and the whole staged diff, with one tool.
    let review = server
        .requests()
        .into_iter()
        .find(|r| r.body.to_string().contains(REVIEW))
        .unwrap();
    let body = review.body.to_string();
    assert!(body.contains("t3: Create c.txt saying charlie."), "{body}");
    for line in ["+alpha", "+bravo", "+charlie fixed"] {
        assert!(body.contains(line), "{line} not shown to the reviewer");
    }
    assert_eq!(review.body["tools"].as_array().unwrap().len(), 1);
    assert_eq!(review.body["tools"][0]["function"]["name"], "review");

    // Every edit is staged, none is on disk.
    let diff = staged_diff(&supervisor, &mut events).await;
    for (file, line) in [
        ("a.txt", "+alpha"),
        ("b.txt", "+bravo"),
        ("c.txt", "+charlie fixed"),
    ] {
        assert!(
            diff.contains(&format!("+++ b/{file}\n")) && diff.contains(line),
            "{file}: {diff}"
        );
        assert!(!project.exists(file), "{file} reached the disk");
    }
    assert_eq!(server.remaining(), 0);
}

#[actix::test]
async fn tests_still_failing_after_the_last_fix_round_fail_the_turn_without_a_review() {
    let project = TempProject::new();
    let server = MockLlmServer::start(
        std::iter::once(planner_answer())
            .chain(planned_coders())
            .chain(coder_answers(FIX_TESTS, "c.txt", "charlie again\n")),
    );
    let (supervisor, mut events) = supervisor(&server, &project, 1);

    let seen = run_planned_turn(&supervisor, &mut events).await;

    let Some(Event::TurnComplete { status, error, .. }) = seen.last() else {
        unreachable!()
    };
    assert_eq!(*status, TurnStatus::Failed, "{seen:#?}");
    let error = error.clone().unwrap_or_default();
    assert!(error.starts_with("3 of 3 planned tasks done."), "{error}");
    assert!(error.contains("- test-2: tests failed"), "{error}");
    assert!(!error.contains("review"), "{error}");
    assert!(asked(&server, REVIEW).is_empty());
    assert_eq!(server.remaining(), 0);
}
