//! Cancelling a turn while several agents work: every agent stops at once,
//! and what they staged stays reviewable and appliable.

use crate::support::{Gate, role, start};
use code_mesh_runtime::protocol::{AgentId, Event, FileStatus, Op, TaskSpec, TurnStatus};
use code_mesh_runtime::role::RoleError;
use code_mesh_runtime::supervisor::{Enqueue, GetStatus, Submit, SupervisorBuilder};
use code_mesh_runtime::tool::FileWrite;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// How soon after `Op::Cancel` the turn must be over. The Supervisor only
/// has to drop two futures; this is generous so a busy machine does not fail it.
const PROMPTLY: Duration = Duration::from_secs(1);

#[actix::test]
async fn cancelling_mid_run_stops_every_agent_promptly_and_keeps_the_staged_edit() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("a.txt"), "old\n").unwrap();

    // The editor stages its edit, then keeps working (it never finishes).
    let never = Gate::new();
    let editor = {
        let never = never.clone();
        role(move |_, ctx| {
            let never = never.clone();
            async move {
                let tools = ctx.tool_context();
                tools
                    .write_files(vec![FileWrite {
                        path: tools.root.join("a.txt"),
                        content: Some(b"new\n".to_vec()),
                    }])
                    .map_err(|e| RoleError::Failed(e.to_string()))?;
                never.wait().await;
                Ok("edited".to_string())
            }
        })
    };
    // The waiter is blocked on a message from another agent that never comes.
    let waiter = role(|_, mut ctx| async move {
        let message = ctx.recv().await;
        Ok(format!("got {message:?}"))
    });
    let builder = SupervisorBuilder::new()
        .role("coder", editor)
        .role("waiter", waiter)
        .project_root(&root);
    let (supervisor, mut events) = start(builder).await;

    supervisor
        .send(Submit(Op::UserTurn {
            prompt: "edit a.txt".into(),
            agent: None,
            plan: None,
        }))
        .await
        .unwrap();
    supervisor
        .send(Enqueue(TaskSpec::new("waiter", "wait for the editor")))
        .await
        .unwrap()
        .unwrap();
    // Both agents are at work and the edit is staged.
    let (mut staged, mut started) = (false, 0);
    let before = events
        .until(|e| {
            match e {
                Event::ChangeStaged { path, .. } if path == "a.txt" => staged = true,
                Event::TaskStarted { .. } => started += 1,
                _ => {}
            }
            staged && started == 2
        })
        .await;
    let spawned: BTreeSet<AgentId> = before
        .iter()
        .filter_map(|e| match e {
            Event::AgentSpawned { agent, .. } => Some(*agent),
            _ => None,
        })
        .collect();
    assert_eq!(spawned.len(), 2, "{before:#?}");

    let asked = Instant::now();
    supervisor.send(Submit(Op::Cancel)).await.unwrap();
    let after = events.until_turn_complete().await;
    let took = asked.elapsed();

    assert!(took < PROMPTLY, "cancelling took {took:?}: {after:#?}");
    assert!(
        matches!(
            after.last(),
            Some(Event::TurnComplete {
                status: TurnStatus::Cancelled,
                ..
            })
        ),
        "{after:#?}"
    );
    let retired: BTreeSet<AgentId> = after
        .iter()
        .filter_map(|e| match e {
            Event::AgentRetired { agent, .. } => Some(*agent),
            _ => None,
        })
        .collect();
    assert_eq!(retired, spawned, "every agent is retired: {after:#?}");
    let failed = after
        .iter()
        .filter(|e| matches!(e, Event::TaskFailed { reason, .. } if reason == "cancelled"))
        .count();
    assert_eq!(failed, 2, "{after:#?}");
    assert!(supervisor.send(GetStatus).await.unwrap().agents.is_empty());

    // The edit made before the cancel is still there to review …
    supervisor.send(Submit(Op::ShowChanges)).await.unwrap();
    match events.next().await {
        Event::Changes { files, diff } => {
            assert_eq!(files.len(), 1, "{files:?}");
            assert_eq!(files[0].path, "a.txt");
            assert_eq!(files[0].status, FileStatus::Modified);
            assert!(diff.contains("-old\n+new\n"), "{diff}");
        }
        other => panic!("expected Changes, got {other:?}"),
    }
    assert_eq!(std::fs::read(root.join("a.txt")).unwrap(), b"old\n");

    // … and to apply.
    supervisor.send(Submit(Op::ApplyChanges)).await.unwrap();
    assert_eq!(
        events.next().await,
        Event::ChangesApplied {
            files: vec!["a.txt".into()]
        }
    );
    assert_eq!(std::fs::read(root.join("a.txt")).unwrap(), b"new\n");
}
