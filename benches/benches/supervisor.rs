//! The Supervisor's costs: a message round trip, task dispatch throughput,
//! and the life of one agent (spawn, run, retire).
//!
//! One actix System per bench; iterations run inside `System::block_on`
//! through `iter_custom`, so only the work itself is timed. Each sample gets
//! a fresh Supervisor, so the task queue does not grow across samples.
//!
//! `cargo bench -p code-mesh-benches --bench supervisor -- --quick`

// Benches are not library code: a broken setup should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actix::{Addr, System, SystemRunner};
use async_trait::async_trait;
use code_mesh_runtime::EventStream;
use code_mesh_runtime::protocol::{Event, TaskSpec};
use code_mesh_runtime::role::{AgentContext, Role, RoleError, Task};
use code_mesh_runtime::supervisor::{Enqueue, GetStatus, Supervisor, SupervisorBuilder};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::StreamExt;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Tasks per dispatch iteration.
const DISPATCH_TASKS: u64 = 100;

/// A role that answers at once, so that only the runtime is measured.
struct Immediate;

#[async_trait(?Send)]
impl Role for Immediate {
    async fn run(&self, _: Task, _: AgentContext) -> Result<String, RoleError> {
        Ok(String::new())
    }
}

fn start(system: &SystemRunner) -> (Addr<Supervisor>, EventStream) {
    system.block_on(async {
        let (supervisor, mut events) = SupervisorBuilder::new()
            .session_id("bench")
            .role("worker", Rc::new(Immediate))
            .start();
        // SessionStarted.
        events.next().await.unwrap();
        (supervisor, events)
    })
}

/// Reads events until `n` satisfy `counted`.
async fn wait_for(events: &mut EventStream, n: u64, counted: impl Fn(&Event) -> bool) {
    let mut left = n;
    while left > 0 {
        let event = events.next().await.expect("the event stream closed");
        if counted(&event) {
            left -= 1;
        }
    }
}

fn round_trip(c: &mut Criterion) {
    let system = System::new();
    c.bench_function("supervisor/get_status_round_trip", |b| {
        b.iter_custom(|iters| {
            let (supervisor, _events) = start(&system);
            system.block_on(async {
                let began = Instant::now();
                for _ in 0..iters {
                    supervisor.send(GetStatus).await.unwrap();
                }
                began.elapsed()
            })
        })
    });
}

fn dispatch(c: &mut Criterion) {
    let system = System::new();
    let mut group = c.benchmark_group("supervisor");
    group.throughput(Throughput::Elements(DISPATCH_TASKS));
    group.bench_function("dispatch_100_tasks", |b| {
        b.iter_custom(|iters| {
            let (supervisor, mut events) = start(&system);
            system.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let began = Instant::now();
                    for _ in 0..DISPATCH_TASKS {
                        supervisor.do_send(Enqueue(TaskSpec::new("worker", "noop")));
                    }
                    wait_for(&mut events, DISPATCH_TASKS, |e| {
                        matches!(e, Event::TaskFinished { .. })
                    })
                    .await;
                    total += began.elapsed();
                }
                total
            })
        })
    });
    group.finish();
}

fn spawn_and_retire(c: &mut Criterion) {
    let system = System::new();
    c.bench_function("supervisor/agent_spawn_and_retire", |b| {
        b.iter_custom(|iters| {
            let (supervisor, mut events) = start(&system);
            system.block_on(async {
                let began = Instant::now();
                for _ in 0..iters {
                    supervisor.do_send(Enqueue(TaskSpec::new("worker", "noop")));
                    wait_for(&mut events, 1, |e| matches!(e, Event::AgentRetired { .. })).await;
                }
                began.elapsed()
            })
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = round_trip, dispatch, spawn_and_retire
}
criterion_main!(benches);
