//! Plan approval end to end, in process: the real Planner and Coder over
//! the mock LLM server, with a Supervisor that asks before running a plan.
//! A rejected plan edits nothing and asks no coder; an approved one runs
//! and stages every planned edit.

// Test code: helpers outside #[test] fns fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use code_mesh_runtime::protocol::{Event, Op, TaskId, TurnStatus};
use code_mesh_runtime::supervisor::Submit;
use code_mesh_test_support::{MockLlmServer, MockResponse, MockToolCall, TempProject};
use common::{
    first_user_message, mock_provider, planned_turn, planner_answer, planning_supervisor,
    staged_diff, until,
};
use serde_json::json;
use std::rc::Rc;

/// A coder's two answers to planned task `id`: write `file`, then say so.
fn coder_answers(id: &str, file: &str, content: &str) -> [MockResponse; 2] {
    let asked = format!("Your task ({id})");
    [
        MockResponse::tool_calls(vec![MockToolCall::new(
            format!("call_{id}"),
            "write",
            json!({ "filePath": file, "content": content }),
        )])
        .when_asked(asked.clone()),
        MockResponse::text(format!("Wrote {file}.")).when_asked(asked),
    ]
}

fn script() -> Vec<MockResponse> {
    std::iter::once(planner_answer())
        .chain(coder_answers("t1", "a.txt", "alpha\n"))
        .chain(coder_answers("t2", "b.txt", "bravo\n"))
        .chain(coder_answers("t3", "c.txt", "charlie\n"))
        .collect()
}

/// The planner's task, from the events up to the plan's proposal.
fn proposal(seen: &[Event]) -> TaskId {
    match seen.last() {
        Some(Event::PlanProposed { task, .. }) => *task,
        other => panic!("expected PlanProposed, got {other:?}"),
    }
}

fn coder_requests(server: &MockLlmServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| first_user_message(r).is_some_and(|m| m.contains("Your task (")))
        .count()
}

#[actix::test]
async fn a_rejected_plan_edits_nothing() {
    let project = TempProject::new();
    let server = MockLlmServer::start(script());
    let (supervisor, mut events) = planning_supervisor(Rc::new(mock_provider(&server)), &project)
        .approve_plans(true)
        .start();

    supervisor.send(planned_turn()).await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::PlanProposed { .. })).await;
    let planner = proposal(&seen);
    supervisor
        .send(Submit(Op::RejectPlan {
            task: planner,
            reason: None,
        }))
        .await
        .unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::TurnComplete { .. })).await;

    let Some(Event::TurnComplete { status, error, .. }) = seen.last() else {
        unreachable!()
    };
    assert_eq!(*status, TurnStatus::Cancelled);
    assert_eq!(error.as_deref(), Some("the plan was rejected"));
    assert_eq!(coder_requests(&server), 0);
    assert_eq!(staged_diff(&supervisor, &mut events).await, "");
    for file in ["a.txt", "b.txt", "c.txt"] {
        assert!(!project.exists(file), "{file} was written");
    }
}

#[actix::test]
async fn an_approved_plan_runs_and_stages_every_edit() {
    let project = TempProject::new();
    let server = MockLlmServer::start(script());
    let (supervisor, mut events) = planning_supervisor(Rc::new(mock_provider(&server)), &project)
        .approve_plans(true)
        .start();

    supervisor.send(planned_turn()).await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::PlanProposed { .. })).await;
    let planner = proposal(&seen);
    assert_eq!(
        coder_requests(&server),
        0,
        "a coder started before approval"
    );
    supervisor
        .send(Submit(Op::ApprovePlan {
            task: planner,
            plan: None,
        }))
        .await
        .unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::TurnComplete { .. })).await;

    let Some(Event::TurnComplete { status, .. }) = seen.last() else {
        unreachable!()
    };
    assert_eq!(*status, TurnStatus::Completed, "{seen:#?}");
    let diff = staged_diff(&supervisor, &mut events).await;
    for (file, content) in [("a.txt", "alpha"), ("b.txt", "bravo"), ("c.txt", "charlie")] {
        assert!(diff.contains(&format!("+++ b/{file}\n")), "{diff}");
        assert!(diff.contains(&format!("+{content}")), "{diff}");
    }
}
