//! The documentation agent inside a real Supervisor: registered beside a
//! coder, handed a task that depends on the coders' tasks, it runs after
//! them and stages its CHANGELOG.md entry in the session's change set.

// Test code: helpers outside #[test] fns fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use async_trait::async_trait;
use code_mesh_doc_agent::{CHANGELOG, DocAgent, docs_task};
use code_mesh_runtime::EventStream;
use code_mesh_runtime::protocol::{Event, Op, TaskId, TaskSpec, TurnStatus};
use code_mesh_runtime::role::{AgentContext, Role, RoleError, Task};
use code_mesh_runtime::supervisor::{Enqueue, Submit, SupervisorBuilder};
use code_mesh_runtime::tool::FileWrite;
use futures::StreamExt;
use futures::channel::oneshot;
use futures::future::{FutureExt, Shared};
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

/// How long a test waits for one event before failing instead of hanging.
const PATIENCE: Duration = Duration::from_secs(10);

/// A stand-in coder: once let through, writes the file its task names,
/// holding `<name without extension>`, and says so.
struct Writer {
    go: Shared<oneshot::Receiver<()>>,
}

#[async_trait(?Send)]
impl Role for Writer {
    async fn run(&self, task: Task, ctx: AgentContext) -> Result<String, RoleError> {
        let _ = self.go.clone().await;
        let name = task.spec.description;
        let word = name.split('.').next().unwrap_or_default();
        let tools = ctx.tool_context();
        tools
            .write_files(vec![FileWrite {
                path: tools.root.join(&name),
                content: Some(format!("{word}\n").into_bytes()),
            }])
            .map_err(|e| RoleError::Failed(e.to_string()))?;
        Ok(format!("Wrote {name}."))
    }
}

async fn next(events: &mut EventStream) -> Event {
    match actix_rt::time::timeout(PATIENCE, events.next()).await {
        Ok(Some(event)) => event,
        Ok(None) => panic!("the event stream closed"),
        Err(_) => panic!("no event within {PATIENCE:?}"),
    }
}

/// Every event up to and including the first for which `last` holds.
async fn until(events: &mut EventStream, last: impl Fn(&Event) -> bool) -> Vec<Event> {
    let mut seen = Vec::new();
    loop {
        let event = next(events).await;
        let done = last(&event);
        seen.push(event);
        if done {
            return seen;
        }
    }
}

fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("a.txt"), "old\n").unwrap();
    std::fs::write(
        root.join(CHANGELOG),
        "# Changelog\n\n## 0.1.0\n\n- First release.\n",
    )
    .unwrap();
    (dir, root)
}

fn position(seen: &[Event], what: impl Fn(&Event) -> bool) -> usize {
    seen.iter()
        .position(what)
        .unwrap_or_else(|| panic!("missing event: {seen:#?}"))
}

#[actix::test]
async fn the_doc_agent_runs_after_the_coders_and_stages_a_changelog_entry() {
    let (_dir, root) = project();
    let (go, gate) = oneshot::channel();
    let (supervisor, mut events) = SupervisorBuilder::new()
        .role("coder", Rc::new(Writer { go: gate.shared() }))
        .role(DocAgent::ROLE, Rc::new(DocAgent))
        .project_root(&root)
        .start();

    // Two coder tasks in one turn, and the docs task after both of them.
    supervisor
        .send(Submit(Op::UserTurn {
            prompt: "a.txt".into(),
            agent: None,
            plan: None,
        }))
        .await
        .unwrap();
    let queued = until(&mut events, |e| matches!(e, Event::TaskQueued { .. })).await;
    let Some(Event::TaskQueued { task: first, .. }) = queued.last().cloned() else {
        unreachable!()
    };
    let second = supervisor
        .send(Enqueue(TaskSpec::new("coder", "b.txt")))
        .await
        .unwrap()
        .unwrap();
    let docs = supervisor
        .send(Enqueue(docs_task([first, second])))
        .await
        .unwrap()
        .unwrap();
    // The coders write only now, so the turn cannot end before the docs task joined it.
    go.send(()).unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::TurnComplete { .. })).await;

    // The custom agent was spawned for its task, after both coders finished …
    let spawned = position(
        &seen,
        |e| matches!(e, Event::AgentSpawned { role, task, .. } if role == DocAgent::ROLE && *task == docs),
    );
    for coder in [first, second] {
        let finished = position(
            &seen,
            |e| matches!(e, Event::TaskFinished { task, .. } if *task == coder),
        );
        assert!(finished < spawned, "{seen:#?}");
    }
    // … ran it …
    let summary = seen.iter().find_map(|e| match e {
        Event::TaskFinished { task, summary, .. } if *task == docs => Some(summary.clone()),
        _ => None,
    });
    assert_eq!(
        summary.as_deref(),
        Some("Recorded 2 changed file(s) in CHANGELOG.md."),
        "{seen:#?}"
    );
    assert!(
        matches!(
            seen.last(),
            Some(Event::TurnComplete {
                status: TurnStatus::Completed,
                ..
            })
        ),
        "{seen:#?}"
    );

    // … and staged its entry like any edit: in the diff, not yet on disk.
    supervisor.send(Submit(Op::ShowChanges)).await.unwrap();
    let Event::Changes { files, diff } = next(&mut events).await else {
        panic!("expected the changes");
    };
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, [CHANGELOG, "a.txt", "b.txt"], "{diff}");
    for line in [
        "+## Unreleased",
        "+- `a.txt`: changed (+1 -1)",
        "+- `b.txt`: added (+1 -0)",
        "+- Wrote a.txt.",
        "+- Wrote b.txt.",
    ] {
        assert!(diff.contains(line), "`{line}` missing from\n{diff}");
    }
    let changelog = root.join(CHANGELOG);
    assert!(
        std::fs::read_to_string(&changelog)
            .unwrap()
            .contains("0.1.0")
    );
    assert!(
        !std::fs::read_to_string(&changelog)
            .unwrap()
            .contains("Unreleased")
    );

    supervisor.send(Submit(Op::ApplyChanges)).await.unwrap();
    assert!(matches!(
        next(&mut events).await,
        Event::ChangesApplied { .. }
    ));
    assert_eq!(
        std::fs::read_to_string(&changelog).unwrap(),
        "# Changelog\n\n## Unreleased\n\n\
         - `a.txt`: changed (+1 -1)\n\
         - `b.txt`: added (+1 -0)\n\n\
         Done:\n\n\
         - Wrote a.txt.\n\
         - Wrote b.txt.\n\n\
         ## 0.1.0\n\n\
         - First release.\n"
    );
}

#[actix::test]
async fn with_nothing_staged_the_doc_agent_leaves_the_changelog_alone() {
    let (_dir, root) = project();
    let (supervisor, mut events) = SupervisorBuilder::new()
        .role(DocAgent::ROLE, Rc::new(DocAgent))
        .project_root(&root)
        .start();

    // Queued straight from the front end's protocol, with no dependencies.
    supervisor
        .send(Submit(Op::EnqueueTask {
            task: docs_task(Vec::<TaskId>::new()),
        }))
        .await
        .unwrap();
    let seen = until(&mut events, |e| {
        matches!(e, Event::TaskFinished { .. } | Event::TaskFailed { .. })
    })
    .await;
    assert!(
        seen.iter()
            .any(|e| matches!(e, Event::AgentSpawned { role, .. } if role == DocAgent::ROLE)),
        "{seen:#?}"
    );
    assert!(
        matches!(seen.last(), Some(Event::TaskFinished { summary, .. })
            if summary == "Nothing to document: no changes are staged."),
        "{seen:#?}"
    );
    supervisor.send(Submit(Op::ShowChanges)).await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::Changes { .. })).await;
    assert!(
        matches!(seen.last(), Some(Event::Changes { files, .. }) if files.is_empty()),
        "{seen:#?}"
    );
}
