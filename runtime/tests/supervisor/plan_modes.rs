//! Plan modes: which role a user turn goes to (`plan: Some(true)`,
//! `Some(false)`, or decided by the request's size), and plan approval
//! (a proposed plan waits for `ApprovePlan` or `RejectPlan`).

use crate::support::{Events, Log, role, start};
use actix::Addr;
use code_mesh_runtime::protocol::{Event, Op, TaskId, TurnStatus};
use code_mesh_runtime::role::Role;
use code_mesh_runtime::supervisor::{Submit, Supervisor, SupervisorBuilder};
use serde_json::json;
use std::rc::Rc;

/// A role that logs `<name>: <description>` and answers `answer`.
fn logging(log: &Log, name: &'static str, answer: String) -> Rc<dyn Role> {
    let log = log.clone();
    role(move |task, _| {
        log.push(format!("{name}: {}", task.spec.description));
        let answer = answer.clone();
        async move { Ok(answer) }
    })
}

fn two_task_plan() -> serde_json::Value {
    json!({
        "summary": "greet twice",
        "tasks": [
            { "id": "t1", "description": "write a", "files": ["a.txt"] },
            { "id": "t2", "description": "write b", "files": ["b.txt"], "depends_on": ["t1"] }
        ]
    })
}

/// A Supervisor with a logging planner (answering [`two_task_plan`]) and
/// coder, approving plans when `approve`.
async fn supervisor(log: &Log, approve: bool) -> (Addr<Supervisor>, Events) {
    start(
        SupervisorBuilder::new()
            .role(
                "planner",
                logging(log, "planner", two_task_plan().to_string()),
            )
            .role("coder", logging(log, "coder", "done".into()))
            .approve_plans(approve),
    )
    .await
}

fn turn(prompt: &str, plan: Option<bool>) -> Submit {
    Submit(Op::UserTurn {
        prompt: prompt.into(),
        agent: None,
        plan,
    })
}

/// The roles that ran, in order.
fn roles(log: &Log) -> Vec<String> {
    log.entries()
        .iter()
        .map(|e| e.split(':').next().unwrap_or_default().to_string())
        .collect()
}

fn status_of(seen: &[Event]) -> TurnStatus {
    match seen.last() {
        Some(Event::TurnComplete { status, .. }) => *status,
        other => panic!("expected TurnComplete, got {other:?}"),
    }
}

#[actix::test]
async fn plan_true_sends_even_a_short_request_to_the_planner() {
    let log = Log::default();
    let (supervisor, mut events) = supervisor(&log, false).await;
    supervisor.send(turn("hi", Some(true))).await.unwrap();
    let seen = events.until_turn_complete().await;
    assert_eq!(status_of(&seen), TurnStatus::Completed);
    assert_eq!(roles(&log), ["planner", "coder", "coder"]);
}

#[actix::test]
async fn plan_false_sends_even_a_long_request_to_the_default_role_alone() {
    let log = Log::default();
    let (supervisor, mut events) = supervisor(&log, false).await;
    let long = "Update src/a.rs, src/b.rs and src/c.rs. ".repeat(10);
    supervisor.send(turn(&long, Some(false))).await.unwrap();
    let seen = events.until_turn_complete().await;
    assert_eq!(status_of(&seen), TurnStatus::Completed);
    assert_eq!(roles(&log), ["coder"]);
}

#[actix::test]
async fn unchosen_mode_plans_a_big_request_and_not_a_small_one() {
    let log = Log::default();
    let (supervisor, mut events) = supervisor(&log, false).await;
    supervisor.send(turn("fix the typo", None)).await.unwrap();
    events.until_turn_complete().await;
    assert_eq!(roles(&log), ["coder"]);

    supervisor
        .send(turn("Greet in a.txt, b.txt and c.txt.", None))
        .await
        .unwrap();
    events.until_turn_complete().await;
    assert_eq!(roles(&log), ["coder", "planner", "coder", "coder"]);
}

#[actix::test]
async fn unchosen_mode_never_plans_without_a_planner() {
    let log = Log::default();
    let (supervisor, mut events) =
        start(SupervisorBuilder::new().role("coder", logging(&log, "coder", "done".into()))).await;
    supervisor
        .send(turn("Greet in a.txt, b.txt and c.txt.", None))
        .await
        .unwrap();
    let seen = events.until_turn_complete().await;
    assert_eq!(status_of(&seen), TurnStatus::Completed);
    assert_eq!(roles(&log), ["coder"]);
}

/// Runs a planned turn up to its proposal; returns the planner's task.
async fn proposed(supervisor: &Addr<Supervisor>, events: &mut Events) -> TaskId {
    supervisor.send(turn("greet", Some(true))).await.unwrap();
    let seen = events
        .until(|e| matches!(e, Event::PlanProposed { .. }))
        .await;
    match seen.last() {
        Some(Event::PlanProposed { task, .. }) => *task,
        other => panic!("expected PlanProposed, got {other:?}"),
    }
}

#[actix::test]
async fn an_approved_plan_runs_and_nothing_runs_before_the_approval() {
    let log = Log::default();
    let (supervisor, mut events) = supervisor(&log, true).await;
    let planner = proposed(&supervisor, &mut events).await;
    // A status round trip: the Supervisor has settled and queued nothing.
    supervisor.send(Submit(Op::Status)).await.unwrap();
    let seen = events.until(|e| matches!(e, Event::Status { .. })).await;
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e, Event::TaskQueued { .. } | Event::TurnComplete { .. })),
        "{seen:#?}"
    );
    assert_eq!(roles(&log), ["planner"]);

    supervisor
        .send(Submit(Op::ApprovePlan {
            task: planner,
            plan: None,
        }))
        .await
        .unwrap();
    let seen = events.until_turn_complete().await;
    assert_eq!(status_of(&seen), TurnStatus::Completed, "{seen:#?}");
    assert_eq!(roles(&log), ["planner", "coder", "coder"]);
}

#[actix::test]
async fn a_rejected_plan_ends_the_turn_as_cancelled_with_nothing_run() {
    let log = Log::default();
    let (supervisor, mut events) = supervisor(&log, true).await;
    let planner = proposed(&supervisor, &mut events).await;
    supervisor
        .send(Submit(Op::RejectPlan {
            task: planner,
            reason: Some("too big".into()),
        }))
        .await
        .unwrap();
    let seen = events.until_turn_complete().await;
    match seen.last() {
        Some(Event::TurnComplete { status, error, .. }) => {
            assert_eq!(*status, TurnStatus::Cancelled);
            assert_eq!(error.as_deref(), Some("the plan was rejected: too big"));
        }
        other => panic!("expected TurnComplete, got {other:?}"),
    }
    assert!(
        !seen.iter().any(|e| matches!(e, Event::TaskQueued { .. })),
        "{seen:#?}"
    );
    assert_eq!(roles(&log), ["planner"]);
}

#[actix::test]
async fn an_edited_plan_is_checked_and_runs_in_place_of_the_proposed_one() {
    let log = Log::default();
    let (supervisor, mut events) = supervisor(&log, true).await;
    let planner = proposed(&supervisor, &mut events).await;
    let cyclic = json!({
        "summary": "loop",
        "tasks": [{ "id": "t1", "description": "x", "depends_on": ["t1"] }]
    });
    supervisor
        .send(Submit(Op::ApprovePlan {
            task: planner,
            plan: Some(serde_json::from_value(cyclic).unwrap()),
        }))
        .await
        .unwrap();
    let seen = events.until(|e| matches!(e, Event::Error { .. })).await;
    let Some(Event::Error { message }) = seen.last() else {
        unreachable!()
    };
    assert!(
        message.starts_with("the edited plan cannot run"),
        "{message}"
    );

    let edited = json!({
        "summary": "greet once",
        "tasks": [{ "id": "only", "description": "write only a", "files": ["a.txt"] }]
    });
    supervisor
        .send(Submit(Op::ApprovePlan {
            task: planner,
            plan: Some(serde_json::from_value(edited).unwrap()),
        }))
        .await
        .unwrap();
    let seen = events.until_turn_complete().await;
    assert_eq!(status_of(&seen), TurnStatus::Completed, "{seen:#?}");
    assert_eq!(roles(&log), ["planner", "coder"]);
    assert!(log.entries()[1].contains("Your task (only): write only a"));
}

#[actix::test]
async fn approving_a_plan_nobody_proposed_is_an_error() {
    let log = Log::default();
    let (supervisor, mut events) = supervisor(&log, true).await;
    supervisor
        .send(Submit(Op::ApprovePlan {
            task: TaskId(42),
            plan: None,
        }))
        .await
        .unwrap();
    let seen = events.until(|e| matches!(e, Event::Error { .. })).await;
    assert!(
        matches!(seen.last(), Some(Event::Error { message }) if message.contains("no plan of task")),
        "{seen:#?}"
    );
}
