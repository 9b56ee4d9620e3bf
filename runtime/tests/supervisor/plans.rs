//! Plan runs: a planner's plan queued as a DAG of coder tasks, file leases,
//! the turn's account of what was and was not done, per-role models.

use crate::support::{Log, Rendezvous, role, start};
use actix::Addr;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::protocol::{Event, Op, TaskState, TurnStatus};
use code_mesh_runtime::role::{Role, RoleError};
use code_mesh_runtime::supervisor::{GetStatus, Submit, Supervisor, SupervisorBuilder};
use serde_json::json;
use std::rc::Rc;

/// A planner that answers with `plan` at once.
fn planner(plan: serde_json::Value) -> Rc<dyn Role> {
    role(move |_, _| {
        let plan = plan.to_string();
        async move { Ok(plan) }
    })
}

/// The planned task's id, read from what its agent is told.
fn planned_id(description: &str) -> String {
    description
        .split("Your task (")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or("?")
        .to_string()
}

/// A coder that logs `start <id>` and `end <id>`; the tasks named in `meet`
/// wait for each other in between (proving they run at the same time);
/// the task named `fail` fails.
fn coder(log: &Log, meet: &[&str], fail: &str) -> Rc<dyn Role> {
    let (log, meeting) = (log.clone(), Rendezvous::new(meet.len()));
    let meet: Vec<String> = meet.iter().map(|s| s.to_string()).collect();
    let fail = fail.to_string();
    role(move |task, _| {
        let (log, meeting, meet, fail) = (log.clone(), meeting.clone(), meet.clone(), fail.clone());
        async move {
            let id = planned_id(&task.spec.description);
            log.push(format!("start {id}"));
            if meet.contains(&id) {
                meeting.arrive().await;
            }
            actix_rt::task::yield_now().await;
            log.push(format!("end {id}"));
            if id == fail {
                return Err(RoleError::Stopped(format!("{id} hit a wall")));
            }
            Ok(format!("did {id}"))
        }
    })
}

fn three_task_plan() -> serde_json::Value {
    json!({
        "summary": "greet in three files",
        "tasks": [
            { "id": "t1", "description": "write a", "files": ["a.txt"] },
            { "id": "t2", "description": "write b", "files": ["b.txt"] },
            { "id": "t3", "description": "write c", "files": ["c.txt"], "depends_on": ["t1", "t2"] }
        ]
    })
}

fn plan_turn(prompt: &str) -> Submit {
    Submit(Op::UserTurn {
        prompt: prompt.into(),
        agent: Some("planner".into()),
        plan: None,
    })
}

/// Starts a Supervisor with `planner` and `coder`, runs a planned turn of
/// `prompt` and returns the Supervisor and the turn's events.
async fn run_planned_turn(
    planner: Rc<dyn Role>,
    coder: Rc<dyn Role>,
    prompt: &str,
) -> (Addr<Supervisor>, Vec<Event>) {
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .role("planner", planner)
            .role("coder", coder),
    )
    .await;
    supervisor.send(plan_turn(prompt)).await.unwrap();
    let seen = events.until_turn_complete().await;
    (supervisor, seen)
}

/// The error of the failed turn that `seen` ends with.
fn failed_turn_error(seen: &[Event]) -> String {
    let Some(Event::TurnComplete { status, error, .. }) = seen.last() else {
        panic!("no TurnComplete: {seen:#?}");
    };
    assert_eq!(*status, TurnStatus::Failed);
    error.clone().unwrap_or_default()
}

#[actix::test]
async fn planned_tasks_run_as_a_dag_within_the_planners_turn() {
    let log = Log::default();
    let (supervisor, seen) = run_planned_turn(
        planner(three_task_plan()),
        coder(&log, &["t1", "t2"], ""),
        "greet",
    )
    .await;

    assert!(
        seen.iter()
            .any(|e| matches!(e, Event::PlanProposed { plan, .. } if plan.tasks.len() == 3)),
        "{seen:#?}"
    );
    // t1 and t2 met while both running; t3 started after both ended.
    assert!(log.position("start t3") > log.position("end t1"));
    assert!(log.position("start t3") > log.position("end t2"));
    let Some(Event::TurnComplete { status, answer, .. }) = seen.last() else {
        panic!("no TurnComplete: {seen:#?}");
    };
    assert_eq!(*status, TurnStatus::Completed);
    let answer = answer.clone().unwrap_or_default();
    assert!(answer.starts_with("3 of 3 planned tasks done."), "{answer}");
    assert!(answer.contains("done: t3 (write c): did t3"), "{answer}");

    let report = supervisor.send(GetStatus).await.unwrap();
    let plan = &report.plans[0];
    assert_eq!(plan.summary, "greet in three files");
    let ids: Vec<_> = plan.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["t1", "t2", "t3"]);
    assert!(plan.tasks.iter().all(|t| t.state == TaskState::Done));
}

#[actix::test]
async fn a_planned_task_naming_a_leased_file_waits_for_the_holder() {
    let log = Log::default();
    let plan = json!({
        "summary": "two edits of one file, one elsewhere",
        "tasks": [
            { "id": "t1", "description": "first edit", "files": ["src/lib.rs"] },
            { "id": "t2", "description": "second edit", "files": ["./src/lib.rs"] },
            { "id": "t3", "description": "elsewhere", "files": ["src/main.rs"] }
        ]
    });
    let (_supervisor, seen) =
        run_planned_turn(planner(plan), coder(&log, &["t1", "t3"], ""), "edit").await;

    assert!(matches!(
        seen.last(),
        Some(Event::TurnComplete {
            status: TurnStatus::Completed,
            ..
        })
    ));
    // t3 ran beside t1 (they met); t2 waited for t1's lease on src/lib.rs.
    assert!(log.position("start t2") > log.position("end t1"));
    assert!(log.position("start t3") < log.position("end t1"));
}

#[actix::test]
async fn a_failed_planned_task_ends_the_turn_saying_what_was_and_was_not_done() {
    let log = Log::default();
    let (_supervisor, seen) =
        run_planned_turn(planner(three_task_plan()), coder(&log, &[], "t2"), "greet").await;

    let error = failed_turn_error(&seen);
    assert!(error.starts_with("1 of 3 planned tasks done."), "{error}");
    assert!(error.contains("done: t1 (write a): did t1"), "{error}");
    assert!(
        error.contains("failed: t2 (write b) after 1 attempt(s): t2 hit a wall"),
        "{error}"
    );
    assert!(
        error.contains("not done: t3 (write c): never started"),
        "{error}"
    );
    assert!(!log.entries().contains(&"start t3".to_string()));
}

#[actix::test]
async fn an_answer_that_is_not_a_plan_fails_the_planners_task() {
    let chatty = role(|_, _| async { Ok("First I would edit a.txt, then b.txt.".to_string()) });
    let (_supervisor, seen) =
        run_planned_turn(chatty, coder(&Log::default(), &[], ""), "greet").await;

    let error = failed_turn_error(&seen);
    assert!(
        error.starts_with("the planner's answer is not a plan that can run:"),
        "{error}"
    );
    assert!(!seen.iter().any(|e| matches!(e, Event::PlanProposed { .. })));
}

#[actix::test]
async fn a_role_with_its_own_model_gets_it_and_others_keep_the_sessions() {
    let which = role(|_, ctx| async move { Ok(ctx.model().to_string()) });
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .role("reviewer", which.clone())
            .role("coder", which)
            .role_model(
                "reviewer",
                ModelRef {
                    provider: "anthropic".into(),
                    model: "claude-sonnet-4-5".into(),
                },
            ),
    )
    .await;
    for agent in ["reviewer", "coder"] {
        supervisor
            .send(Submit(Op::UserTurn {
                prompt: "which model?".into(),
                agent: Some(agent.into()),
                plan: None,
            }))
            .await
            .unwrap();
    }
    let first = events.until_turn_complete().await;
    let second = events.until_turn_complete().await;
    let answer = |seen: &[Event]| match seen.last() {
        Some(Event::TurnComplete { answer, .. }) => answer.clone(),
        _ => None,
    };
    assert_eq!(
        answer(&first).as_deref(),
        Some("anthropic/claude-sonnet-4-5")
    );
    assert_eq!(answer(&second).as_deref(), Some("openai/gpt-4o"));
}
