//! User turns: from `UserTurn` to `TurnComplete`, and cancelling them.

use crate::support::{echo, role, start};
use actix::Addr;
use code_mesh_runtime::model::Usage;
use code_mesh_runtime::protocol::{AgentId, Event, Op, TaskId, TaskSpec, TaskState, TurnStatus};
use code_mesh_runtime::role::RoleError;
use code_mesh_runtime::supervisor::{Enqueue, GetStatus, Submit, Supervisor, SupervisorBuilder};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

fn user_turn(prompt: &str) -> Submit {
    Submit(Op::UserTurn {
        prompt: prompt.into(),
        agent: None,
        plan: None,
    })
}

#[actix::test]
async fn user_turn_completes_with_the_answer_of_its_task() {
    let (supervisor, mut events) = start(SupervisorBuilder::new().role("coder", echo())).await;
    supervisor.send(user_turn("add a README")).await.unwrap();
    let seen = events.until_turn_complete().await;

    assert_eq!(
        seen,
        [
            Event::TaskQueued {
                task: TaskId(1),
                role: "coder".into(),
                description: "add a README".into(),
                depends_on: vec![],
            },
            Event::AgentSpawned {
                agent: AgentId(1),
                role: "coder".into(),
                task: TaskId(1),
            },
            Event::TaskStarted {
                task: TaskId(1),
                agent: AgentId(1),
                attempt: 1,
            },
            Event::TaskFinished {
                task: TaskId(1),
                agent: AgentId(1),
                summary: "echo: add a README".into(),
            },
            Event::AgentRetired {
                agent: AgentId(1),
                role: "coder".into(),
            },
            Event::TurnComplete {
                status: TurnStatus::Completed,
                answer: Some("echo: add a README".into()),
                error: None,
                usage: Usage::default(),
                cost_usd: None,
            },
        ]
    );
}

#[actix::test]
async fn turn_waits_for_every_task_queued_during_it() {
    // A lead role queues a coder task and answers before the coder finishes.
    // (Not named `planner`: that role's answers are read as plans.)
    let supervisor_cell: Rc<RefCell<Option<Addr<Supervisor>>>> = Rc::default();
    let planner = {
        let cell = supervisor_cell.clone();
        role(move |task, _| {
            let supervisor = cell.borrow().clone();
            async move {
                let supervisor =
                    supervisor.ok_or_else(|| RoleError::Stopped("no supervisor".into()))?;
                let step = TaskSpec::new("coder", format!("implement: {}", task.spec.description));
                let queued = supervisor.send(Enqueue(step)).await;
                Ok(format!("planned {:?}", queued.ok().and_then(Result::ok)))
            }
        })
    };
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .role("lead", planner)
            .role("coder", echo()),
    )
    .await;
    supervisor_cell.replace(Some(supervisor.clone()));
    supervisor
        .send(Submit(Op::UserTurn {
            prompt: "a parser".into(),
            agent: Some("lead".into()),
            plan: None,
        }))
        .await
        .unwrap();
    let seen = events.until_turn_complete().await;

    let coder_finished = seen
        .iter()
        .position(|e| matches!(e, Event::TaskFinished { task, .. } if *task == TaskId(2)));
    assert!(
        coder_finished.is_some(),
        "the coder's task is part of the turn: {seen:#?}"
    );
    assert_eq!(
        seen.last(),
        Some(&Event::TurnComplete {
            status: TurnStatus::Completed,
            answer: Some("planned Some(TaskId(2))".into()),
            error: None,
            usage: Usage::default(),
            cost_usd: None,
        })
    );
}

#[actix::test]
async fn turn_whose_task_fails_completes_as_failed() {
    let stuck =
        role(|_, _| async { Err(RoleError::Stopped("the model kept calling `read`".into())) });
    let (supervisor, mut events) = start(SupervisorBuilder::new().role("coder", stuck)).await;
    supervisor.send(user_turn("refactor")).await.unwrap();
    let seen = events.until_turn_complete().await;

    assert_eq!(
        seen.last(),
        Some(&Event::TurnComplete {
            status: TurnStatus::Failed,
            answer: None,
            error: Some("the model kept calling `read`".into()),
            usage: Usage::default(),
            cost_usd: None,
        })
    );
}

#[actix::test]
async fn turn_for_an_unknown_role_fails_naming_the_registered_roles() {
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .role("coder", echo())
            .role("tester", echo()),
    )
    .await;
    supervisor
        .send(Submit(Op::UserTurn {
            prompt: "review it".into(),
            agent: Some("reviewer".into()),
            plan: None,
        }))
        .await
        .unwrap();

    assert_eq!(
        events.next().await,
        Event::TurnComplete {
            status: TurnStatus::Failed,
            answer: None,
            error: Some(
                "no role named `reviewer` is registered; registered roles: coder, tester".into()
            ),
            usage: Usage::default(),
            cost_usd: None,
        }
    );
}

/// Sets its flag when dropped: shows that a cancelled role's future was dropped.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[actix::test]
async fn cancel_drops_the_running_future_and_completes_the_turn_as_cancelled() {
    let dropped = Rc::new(Cell::new(false));
    let forever = {
        let dropped = dropped.clone();
        role(move |_, _| {
            let guard = DropFlag(dropped.clone());
            async move {
                let _guard = guard;
                futures::future::pending::<()>().await;
                Ok("unreachable".to_string())
            }
        })
    };
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .max_parallel_agents(1)
            .role("coder", forever),
    )
    .await;
    supervisor.send(user_turn("loop forever")).await.unwrap();
    // A second task of the turn waits for the only slot.
    supervisor
        .send(Enqueue(TaskSpec::new("coder", "never runs")))
        .await
        .unwrap()
        .unwrap();
    events
        .until(|e| matches!(e, Event::TaskQueued { task, .. } if *task == TaskId(2)))
        .await;
    assert!(!dropped.get());

    supervisor.send(Submit(Op::Cancel)).await.unwrap();
    let seen = events.until_turn_complete().await;

    assert!(
        dropped.get(),
        "the role's future must be dropped before the turn ends"
    );
    assert_eq!(
        seen,
        [
            Event::TaskFailed {
                task: TaskId(1),
                reason: "cancelled".into(),
                attempts: 1,
            },
            Event::AgentRetired {
                agent: AgentId(1),
                role: "coder".into(),
            },
            Event::TaskFailed {
                task: TaskId(2),
                reason: "cancelled".into(),
                attempts: 0,
            },
            Event::TurnComplete {
                status: TurnStatus::Cancelled,
                answer: None,
                error: None,
                usage: Usage::default(),
                cost_usd: None,
            },
        ]
    );
    let report = supervisor.send(GetStatus).await.unwrap();
    assert!(report.agents.is_empty());
    assert!(report.tasks.iter().all(|t| t.state == TaskState::Failed));
}

#[actix::test]
async fn supervisor_takes_new_turns_after_a_cancel() {
    let (supervisor, mut events) = start(SupervisorBuilder::new().role("coder", echo())).await;
    supervisor.send(Submit(Op::Cancel)).await.unwrap();
    supervisor.send(user_turn("again")).await.unwrap();
    let seen = events.until_turn_complete().await;

    assert_eq!(
        seen.last(),
        Some(&Event::TurnComplete {
            status: TurnStatus::Completed,
            answer: Some("echo: again".into()),
            error: None,
            usage: Usage::default(),
            cost_usd: None,
        })
    );
}
