//! Which tasks run when: dependencies, concurrency and priorities.

use crate::support::{Gate, Log, Rendezvous, gated_logger, role, start, summary_of};
use code_mesh_runtime::protocol::{Event, TaskId, TaskSpec};
use code_mesh_runtime::supervisor::{Enqueue, GetStatus, SupervisorBuilder};
use std::cell::Cell;
use std::rc::Rc;

#[actix::test]
async fn chain_runs_in_dependency_order_and_passes_summaries_on() {
    let (log, gate) = (Log::default(), Gate::new());
    let (supervisor, mut events) =
        start(SupervisorBuilder::new().role("coder", gated_logger(&log, &gate))).await;

    let a = supervisor
        .send(Enqueue(TaskSpec::new("coder", "A")))
        .await
        .unwrap()
        .unwrap();
    let b = supervisor
        .send(Enqueue(TaskSpec::new("coder", "B").after(a)))
        .await
        .unwrap()
        .unwrap();
    let c = supervisor
        .send(Enqueue(TaskSpec::new("coder", "C").after(b)))
        .await
        .unwrap()
        .unwrap();
    gate.open();
    let seen = events.until_finished(3).await;

    assert_eq!(
        log.entries(),
        ["start A", "end A", "start B", "end B", "start C", "end C"]
    );
    assert_eq!(summary_of(&seen, c).unwrap(), "C<-[B<-[A<-[]]]");
    // Each task starts only after the task it waits for finished.
    let position = |wanted: &dyn Fn(&Event) -> bool| seen.iter().position(wanted).unwrap();
    for (before, after) in [(a, b), (b, c)] {
        let finished =
            position(&|e| matches!(e, Event::TaskFinished { task, .. } if *task == before));
        let started = position(&|e| matches!(e, Event::TaskStarted { task, .. } if *task == after));
        assert!(
            finished < started,
            "{before} must finish before {after} starts: {seen:#?}"
        );
    }
}

#[actix::test]
async fn diamond_runs_both_branches_after_the_root_and_joins_them() {
    let (log, gate) = (Log::default(), Gate::new());
    let (supervisor, mut events) =
        start(SupervisorBuilder::new().role("coder", gated_logger(&log, &gate))).await;

    let enqueue = |spec| supervisor.send(Enqueue(spec));
    let a = enqueue(TaskSpec::new("coder", "A")).await.unwrap().unwrap();
    let b = enqueue(TaskSpec::new("coder", "B").after(a))
        .await
        .unwrap()
        .unwrap();
    let c = enqueue(TaskSpec::new("coder", "C").after(a))
        .await
        .unwrap()
        .unwrap();
    let d = enqueue(TaskSpec::new("coder", "D").after(b).after(c))
        .await
        .unwrap()
        .unwrap();
    gate.open();
    let seen = events.until_finished(4).await;

    for branch in ["B", "C"] {
        assert!(log.position("end A") < log.position(&format!("start {branch}")));
        assert!(log.position(&format!("end {branch}")) < log.position("start D"));
    }
    // Both branches ran side by side: each started before either ended.
    assert!(log.position("start C") < log.position("end B"));
    assert!(log.position("start B") < log.position("end C"));
    assert_eq!(summary_of(&seen, d).unwrap(), "D<-[B<-[A<-[]],C<-[A<-[]]]");
}

#[actix::test]
async fn independent_tasks_run_concurrently() {
    // Each task waits until both have started: with one agent at a time this
    // would never finish.
    let meeting = Rendezvous::new(2);
    let both = role(move |task, _| {
        let meeting = meeting.clone();
        async move {
            meeting.arrive().await;
            Ok(task.spec.description)
        }
    });
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .max_parallel_agents(2)
            .role("coder", both),
    )
    .await;

    supervisor.do_send(Enqueue(TaskSpec::new("coder", "left")));
    supervisor.do_send(Enqueue(TaskSpec::new("coder", "right")));
    let seen = events.until_finished(2).await;

    assert_eq!(summary_of(&seen, TaskId(1)).unwrap(), "left");
    assert_eq!(summary_of(&seen, TaskId(2)).unwrap(), "right");
}

#[actix::test]
async fn one_agent_at_a_time_when_max_parallel_agents_is_one() {
    let (running, most) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let gate = Gate::new();
    let overlap = {
        let (running, most, gate) = (running.clone(), most.clone(), gate.clone());
        role(move |task, _| {
            let (running, most, gate) = (running.clone(), most.clone(), gate.clone());
            async move {
                running.set(running.get() + 1);
                most.set(most.get().max(running.get()));
                gate.wait().await;
                for _ in 0..3 {
                    actix_rt::task::yield_now().await;
                }
                running.set(running.get() - 1);
                Ok(task.spec.description)
            }
        })
    };
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .max_parallel_agents(1)
            .role("coder", overlap),
    )
    .await;

    for name in ["one", "two", "three"] {
        supervisor
            .send(Enqueue(TaskSpec::new("coder", name)))
            .await
            .unwrap()
            .unwrap();
    }
    let status = supervisor.send(GetStatus).await.unwrap();
    assert_eq!(
        status.agents.len(),
        1,
        "only one agent may be live: {status:#?}"
    );
    gate.open();
    let seen = events.until_finished(3).await;

    assert_eq!(most.get(), 1, "two agents overlapped");
    let starts_and_ends: Vec<_> = seen
        .iter()
        .filter_map(|e| match e {
            Event::TaskStarted { task, .. } => Some(format!("start {}", task.0)),
            Event::TaskFinished { task, .. } => Some(format!("end {}", task.0)),
            _ => None,
        })
        .collect();
    assert_eq!(
        starts_and_ends,
        ["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]
    );
}

#[actix::test]
async fn ready_tasks_start_by_priority_then_queue_order() {
    let (log, gate) = (Log::default(), Gate::new());
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .max_parallel_agents(1)
            .role("coder", gated_logger(&log, &gate)),
    )
    .await;

    // The first task holds the only slot while the others queue up.
    let specs = [
        TaskSpec::new("coder", "busy"),
        TaskSpec::new("coder", "low").with_priority(-1),
        TaskSpec::new("coder", "first"),
        TaskSpec::new("coder", "high").with_priority(5),
        TaskSpec::new("coder", "second"),
    ];
    for spec in specs {
        supervisor.send(Enqueue(spec)).await.unwrap().unwrap();
    }
    gate.open();
    events.until_finished(5).await;

    let starts: Vec<_> = log
        .entries()
        .into_iter()
        .filter_map(|e| e.strip_prefix("start ").map(str::to_string))
        .collect();
    assert_eq!(starts, ["busy", "high", "first", "second", "low"]);
}
