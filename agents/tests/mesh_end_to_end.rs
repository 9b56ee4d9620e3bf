//! Agents of a plan run working together through the Supervisor, in
//! process: a coder grows the plan, asks the planner a question, and leaves
//! notes on the blackboard that a later coder reads. The real Supervisor,
//! roles and tools, the OpenAI-compatible provider and the mock LLM server.

// Test code: helpers outside #[test] fns fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use code_mesh_runtime::protocol::{Event, TaskState, TurnStatus};
use code_mesh_test_support::{MockLlmServer, MockResponse, MockToolCall, TempProject};
use common::{
    first_user_message, mock_provider, planner_answer, planning_supervisor, run_planned_turn,
    staged_diff,
};
use serde_json::json;
use std::rc::Rc;

/// What the agent of planned task `id` is told (and the mock routes by).
fn task(id: &str) -> String {
    format!("Your task ({id})")
}

/// A coder's answers: `first` (extra tool calls), then write `file`
/// holding `content`, then say so.
fn coder_answers(
    id: &str,
    first: Vec<MockResponse>,
    file: &str,
    content: &str,
) -> Vec<MockResponse> {
    first
        .into_iter()
        .chain([
            MockResponse::tool_calls(vec![MockToolCall::new(
                format!("call_write_{id}"),
                "write",
                json!({ "filePath": file, "content": content }),
            )]),
            MockResponse::text(format!("Wrote {file}.")),
        ])
        .map(|response| response.when_asked(task(id)))
        .collect()
}

/// One call of mesh tool `tool` by the coder of `id`.
fn mesh_call(id: &str, tool: &str, arguments: serde_json::Value) -> MockResponse {
    MockResponse::tool_calls(vec![MockToolCall::new(
        format!("call_{tool}_{id}"),
        tool,
        arguments,
    )])
}

/// The output the model got for the call `call_id`, from the requests
/// `server` recorded.
fn tool_result(server: &MockLlmServer, call_id: &str) -> String {
    server
        .requests()
        .iter()
        .flat_map(|r| r.messages())
        .find(|m| m["role"] == "tool" && m["tool_call_id"] == call_id)
        .and_then(|m| m["content"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("no result for {call_id}"))
}

#[actix::test]
async fn a_coder_adds_a_task_to_the_running_plan_and_it_runs() {
    let project = TempProject::new();
    let add = mesh_call(
        "t1",
        "add_task",
        json!({ "id": "t4", "description": "Create d.txt saying delta.",
                "files": ["d.txt"], "depends_on": ["t1"] }),
    );
    let server = MockLlmServer::start(
        std::iter::once(planner_answer())
            .chain(coder_answers("t1", vec![add], "a.txt", "alpha\n"))
            .chain(coder_answers("t2", vec![], "b.txt", "bravo\n"))
            .chain(coder_answers("t3", vec![], "c.txt", "charlie\n"))
            .chain(coder_answers("t4", vec![], "d.txt", "delta\n")),
    );
    let (supervisor, mut events) =
        planning_supervisor(Rc::new(mock_provider(&server)), &project).start();

    let seen = run_planned_turn(&supervisor, &mut events).await;

    // The plan was updated with t4 while t1 ran, and t4 then ran and finished.
    let with_t4 = seen.iter().position(
        |e| matches!(e, Event::PlanUpdated { plan } if plan.tasks.iter().any(|t| t.id == "t4")),
    );
    let with_t4 = with_t4.unwrap_or_else(|| panic!("no plan update named t4: {seen:#?}"));
    let t1_done = seen
        .iter()
        .position(|e| matches!(e, Event::TaskFinished { summary, .. } if summary == "Wrote a.txt."))
        .unwrap();
    assert!(with_t4 < t1_done, "t4 was added while t1 ran");
    let final_plan = seen
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::PlanUpdated { plan } => Some(plan.clone()),
            _ => None,
        })
        .unwrap();
    let ids: Vec<_> = final_plan.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["t1", "t2", "t3", "t4"]);
    assert!(final_plan.tasks.iter().all(|t| t.state == TaskState::Done));
    let Some(Event::TurnComplete { status, answer, .. }) = seen.last() else {
        unreachable!()
    };
    assert_eq!(*status, TurnStatus::Completed, "{seen:#?}");
    let answer = answer.clone().unwrap_or_default();
    assert!(answer.starts_with("4 of 4 planned tasks done."), "{answer}");
    assert!(
        answer.contains("done: t4 (Create d.txt saying delta.): Wrote d.txt."),
        "{answer}"
    );
    assert!(tool_result(&server, "call_add_task_t1").contains("task `t4` was added"));

    let diff = staged_diff(&supervisor, &mut events).await;
    assert!(diff.contains("+delta"), "{diff}");
    assert_eq!(server.remaining(), 0);
}

#[actix::test]
async fn a_task_that_would_break_the_plan_is_refused_with_the_reason() {
    let project = TempProject::new();
    let add = mesh_call(
        "t1",
        "add_task",
        json!({ "id": "t2", "description": "A second t2.", "depends_on": ["nowhere"] }),
    );
    let server = MockLlmServer::start(
        std::iter::once(planner_answer())
            .chain(coder_answers("t1", vec![add], "a.txt", "alpha\n"))
            .chain(coder_answers("t2", vec![], "b.txt", "bravo\n"))
            .chain(coder_answers("t3", vec![], "c.txt", "charlie\n")),
    );
    let (supervisor, mut events) =
        planning_supervisor(Rc::new(mock_provider(&server)), &project).start();

    let seen = run_planned_turn(&supervisor, &mut events).await;

    let refusal = tool_result(&server, "call_add_task_t1");
    assert!(
        refusal.starts_with("Error: the task was not added"),
        "{refusal}"
    );
    assert!(refusal.contains("t2"), "{refusal}");
    assert!(matches!(
        seen.last(),
        Some(Event::TurnComplete { status: TurnStatus::Completed, answer: Some(a), .. })
            if a.starts_with("3 of 3 planned tasks done.")
    ));
}

#[actix::test]
async fn a_coder_asking_the_retired_planner_is_answered_from_the_blackboard() {
    let project = TempProject::new();
    let ask = mesh_call(
        "t1",
        "message",
        json!({ "to": "planner", "text": "Which file comes after a.txt?", "wait_for_reply": true }),
    );
    let server = MockLlmServer::start(
        std::iter::once(planner_answer())
            .chain(coder_answers("t1", vec![ask], "a.txt", "alpha\n"))
            .chain(coder_answers("t2", vec![], "b.txt", "bravo\n"))
            .chain(coder_answers("t3", vec![], "c.txt", "charlie\n")),
    );
    let (supervisor, mut events) =
        planning_supervisor(Rc::new(mock_provider(&server)), &project).start();

    let seen = run_planned_turn(&supervisor, &mut events).await;

    assert!(matches!(
        seen.last(),
        Some(Event::TurnComplete {
            status: TurnStatus::Completed,
            ..
        })
    ));
    let reply = tool_result(&server, "call_message_t1");
    assert!(reply.contains("No live agent plays `planner`"), "{reply}");
    assert!(reply.contains("The plan: Greet in three files."), "{reply}");
    assert!(
        reply.contains("- t3 (Blocked): Create c.txt saying charlie."),
        "{reply}"
    );
}

#[actix::test]
async fn a_later_coder_reads_what_earlier_ones_left_on_the_blackboard() {
    let project = TempProject::new();
    let note = mesh_call(
        "t1",
        "note_file",
        json!({ "path": "a.txt", "summary": "the alpha greeting" }),
    );
    let server = MockLlmServer::start(
        std::iter::once(planner_answer())
            .chain(coder_answers("t1", vec![note], "a.txt", "alpha\n"))
            .chain(coder_answers("t2", vec![], "b.txt", "bravo\n"))
            .chain(coder_answers("t3", vec![], "c.txt", "charlie\n")),
    );
    let (supervisor, mut events) =
        planning_supervisor(Rc::new(mock_provider(&server)), &project).start();

    run_planned_turn(&supervisor, &mut events).await;

    let t3_asked = server
        .requests()
        .iter()
        .filter_map(first_user_message)
        .find(|text| text.contains(&task("t3")))
        .unwrap();
    let board = t3_asked
        .split_once("<blackboard>")
        .map(|(_, board)| board.to_string())
        .unwrap_or_else(|| panic!("t3 was not shown the blackboard: {t3_asked}"));
    assert!(board.contains("- t1 (coder): Wrote a.txt."), "{board}");
    assert!(board.contains("- t2 (coder): Wrote b.txt."), "{board}");
    assert!(board.contains("- a.txt: the alpha greeting"), "{board}");
    // The first coders ran before anything was on the board.
    let t1_asked = server
        .requests()
        .iter()
        .filter_map(first_user_message)
        .find(|text| text.contains(&task("t1")))
        .unwrap();
    assert!(!t1_asked.contains("<blackboard>"), "{t1_asked}");
}
