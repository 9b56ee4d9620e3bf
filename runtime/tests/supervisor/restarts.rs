//! What happens when an agent fails: restarts, retry budgets, and failed
//! dependencies.

use crate::support::{role, start};
use code_mesh_runtime::protocol::TaskState;
use code_mesh_runtime::protocol::{AgentId, Event, TaskId, TaskSpec};
use code_mesh_runtime::provider::ProviderError;
use code_mesh_runtime::role::RoleError;
use code_mesh_runtime::supervisor::{Enqueue, GetStatus, SupervisorBuilder};

/// The events after `SessionStarted` for one task, up to its agent's retirement.
async fn run_one(builder: SupervisorBuilder) -> Vec<Event> {
    let (supervisor, mut events) = start(builder).await;
    supervisor
        .send(Enqueue(TaskSpec::new("coder", "fix it")))
        .await
        .unwrap()
        .unwrap();
    events
        .until(|e| matches!(e, Event::AgentRetired { .. }))
        .await
}

fn queued() -> Event {
    Event::TaskQueued {
        task: TaskId(1),
        role: "coder".into(),
        description: "fix it".into(),
        depends_on: vec![],
    }
}

fn spawned() -> Event {
    Event::AgentSpawned {
        agent: AgentId(1),
        role: "coder".into(),
        task: TaskId(1),
    }
}

fn started(attempt: u32) -> Event {
    Event::TaskStarted {
        task: TaskId(1),
        agent: AgentId(1),
        attempt,
    }
}

fn restarted(attempt: u32, reason: &str) -> Event {
    Event::AgentRestarted {
        agent: AgentId(1),
        task: TaskId(1),
        attempt,
        reason: reason.into(),
    }
}

fn retired() -> Event {
    Event::AgentRetired {
        agent: AgentId(1),
        role: "coder".into(),
    }
}

#[actix::test]
async fn failed_agent_is_restarted_and_task_retried() {
    let flaky = role(|task, _| async move {
        match task.attempt {
            1 => Err(RoleError::Failed("the model's answer broke off".into())),
            n => Ok(format!("done on attempt {n}")),
        }
    });
    let seen = run_one(SupervisorBuilder::new().role("coder", flaky)).await;

    assert_eq!(
        seen,
        [
            queued(),
            spawned(),
            started(1),
            restarted(2, "the model's answer broke off"),
            started(2),
            Event::TaskFinished {
                task: TaskId(1),
                agent: AgentId(1),
                summary: "done on attempt 2".into(),
            },
            retired(),
        ]
    );
}

#[actix::test]
async fn panicking_agent_is_restarted_and_task_retried() {
    let shaky = role(|task, _| async move {
        if task.attempt == 1 {
            panic!("index out of bounds");
        }
        Ok("recovered".to_string())
    });
    let seen = run_one(SupervisorBuilder::new().role("coder", shaky)).await;

    assert_eq!(seen[3], restarted(2, "agent panicked: index out of bounds"));
    assert_eq!(
        seen[5],
        Event::TaskFinished {
            task: TaskId(1),
            agent: AgentId(1),
            summary: "recovered".into(),
        }
    );
}

#[actix::test]
async fn task_that_always_fails_exhausts_the_retry_budget() {
    let broken = role(|_, _| async { Err(RoleError::Failed("tests still fail".into())) });
    let seen = run_one(
        SupervisorBuilder::new()
            .retry_budget(2)
            .role("coder", broken),
    )
    .await;

    assert_eq!(
        seen,
        [
            queued(),
            spawned(),
            started(1),
            restarted(2, "tests still fail"),
            started(2),
            restarted(3, "tests still fail"),
            started(3),
            Event::TaskFailed {
                task: TaskId(1),
                reason: "tests still fail".into(),
                attempts: 3,
            },
            retired(),
        ]
    );
}

#[actix::test]
async fn non_retryable_error_is_not_retried() {
    let stuck = role(|_, _| async { Err(RoleError::Stopped("step limit reached".into())) });
    let seen = run_one(SupervisorBuilder::new().role("coder", stuck)).await;

    assert_eq!(
        seen,
        [
            queued(),
            spawned(),
            started(1),
            Event::TaskFailed {
                task: TaskId(1),
                reason: "step limit reached".into(),
                attempts: 1,
            },
            retired(),
        ]
    );
}

/// A server error that outlasted the provider layer's own retries.
fn server_error() -> ProviderError {
    ProviderError::Http {
        provider: "mock".into(),
        status: 503,
        message: "overloaded (gave up after 3 attempts)".into(),
        retry_after_ms: None,
    }
}

#[actix::test]
async fn transient_provider_failure_restarts_the_agent_and_retries_the_task() {
    let flaky = role(|task, _| async move {
        match task.attempt {
            1 => Err(RoleError::Provider(server_error())),
            n => Ok(format!("done on attempt {n}")),
        }
    });
    let seen = run_one(SupervisorBuilder::new().role("coder", flaky)).await;

    assert_eq!(seen[3], restarted(2, &server_error().to_string()));
    assert_eq!(
        seen[5],
        Event::TaskFinished {
            task: TaskId(1),
            agent: AgentId(1),
            summary: "done on attempt 2".into(),
        }
    );
}

#[actix::test]
async fn permanent_provider_failure_fails_the_task_at_once() {
    let rejected = || ProviderError::Unauthorized {
        provider: "mock".into(),
        status: 401,
        message: "Incorrect API key provided".into(),
        env_var: "MOCK_API_KEY".into(),
    };
    let refused = role(move |_, _| async move { Err(RoleError::Provider(rejected())) });
    let seen = run_one(SupervisorBuilder::new().role("coder", refused)).await;

    assert_eq!(
        seen,
        [
            queued(),
            spawned(),
            started(1),
            Event::TaskFailed {
                task: TaskId(1),
                reason: rejected().to_string(),
                attempts: 1,
            },
            retired(),
        ]
    );
}

#[actix::test]
async fn failed_dependency_fails_its_dependents_with_a_reason() {
    let stuck = role(|_, _| async { Err(RoleError::Stopped("step limit reached".into())) });
    let (supervisor, mut events) = start(SupervisorBuilder::new().role("coder", stuck)).await;

    let enqueue = |spec| supervisor.send(Enqueue(spec));
    let a = enqueue(TaskSpec::new("coder", "A")).await.unwrap().unwrap();
    let b = enqueue(TaskSpec::new("coder", "B").after(a))
        .await
        .unwrap()
        .unwrap();
    let c = enqueue(TaskSpec::new("coder", "C").after(b))
        .await
        .unwrap()
        .unwrap();
    let seen = events
        .until(|e| matches!(e, Event::TaskFailed { task, .. } if *task == c))
        .await;

    let failures: Vec<_> = seen
        .iter()
        .filter_map(|e| match e {
            Event::TaskFailed {
                task,
                reason,
                attempts,
            } => Some((*task, reason.as_str(), *attempts)),
            _ => None,
        })
        .collect();
    assert_eq!(
        failures,
        [
            (a, "step limit reached", 1),
            (b, "dependency task 1 failed: step limit reached", 0),
            (
                c,
                "dependency task 2 failed: dependency task 1 failed: step limit reached",
                0
            ),
        ]
    );
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e, Event::TaskStarted { task, .. } if *task != a)),
        "dependents must never start: {seen:#?}"
    );

    // A task queued after its dependency failed fails at once.
    let d = enqueue(TaskSpec::new("coder", "D").after(a))
        .await
        .unwrap()
        .unwrap();
    let status = supervisor.send(GetStatus).await.unwrap();
    let state = status
        .tasks
        .iter()
        .find(|t| t.id == d)
        .map(|t| t.state.clone());
    assert_eq!(state, Some(TaskState::Failed));
}
