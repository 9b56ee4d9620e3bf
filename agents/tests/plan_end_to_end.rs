//! A planned request end to end, in process: the real Supervisor, the
//! Planner and Coder roles, the built-in tools, and the OpenAI-compatible
//! provider speaking HTTP to the mock LLM server, which answers each agent
//! by the task it was given (the agents ask concurrently).

// Test code: helpers outside #[test] fns fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use code_mesh_providers::{Backoff, RetryPolicy, Retrying};
use code_mesh_runtime::EventStream;
use code_mesh_runtime::protocol::{Event, TurnStatus};
use code_mesh_test_support::{MockLlmServer, MockResponse, MockToolCall, TempProject};
use common::{
    THINKING, assert_t1_t2_overlap_and_t3_follows, mock_provider, planned_turn, planner_answer,
    planning_supervisor, requests_of, staged_diff, task, until,
};
use serde_json::json;
use std::rc::Rc;
use std::time::Duration;

/// A coder's two answers: write `file` holding `content`, then say so.
fn coder_answers(id: &str, file: &str, content: &str) -> [MockResponse; 2] {
    [
        MockResponse::tool_calls(vec![MockToolCall::new(
            format!("call_{id}"),
            "write",
            json!({ "filePath": file, "content": content }),
        )])
        .when_asked(task(id))
        .with_delay(THINKING),
        MockResponse::text(format!("Wrote {file}.")).when_asked(task(id)),
    ]
}

/// A Supervisor with the real roles, tools and provider (retrying once,
/// quickly), over `project`.
fn supervisor(
    server: &MockLlmServer,
    project: &TempProject,
) -> (
    actix::Addr<code_mesh_runtime::supervisor::Supervisor>,
    EventStream,
) {
    // One retry, quickly: a failed request is sent once more.
    let policy = RetryPolicy::new().retries(1).backoff(
        Backoff::new()
            .base(Duration::from_millis(1))
            .cap(Duration::from_millis(5)),
    );
    let provider = Retrying::with_policy(mock_provider(server), policy);
    planning_supervisor(Rc::new(provider), project).start()
}

/// Checks that the edit giving `file` the line `content` is staged in the
/// session's change set (in `diff`) and not yet on disk.
fn assert_edit_kept(project: &TempProject, diff: &str, file: &str, content: &str) {
    assert!(
        diff.contains(&format!("+++ b/{file}\n")) && diff.contains(&format!("+{content}")),
        "the edit of {file} was lost: not in the diff\n{diff}"
    );
    assert!(
        !project.exists(file) || project.read(file) != format!("{content}\n"),
        "the edit of {file} reached the disk before it was applied"
    );
}

#[actix::test]
async fn a_planned_request_runs_independent_coders_concurrently_and_keeps_every_edit() {
    let project = TempProject::new();
    project.write("README.md", "# greetings\n");
    let server = MockLlmServer::start(
        std::iter::once(planner_answer())
            .chain(coder_answers("t1", "a.txt", "alpha\n"))
            .chain(coder_answers("t2", "b.txt", "bravo\n"))
            .chain(coder_answers("t3", "c.txt", "charlie\n")),
    );
    let (supervisor, mut events) = supervisor(&server, &project);

    supervisor.send(planned_turn()).await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::TurnComplete { .. })).await;

    let proposed = seen.iter().find_map(|e| match e {
        Event::PlanProposed { plan, .. } => Some(plan.clone()),
        _ => None,
    });
    let proposed = proposed.unwrap_or_else(|| panic!("no plan was proposed: {seen:#?}"));
    assert_eq!(proposed.tasks.len(), 3);
    let Some(Event::TurnComplete { status, answer, .. }) = seen.last() else {
        unreachable!()
    };
    assert_eq!(*status, TurnStatus::Completed, "{seen:#?}");
    assert!(
        answer
            .as_deref()
            .unwrap_or_default()
            .starts_with("3 of 3 planned tasks done."),
        "{answer:?}"
    );

    // The planner's request offered one tool, `plan`, and showed the files.
    let planner_request = &server.requests()[0];
    let tools: Vec<_> = planner_request.body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            t["function"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(tools, ["plan"]);
    assert!(planner_request.body.to_string().contains("README.md"));

    // t1 and t2 were asked at the same time; t3 only after both were done.
    let (t1, t2, t3) = (
        requests_of(&server, "t1"),
        requests_of(&server, "t2"),
        requests_of(&server, "t3"),
    );
    assert_eq!((t1.len(), t2.len(), t3.len()), (2, 2, 2));
    assert_t1_t2_overlap_and_t3_follows(&server);
    // A coder sees its own task and the plan's summary, not the others' tasks.
    let t3_task = t3[0].body.to_string();
    assert!(t3_task.contains("Greet in three files.") && !t3_task.contains("Create a.txt"));

    let diff = staged_diff(&supervisor, &mut events).await;
    for (file, content) in [("a.txt", "alpha"), ("b.txt", "bravo"), ("c.txt", "charlie")] {
        assert_edit_kept(&project, &diff, file, content);
    }
    assert_eq!(server.remaining(), 0);
}

#[actix::test]
async fn a_coder_whose_provider_keeps_failing_fails_its_task_and_the_run_says_what_was_done() {
    let project = TempProject::new();
    let [t1_write, t1_done] = coder_answers("t1", "a.txt", "alpha\n");
    // t2's provider fails every request: each attempt's request and the
    // provider's one retry of it, over the first attempt and two restarts.
    let t2_failures = (1..=6).map(|n| {
        let message = if n == 6 {
            "still overloaded"
        } else {
            "overloaded"
        };
        MockResponse::error(500, message).when_asked(task("t2"))
    });
    let server = MockLlmServer::start(
        [
            planner_answer(),
            // t1's first request fails once; the provider's retry gets the answer.
            MockResponse::error(500, "overloaded").when_asked(task("t1")),
            t1_write,
            t1_done,
        ]
        .into_iter()
        .chain(t2_failures),
    );
    let (supervisor, mut events) = supervisor(&server, &project);

    supervisor.send(planned_turn()).await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::TurnComplete { .. })).await;

    // t2's agent was restarted twice (the retry budget), then its task failed.
    let t2_label = task("t2");
    let t2 = seen
        .iter()
        .find_map(|e| match e {
            Event::TaskQueued {
                task, description, ..
            } if description.contains(&t2_label) => Some(*task),
            _ => None,
        })
        .unwrap();
    let restarts: Vec<u32> = seen
        .iter()
        .filter_map(|e| match e {
            Event::AgentRestarted { task, attempt, .. } if *task == t2 => Some(*attempt),
            _ => None,
        })
        .collect();
    assert_eq!(restarts, [2, 3], "{seen:#?}");
    let failed = seen
        .iter()
        .position(|e| matches!(e, Event::TaskFailed { task, attempts: 3, .. } if *task == t2));
    let last_restart = seen
        .iter()
        .rposition(|e| matches!(e, Event::AgentRestarted { .. }));
    assert!(failed > last_restart, "{seen:#?}");

    let Some(Event::TurnComplete { status, error, .. }) = seen.last() else {
        unreachable!()
    };
    assert_eq!(*status, TurnStatus::Failed);
    let error = error.clone().unwrap_or_default();
    assert!(error.starts_with("1 of 3 planned tasks done."), "{error}");
    assert!(
        error.contains("done: t1 (Create a.txt saying alpha.): Wrote a.txt."),
        "{error}"
    );
    assert!(
        error.contains("failed: t2 (Create b.txt saying bravo.) after 3 attempt(s)"),
        "{error}"
    );
    assert!(error.contains("still overloaded"), "{error}");
    assert!(
        error.contains("not done: t3 (Create c.txt saying charlie.): never started"),
        "{error}"
    );
    assert_eq!(
        requests_of(&server, "t1").len(),
        3,
        "one failed request, retried"
    );
    assert_eq!(requests_of(&server, "t2").len(), 6);
    assert!(requests_of(&server, "t3").is_empty());

    // t1's edit survived t2's failure.
    let diff = staged_diff(&supervisor, &mut events).await;
    assert_edit_kept(&project, &diff, "a.txt", "alpha");
}

#[actix::test]
async fn an_invalid_plan_goes_back_to_the_model_as_a_tool_error_to_fix() {
    let project = TempProject::new();
    let cyclic = json!({
        "summary": "Greet.",
        "tasks": [
            { "id": "t1", "description": "Create a.txt saying alpha.", "depends_on": ["t2"] },
            { "id": "t2", "description": "Create b.txt saying bravo.", "depends_on": ["t1"] }
        ]
    });
    let fixed = json!({
        "summary": "Greet.",
        "tasks": [{ "id": "t1", "description": "Create a.txt saying alpha.", "files": ["a.txt"] }]
    });
    let [write, done] = coder_answers("t1", "a.txt", "alpha\n");
    let server = MockLlmServer::start([
        MockResponse::tool_calls(vec![MockToolCall::new("call_1", "plan", cyclic)])
            .when_asked("<request>"),
        MockResponse::tool_calls(vec![MockToolCall::new("call_2", "plan", fixed)])
            .when_asked("<request>"),
        write,
        done,
    ]);
    let (supervisor, mut events) = supervisor(&server, &project);

    supervisor.send(planned_turn()).await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::TurnComplete { .. })).await;

    assert!(matches!(
        seen.last(),
        Some(Event::TurnComplete {
            status: TurnStatus::Completed,
            ..
        })
    ));
    let second = &server.requests()[1];
    let tool_result = second
        .messages()
        .into_iter()
        .find(|m| m["role"] == "tool")
        .unwrap();
    assert_eq!(tool_result["tool_call_id"], "call_1");
    let text = tool_result["content"].to_string();
    assert!(text.contains("cycle through t1, t2"), "{text}");
}

#[actix::test]
async fn the_planner_is_shown_where_the_requests_code_names_occur() {
    let project = TempProject::new();
    project.write("src/config.rs", "pub fn parse_config() {}\n");
    project.write("src/main.rs", "fn main() {}\n");
    let server = MockLlmServer::start([planner_answer()]);
    let (supervisor, mut events) = supervisor(&server, &project);

    supervisor
        .send(code_mesh_runtime::supervisor::Submit(
            code_mesh_runtime::protocol::Op::UserTurn {
                prompt: "Make parse_config read TOML.".into(),
                agent: Some("planner".into()),
                plan: None,
            },
        ))
        .await
        .unwrap();
    until(&mut events, |e| matches!(e, Event::PlanProposed { .. })).await;
    supervisor
        .send(code_mesh_runtime::supervisor::Submit(
            code_mesh_runtime::protocol::Op::Cancel,
        ))
        .await
        .unwrap();

    let asked = server.requests()[0].body.to_string();
    assert!(
        asked.contains(r#"<matches term=\"parse_config\">"#),
        "{asked}"
    );
    assert!(asked.contains("src/config.rs"), "{asked}");
}
