//! What `Status` and `GetStatus` report while work is in flight.

use crate::support::{Gate, Log, gated_logger, start};
use code_mesh_runtime::protocol::{
    AgentId, AgentState, AgentStatus, Event, Op, TaskId, TaskSpec, TaskState, TaskStatus,
};
use code_mesh_runtime::supervisor::{Enqueue, GetStatus, Submit, SupervisorBuilder};

fn task(id: u64, description: &str, state: TaskState, attempts: u32) -> TaskStatus {
    TaskStatus {
        id: TaskId(id),
        role: "coder".into(),
        description: description.into(),
        state,
        attempts,
    }
}

#[actix::test]
async fn status_lists_live_agents_and_queued_tasks_while_work_is_in_flight() {
    let (log, gate) = (Log::default(), Gate::new());
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .max_parallel_agents(1)
            .role("coder", gated_logger(&log, &gate)),
    )
    .await;
    let a = supervisor
        .send(Enqueue(TaskSpec::new("coder", "A")))
        .await
        .unwrap()
        .unwrap();
    supervisor
        .send(Enqueue(TaskSpec::new("coder", "B").after(a)))
        .await
        .unwrap()
        .unwrap();
    supervisor
        .send(Enqueue(TaskSpec::new("coder", "C")))
        .await
        .unwrap()
        .unwrap();

    let report = supervisor.send(GetStatus).await.unwrap();
    assert_eq!(
        report.agents,
        [AgentStatus {
            id: AgentId(1),
            role: "coder".into(),
            state: AgentState::Working,
            task: Some(a),
            model: "openai/gpt-4o".into(),
            usage: Default::default(),
        }]
    );
    assert_eq!(
        report.tasks,
        [
            task(1, "A", TaskState::Running, 1),
            task(2, "B", TaskState::Blocked, 0),
            task(3, "C", TaskState::Ready, 0),
        ]
    );

    // The op answers with the same snapshot as an event.
    supervisor.send(Submit(Op::Status)).await.unwrap();
    let seen = events.until(|e| matches!(e, Event::Status { .. })).await;
    assert_eq!(seen.last(), Some(&Event::Status { report }));

    gate.open();
    events
        .until_count(3, |e| matches!(e, Event::AgentRetired { .. }))
        .await;
    let report = supervisor.send(GetStatus).await.unwrap();
    assert!(
        report.agents.is_empty(),
        "retired agents are gone: {report:#?}"
    );
    assert!(report.tasks.iter().all(|t| t.state == TaskState::Done));
}
