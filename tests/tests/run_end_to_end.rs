//! `code-mesh run` end to end: the built binary, a temporary project, and the
//! mock LLM server over real sockets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_runtime::protocol::Event;
use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, RecordedRequest, TempProject, code_mesh_command,
    stderr_text, stdout_text,
};
use serde_json::json;
use std::process::{Command, Output};

/// A `code-mesh` command in `project`, isolated from the user's own config and
/// keys, talking to `base_url`.
fn code_mesh(project: &TempProject, base_url: &str) -> Command {
    let mut cmd = code_mesh_command(project);
    cmd.env("OPENAI_BASE_URL", base_url);
    cmd
}

fn run(cmd: &mut Command, args: &[&str]) -> Output {
    cmd.args(args).output().expect("the code-mesh binary runs")
}

/// The content of the tool result for `call_id` in a recorded request.
fn tool_result(request: &RecordedRequest, call_id: &str) -> Option<String> {
    request.tool_result(call_id)
}

fn read_edit_bash_script() -> Vec<MockResponse> {
    vec![
        MockResponse::text_then_tool_calls(
            "Let me look at the file.",
            vec![MockToolCall::new(
                "call_read",
                "read",
                json!({"filePath": "greeting.txt"}),
            )],
        ),
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_edit",
            "edit",
            json!({"filePath": "greeting.txt", "oldString": "world", "newString": "Code Mesh"}),
        )]),
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_bash",
            "bash",
            json!({"command": "cat greeting.txt", "description": "Show the greeting"}),
        )]),
        MockResponse::text("The greeting now says hello to Code Mesh."),
    ]
}

#[test]
fn run_reads_edits_runs_a_command_and_answers() {
    let server = MockLlmServer::start(read_edit_bash_script());
    let project = TempProject::new();
    project.write("greeting.txt", "Hello, world\n");

    let out = run(
        &mut code_mesh(&project, &server.base_url()),
        &[
            "run",
            "--yes",
            "-m",
            "openai/test-model",
            "greet Code Mesh instead of the world",
        ],
    );

    assert!(out.status.success(), "stderr: {}", stderr_text(&out));
    assert_eq!(project.read("greeting.txt"), "Hello, Code Mesh\n");
    let text = stdout_text(&out);
    assert!(text.contains("Let me look at the file."), "{text}");
    assert!(
        text.contains("The greeting now says hello to Code Mesh."),
        "{text}"
    );
    assert!(
        stderr_text(&out).contains("read  greeting.txt"),
        "{}",
        stderr_text(&out)
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert!(requests.iter().all(|r| r.body["model"] == "test-model"));
    let first = &requests[0];
    assert_eq!(first.messages()[0]["role"], "system");
    assert!(
        first.messages()[1]["content"]
            .as_str()
            .unwrap()
            .contains("greet Code Mesh")
    );
    let tool_names: Vec<_> = first.body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap().to_string())
        .collect();
    for name in ["read", "write", "edit", "bash"] {
        assert!(tool_names.iter().any(|n| n == name), "{tool_names:?}");
    }

    // Each request carries every earlier tool result under its call's id.
    let read = tool_result(&requests[1], "call_read").expect("read result in request 2");
    assert!(read.contains("Hello, world"), "{read}");
    assert!(tool_result(&requests[2], "call_edit").is_some());
    let last = &requests[3];
    assert!(tool_result(last, "call_read").is_some());
    assert!(tool_result(last, "call_edit").is_some());
    let bash = tool_result(last, "call_bash").expect("bash result in request 4");
    assert!(bash.contains("Hello, Code Mesh"), "{bash}");
    // The assistant turn that made each call precedes its result.
    let assistant_ids: Vec<_> = last
        .messages()
        .iter()
        .filter(|m| m["role"] == "assistant")
        .flat_map(|m| m["tool_calls"].as_array().cloned().unwrap_or_default())
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(assistant_ids, ["call_read", "call_edit", "call_bash"]);
}

#[test]
fn json_format_prints_every_event_in_order() {
    let server = MockLlmServer::start(read_edit_bash_script());
    let project = TempProject::new();
    project.write("greeting.txt", "Hello, world\n");

    let out = run(
        &mut code_mesh(&project, &server.base_url()),
        &["run", "--yes", "--format", "json", "greet Code Mesh"],
    );

    assert!(out.status.success(), "stderr: {}", stderr_text(&out));
    let events: Vec<Event> = stdout_text(&out)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert!(matches!(events.first(), Some(Event::SessionStarted { .. })));
    assert!(matches!(
        events.last(),
        Some(Event::TurnComplete {
            status: code_mesh_runtime::protocol::TurnStatus::Completed,
            ..
        })
    ));
    let position = |pred: &dyn Fn(&Event) -> bool| events.iter().position(pred).unwrap();
    let begin_edit =
        position(&|e| matches!(e, Event::ToolCallBegin { tool, .. } if tool == "edit"));
    let end_edit = position(&|e| matches!(e, Event::ToolCallEnd { tool, .. } if tool == "edit"));
    let finished = position(&|e| matches!(e, Event::TaskFinished { .. }));
    assert!(begin_edit < end_edit && end_edit < finished);
    let streamed: String = events
        .iter()
        .filter_map(|e| match e {
            Event::AgentMessageDelta { delta, .. } => Some(delta.as_str()),
            _ => None,
        })
        .collect();
    assert!(streamed.ends_with("The greeting now says hello to Code Mesh."));
    assert!(events.iter().any(|e| matches!(e, Event::Usage { .. })));
}

#[test]
fn missing_api_key_is_one_line_naming_the_variable() {
    let project = TempProject::new();
    let mut cmd = code_mesh(&project, "unused");
    cmd.env_remove("OPENAI_BASE_URL");

    let out = run(&mut cmd, &["run", "hello"]);

    assert!(!out.status.success());
    let err = stderr_text(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("OPENAI_API_KEY"), "{err}");
}

#[test]
fn unauthorized_server_is_a_clear_error() {
    let server = MockLlmServer::start([MockResponse::error(401, "Incorrect API key provided")]);
    let project = TempProject::new();

    let out = run(
        code_mesh(&project, &server.base_url()).env("OPENAI_API_KEY", "sk-wrong"),
        &["run", "hello"],
    );

    assert!(!out.status.success());
    let err = stderr_text(&out);
    assert!(err.contains("401"), "{err}");
    assert!(err.contains("Incorrect API key provided"), "{err}");
    assert!(err.contains("OPENAI_API_KEY"), "{err}");
    assert_eq!(server.requests().len(), 1, "a rejected key is not retried");
}

#[test]
fn unreachable_server_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let project = TempProject::new();
    let url = format!("http://127.0.0.1:{port}/v1");

    let out = run(&mut code_mesh(&project, &url), &["run", "hello"]);

    assert!(!out.status.success());
    let err = stderr_text(&out);
    assert!(err.contains("cannot reach"), "{err}");
    assert!(err.contains(&url), "{err}");
}

#[test]
fn malformed_tool_arguments_go_back_to_the_model_and_the_loop_goes_on() {
    let server = MockLlmServer::start([
        MockResponse::tool_calls(vec![MockToolCall::raw(
            "call_bad",
            "read",
            r#"{"filePath": "a.txt""#,
        )]),
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_unknown",
            "teleport",
            json!({"to": "mars"}),
        )]),
        MockResponse::text("Recovered."),
    ]);
    let project = TempProject::new();

    let out = run(&mut code_mesh(&project, &server.base_url()), &["run", "go"]);

    assert!(out.status.success(), "stderr: {}", stderr_text(&out));
    assert!(stdout_text(&out).contains("Recovered."));
    let requests = server.requests();
    let bad = tool_result(&requests[1], "call_bad").unwrap();
    assert!(bad.contains("not valid JSON"), "{bad}");
    let unknown = tool_result(&requests[2], "call_unknown").unwrap();
    assert!(unknown.contains("unknown tool `teleport`"), "{unknown}");
    assert!(unknown.contains("read"), "{unknown}");
}

#[test]
fn path_outside_the_project_is_refused_and_the_loop_goes_on() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "top secret").unwrap();
    let secret = outside.path().join("secret.txt").display().to_string();
    let server = MockLlmServer::start([
        MockResponse::tool_calls(vec![
            MockToolCall::new("call_abs", "read", json!({"filePath": secret})),
            MockToolCall::new(
                "call_write",
                "write",
                json!({"filePath": "../escape.txt", "content": "x"}),
            ),
        ]),
        MockResponse::text("I may not touch that."),
    ]);
    let project = TempProject::new();

    let out = run(
        &mut code_mesh(&project, &server.base_url()),
        &["run", "peek"],
    );

    assert!(out.status.success(), "stderr: {}", stderr_text(&out));
    let requests = server.requests();
    let read = tool_result(&requests[1], "call_abs").unwrap();
    assert!(read.contains("outside the project"), "{read}");
    assert!(!read.contains("top secret"));
    let write = tool_result(&requests[1], "call_write").unwrap();
    assert!(write.contains("outside the project"), "{write}");
    assert!(!project.path().parent().unwrap().join("escape.txt").exists());
    assert!(
        stderr_text(&out).contains("✗ read"),
        "{}",
        stderr_text(&out)
    );
}

#[test]
fn malformed_config_is_a_clear_error() {
    let project = TempProject::new();
    project.write(".code-mesh/config.json", "{ \"model\": \"openai/x\",, }");

    let out = run(
        &mut code_mesh(&project, "http://127.0.0.1:9/v1"),
        &["run", "hi"],
    );

    assert!(!out.status.success());
    let err = stderr_text(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(".code-mesh/config.json"), "{err}");
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn configured_step_limit_stops_the_coder_after_that_many_requests() {
    let read = |id: &str, offset: u32| {
        MockResponse::tool_calls(vec![MockToolCall::new(
            id,
            "read",
            json!({"filePath": "greeting.txt", "offset": offset}),
        )])
    };
    let server = MockLlmServer::start([read("call_1", 0), read("call_2", 1), read("call_3", 0)]);
    let project = TempProject::new();
    project.write("greeting.txt", "Hello, world\nBye\n").write(
        ".code-mesh/config.json",
        r#"{"agent":{"coder":{"steps":2}}}"#,
    );

    let out = run(
        code_mesh(&project, &server.base_url()).env("OPENAI_API_KEY", "sk-test"),
        &["run", "read the greeting"],
    );

    assert!(!out.status.success());
    assert_eq!(server.requests().len(), 2);
    let err = stderr_text(&out);
    assert!(err.contains("stopped after 2 model requests"), "{err}");
}
