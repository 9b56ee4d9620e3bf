//! Plan modes through the binary: `run --plan` has a planner break the
//! request into tasks that two coders do, the plan shown as a checklist
//! ticked as they end; `--no-plan` gives even a big request to one coder;
//! and a small request with neither flag is not planned.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, RecordedRequest, TempProject, assert_success,
    code_mesh_command, stderr_text,
};
use serde_json::json;
use std::process::Output;

/// What only the planner's request carries (the request wrapped for it).
const PLANNER_ASKED: &str = "<request>";

fn code_mesh(project: &TempProject, server: &MockLlmServer, args: &[&str]) -> Output {
    code_mesh_command(project)
        .env("OPENAI_BASE_URL", server.base_url())
        .args(args)
        .output()
        .expect("the code-mesh binary runs")
}

/// A coder's two answers to the request containing `asked`: write `file`
/// holding `content`, then say so.
fn coder_answers(asked: &str, file: &str, content: &str) -> [MockResponse; 2] {
    [
        MockResponse::tool_calls(vec![MockToolCall::new(
            format!("call_{}", file.replace('.', "_")),
            "write",
            json!({ "filePath": file, "content": content }),
        )])
        .when_asked(asked),
        MockResponse::text(format!("Wrote {file}.")).when_asked(asked),
    ]
}

/// The first user message of `request`.
fn asked(request: &RecordedRequest) -> String {
    request
        .messages()
        .iter()
        .find(|m| m["role"] == "user")
        .and_then(|m| m["content"].as_str().map(str::to_string))
        .unwrap_or_default()
}

fn planner_requests(server: &MockLlmServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| asked(r).contains(PLANNER_ASKED))
        .count()
}

#[test]
fn run_plan_shows_the_plan_ticks_its_tasks_and_edits_the_files() {
    let plan = json!({
        "summary": "Greet in two files.",
        "tasks": [
            { "id": "t1", "description": "Greet in a.txt", "files": ["a.txt"] },
            { "id": "t2", "description": "Greet in b.txt", "files": ["b.txt"] }
        ]
    });
    let mut script = vec![
        MockResponse::tool_calls(vec![MockToolCall::new("call_plan", "plan", plan)])
            .when_asked(PLANNER_ASKED),
        // The reviewer after the tasks; it approves.
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_review",
            "review",
            json!({ "approved": true, "findings": [] }),
        )])
        .when_asked("Review the staged change"),
    ];
    script.extend(coder_answers("Your task (t1)", "a.txt", "hello a\n"));
    script.extend(coder_answers("Your task (t2)", "b.txt", "hello b\n"));
    let server = MockLlmServer::start(script);
    let project = TempProject::new();

    let out = code_mesh(
        &project,
        &server,
        &["run", "--plan", "--yes", "-m", "openai/mock", "Greet twice"],
    );

    assert_success(&out);
    let err = stderr_text(&out);
    assert!(err.contains("Plan: Greet in two files."), "{err}");
    assert!(
        err.contains("  1. [ ] t1 Greet in a.txt (files: a.txt)"),
        "{err}"
    );
    assert!(
        err.contains("  2. [ ] t2 Greet in b.txt (files: b.txt)"),
        "{err}"
    );
    assert!(err.contains("[x] t1 Greet in a.txt"), "{err}");
    assert!(err.contains("[x] t2 Greet in b.txt"), "{err}");
    assert_eq!(project.read("a.txt"), "hello a\n");
    assert_eq!(project.read("b.txt"), "hello b\n");
    assert_eq!(planner_requests(&server), 1);
}

#[test]
fn run_no_plan_gives_a_long_request_to_one_coder() {
    let long = format!(
        "Write hello into one.txt, and also keep in mind the files two.txt and three.txt, \
         which {}",
        "should stay exactly as they are for now ".repeat(8)
    );
    let server = MockLlmServer::start(coder_answers("Write hello", "one.txt", "hello\n"));
    let project = TempProject::new();

    let out = code_mesh(
        &project,
        &server,
        &["run", "--no-plan", "--yes", "-m", "openai/mock", &long],
    );

    assert_success(&out);
    assert_eq!(project.read("one.txt"), "hello\n");
    assert_eq!(planner_requests(&server), 0);
    assert_eq!(server.requests().len(), 2);
    assert!(!stderr_text(&out).contains("Plan:"));
}

#[test]
fn run_without_a_mode_does_not_plan_a_small_request() {
    let server = MockLlmServer::start(coder_answers("Say hi", "hi.txt", "hi\n"));
    let project = TempProject::new();

    let out = code_mesh(
        &project,
        &server,
        &["run", "--yes", "-m", "openai/mock", "Say hi in hi.txt"],
    );

    assert_success(&out);
    assert_eq!(project.read("hi.txt"), "hi\n");
    assert_eq!(planner_requests(&server), 0);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn plan_and_no_plan_cannot_be_given_together() {
    let server = MockLlmServer::start([]);
    let project = TempProject::new();
    let out = code_mesh(&project, &server, &["run", "--plan", "--no-plan", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_text(&out).contains("cannot be used with"));
}

#[test]
fn a_bad_role_model_is_named_in_the_error() {
    let server = MockLlmServer::start([]);
    let project = TempProject::new();
    project.write(
        ".code-mesh/config.json",
        r#"{ "agent": { "planner": { "model": "no-slash" } } }"#,
    );
    let out = code_mesh(&project, &server, &["run", "-m", "openai/mock", "hi"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_text(&out);
    assert!(err.contains("agent.planner.model"), "{err}");
    assert!(err.contains("no-slash"), "{err}");
}
