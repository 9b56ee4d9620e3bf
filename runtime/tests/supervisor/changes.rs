//! The session's change set and approvals through the Supervisor: tools
//! stage, the front end reviews, applies, undoes, and answers questions.

use crate::support::{Events, role, start};
use actix::Addr;
use code_mesh_runtime::permission::{ApprovalDecision, PermissionRules};
use code_mesh_runtime::protocol::{Event, FileStatus, Op};
use code_mesh_runtime::role::{Role, RoleError};
use code_mesh_runtime::supervisor::{Submit, Supervisor, SupervisorBuilder};
use code_mesh_runtime::tool::FileWrite;
use std::path::Path;
use std::rc::Rc;

fn user_turn(prompt: &str) -> Submit {
    Submit(Op::UserTurn {
        prompt: prompt.into(),
        agent: None,
        plan: None,
    })
}

/// A role that writes `<description>.txt` holding "new" through its tool context.
fn writer() -> Rc<dyn Role> {
    role(|task, ctx| async move {
        let tools = ctx.tool_context();
        let path = tools.root.join(format!("{}.txt", task.spec.description));
        tools
            .write_files(vec![FileWrite {
                path,
                content: Some(b"new\n".to_vec()),
            }])
            .map_err(|e| RoleError::Failed(e.to_string()))?;
        Ok("written".into())
    })
}

fn project() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("a.txt"), "old\r\n").unwrap();
    (dir, root)
}

fn read(root: &Path, name: &str) -> Option<Vec<u8>> {
    std::fs::read(root.join(name)).ok()
}

/// A Supervisor builder over `root` whose `coder` is `coder`.
fn coder_in(root: &Path, coder: Rc<dyn Role>) -> SupervisorBuilder {
    SupervisorBuilder::new()
        .role("coder", coder)
        .project_root(root)
}

/// Sends `op` and returns the next event.
async fn answer_to(supervisor: &Addr<Supervisor>, events: &mut Events, op: Op) -> Event {
    supervisor.send(Submit(op)).await.unwrap();
    events.next().await
}

/// The answer of the turn that completes next.
async fn turn_answer(events: &mut Events) -> Option<String> {
    match events.until_turn_complete().await.pop() {
        Some(Event::TurnComplete { answer, .. }) => answer,
        other => panic!("expected TurnComplete, got {other:?}"),
    }
}

#[actix::test]
async fn staged_changes_are_shown_applied_and_undone_byte_for_byte() {
    let (_dir, root) = project();
    let builder = coder_in(&root, writer());
    let (supervisor, mut events) = start(builder).await;

    supervisor.send(user_turn("a")).await.unwrap();
    let seen = events.until_turn_complete().await;
    assert!(seen.contains(&Event::ChangeStaged {
        agent: code_mesh_runtime::protocol::AgentId(1),
        path: "a.txt".into(),
        written: false,
    }));
    assert_eq!(read(&root, "a.txt").unwrap(), b"old\r\n");

    match answer_to(&supervisor, &mut events, Op::ShowChanges).await {
        Event::Changes { files, diff } => {
            assert_eq!(files.len(), 1);
            assert_eq!(files[0].status, FileStatus::Modified);
            assert!(diff.contains("+new"), "{diff}");
        }
        other => panic!("expected Changes, got {other:?}"),
    }

    assert_eq!(
        answer_to(&supervisor, &mut events, Op::ApplyChanges).await,
        Event::ChangesApplied {
            files: vec!["a.txt".into()]
        }
    );
    assert_eq!(read(&root, "a.txt").unwrap(), b"new\n");

    assert_eq!(
        answer_to(&supervisor, &mut events, Op::Undo).await,
        Event::ChangesUndone {
            files: vec!["a.txt".into()]
        }
    );
    assert_eq!(read(&root, "a.txt").unwrap(), b"old\r\n");

    assert!(matches!(
        answer_to(&supervisor, &mut events, Op::Undo).await,
        Event::Error { .. }
    ));
}

#[actix::test]
async fn rejecting_drops_the_changes_and_leaves_the_disk_alone() {
    let (_dir, root) = project();
    let builder = coder_in(&root, writer());
    let (supervisor, mut events) = start(builder).await;
    supervisor.send(user_turn("b")).await.unwrap();
    events.until_turn_complete().await;

    assert_eq!(
        answer_to(&supervisor, &mut events, Op::RejectChanges).await,
        Event::ChangesRejected {
            files: vec!["b.txt".into()]
        }
    );
    assert_eq!(read(&root, "b.txt"), None);
    assert_eq!(
        answer_to(&supervisor, &mut events, Op::ShowChanges).await,
        Event::Changes {
            files: vec![],
            diff: String::new()
        }
    );
}

#[actix::test]
async fn with_yes_edits_are_written_through_and_one_undo_reverts_the_turn() {
    let (_dir, root) = project();
    let builder = coder_in(&root, writer()).yes(true);
    let (supervisor, mut events) = start(builder).await;
    supervisor.send(user_turn("a")).await.unwrap();
    events.until_turn_complete().await;
    assert_eq!(read(&root, "a.txt").unwrap(), b"new\n");

    assert!(matches!(
        answer_to(&supervisor, &mut events, Op::Undo).await,
        Event::ChangesUndone { .. }
    ));
    assert_eq!(read(&root, "a.txt").unwrap(), b"old\r\n");
}

/// A role that runs `rm -rf build` only if its bash permission is granted,
/// and answers what happened.
fn asker() -> Rc<dyn Role> {
    role(|_, ctx| async move {
        let tools = ctx.tool_context();
        Ok(
            match tools
                .check_permission("bash", "rm -rf build", "rm -rf build")
                .await
            {
                Ok(()) => "allowed".to_string(),
                Err(error) => format!("refused: {error}"),
            },
        )
    })
}

async fn ask_and_answer(decision: ApprovalDecision) -> Option<String> {
    let (_dir, root) = project();
    let builder = coder_in(&root, asker());
    let (supervisor, mut events) = start(builder).await;
    supervisor.send(user_turn("clean")).await.unwrap();
    let seen = events
        .until(|e| matches!(e, Event::ApprovalRequested { .. }))
        .await;
    let Some(Event::ApprovalRequested { id, request }) = seen.last() else {
        unreachable!()
    };
    assert_eq!(request.permission, "bash");
    assert_eq!(request.pattern, "rm -rf build");
    assert_eq!(request.always, ["rm *"]);
    supervisor
        .send(Submit(Op::Approve { id: *id, decision }))
        .await
        .unwrap();
    turn_answer(&mut events).await
}

#[actix::test]
async fn an_asked_permission_waits_for_the_front_ends_answer() {
    assert_eq!(
        ask_and_answer(ApprovalDecision::Once).await.as_deref(),
        Some("allowed")
    );
    let refused = ask_and_answer(ApprovalDecision::Reject {
        message: Some("use cargo clean".into()),
    })
    .await
    .unwrap();
    assert!(refused.contains("use cargo clean"), "{refused}");
}

#[actix::test]
async fn a_denied_command_is_refused_even_with_yes() {
    let (_dir, root) = project();
    let rules = PermissionRules::defaults().extended(
        &serde_json::from_value(serde_json::json!({ "bash": { "rm *": "deny" } })).unwrap(),
    );
    let builder = coder_in(&root, asker()).permissions(rules).yes(true);
    let (supervisor, mut events) = start(builder).await;
    supervisor.send(user_turn("clean")).await.unwrap();
    let answer = turn_answer(&mut events).await.unwrap();
    assert!(answer.starts_with("refused: permission denied"));
}

#[actix::test]
async fn an_approval_left_waiting_is_rejected_by_cancel() {
    let (_dir, root) = project();
    let builder = coder_in(&root, asker());
    let (supervisor, mut events) = start(builder).await;
    supervisor.send(user_turn("clean")).await.unwrap();
    events
        .until(|e| matches!(e, Event::ApprovalRequested { .. }))
        .await;
    supervisor.send(Submit(Op::Cancel)).await.unwrap();
    match events.until_turn_complete().await.pop() {
        Some(Event::TurnComplete { status, .. }) => {
            assert_eq!(status, code_mesh_runtime::protocol::TurnStatus::Cancelled)
        }
        other => panic!("expected TurnComplete, got {other:?}"),
    }
}
