//! `code-mesh run -m anthropic/…` end to end: the built binary, a temporary
//! project, and the mock LLM server speaking Anthropic's Messages API over
//! real sockets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, RecordedRequest, TempProject, code_mesh_command,
    stderr_text, stdout_text,
};
use serde_json::{Value, json};
use std::process::{Command, Output};

/// A `code-mesh` command in `project`, isolated from the user's own config
/// and keys, whose `anthropic` provider talks to `server`.
fn code_mesh(project: &TempProject, server: &MockLlmServer) -> Command {
    let mut cmd = code_mesh_command(project);
    cmd.env("ANTHROPIC_BASE_URL", format!("http://{}", server.addr()))
        .env("ANTHROPIC_API_KEY", "sk-ant-test");
    cmd
}

fn run(cmd: &mut Command, args: &[&str]) -> Output {
    cmd.args(args).output().expect("the code-mesh binary runs")
}

/// Every block of every message of a Messages request, with its role.
fn blocks(request: &RecordedRequest) -> Vec<(String, Value)> {
    request
        .messages()
        .iter()
        .flat_map(|message| {
            let role = message["role"].as_str().unwrap().to_string();
            let content = message["content"].as_array().cloned().unwrap_or_default();
            content.into_iter().map(move |block| (role.clone(), block))
        })
        .collect()
}

/// The text of the `tool_result` block for `tool_use_id`, in a user message.
fn tool_result(request: &RecordedRequest, tool_use_id: &str) -> Option<String> {
    blocks(request)
        .into_iter()
        .find(|(role, block)| {
            role == "user" && block["type"] == "tool_result" && block["tool_use_id"] == tool_use_id
        })
        .map(|(_, block)| block["content"].as_str().unwrap_or_default().to_string())
}

/// The ids of the `tool_use` blocks in assistant messages, in order.
fn tool_use_ids(request: &RecordedRequest) -> Vec<String> {
    blocks(request)
        .into_iter()
        .filter(|(role, block)| role == "assistant" && block["type"] == "tool_use")
        .map(|(_, block)| block["id"].as_str().unwrap().to_string())
        .collect()
}

fn read_edit_answer_script() -> Vec<MockResponse> {
    vec![
        MockResponse::text_then_tool_calls(
            "Let me look at the file.",
            vec![MockToolCall::new(
                "toolu_01Read",
                "read",
                json!({"filePath": "greeting.txt"}),
            )],
        )
        .with_thinking("The greeting is in greeting.txt; read it before editing."),
        MockResponse::tool_calls(vec![MockToolCall::new(
            "toolu_02Edit",
            "edit",
            json!({"filePath": "greeting.txt", "oldString": "world", "newString": "Code Mesh"}),
        )]),
        MockResponse::text("The greeting now says hello to Code Mesh."),
    ]
}

#[test]
fn anthropic_run_reads_edits_and_answers_with_results_and_thinking_sent_back() {
    let server = MockLlmServer::start(read_edit_answer_script());
    let project = TempProject::new();
    project.write("greeting.txt", "Hello, world\n");

    let out = run(
        &mut code_mesh(&project, &server),
        &[
            "run",
            "--yes",
            "-m",
            "anthropic/claude-test",
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

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.path, "/v1/messages");
        assert_eq!(request.header("x-api-key"), Some("sk-ant-test"));
        assert_eq!(request.header("anthropic-version"), Some("2023-06-01"));
        assert_eq!(request.body["model"], "claude-test");
        assert_eq!(request.body["stream"], true);
        assert!(request.body["max_tokens"].as_u64().unwrap() > 0);
        // Prompt caching: the system prompt and the conversation's tail.
        let system = request.body["system"].as_array().unwrap();
        assert_eq!(
            system.last().unwrap()["cache_control"],
            json!({"type": "ephemeral"})
        );
        let (_, last_block) = blocks(request).pop().unwrap();
        assert_eq!(last_block["cache_control"], json!({"type": "ephemeral"}));
    }

    let first = &requests[0];
    let (role, opening) = &blocks(first)[0];
    assert_eq!(role, "user");
    assert!(
        opening["text"]
            .as_str()
            .unwrap()
            .contains("greet Code Mesh")
    );
    let tools: Vec<&str> = first.body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| {
            assert_eq!(tool["input_schema"]["type"], "object", "{tool}");
            tool["name"].as_str().unwrap()
        })
        .collect();
    for name in ["read", "edit"] {
        assert!(tools.contains(&name), "{tools:?}");
    }

    // Each request carries every earlier result under the id of the
    // tool_use block the model opened, in the turn that called it.
    let read = tool_result(&requests[1], "toolu_01Read").expect("read result in request 2");
    assert!(read.contains("Hello, world"), "{read}");
    assert_eq!(tool_use_ids(&requests[1]), ["toolu_01Read"]);
    // The model's thinking goes back unchanged, signature and all, ahead
    // of the text and the call it led to.
    let answer = &requests[1].messages()[1];
    assert_eq!(answer["role"], "assistant");
    assert_eq!(
        answer["content"][0],
        json!({
            "type": "thinking",
            "thinking": "The greeting is in greeting.txt; read it before editing.",
            "signature": "mock-signature-1",
        })
    );
    assert_eq!(answer["content"][1]["type"], "text");
    assert_eq!(answer["content"][2]["type"], "tool_use");
    let last = &requests[2];
    assert!(tool_result(last, "toolu_01Read").is_some());
    assert!(tool_result(last, "toolu_02Edit").is_some());
    assert_eq!(tool_use_ids(last), ["toolu_01Read", "toolu_02Edit"]);
    // Roles alternate, as the Messages API requires.
    let roles: Vec<String> = last
        .messages()
        .iter()
        .map(|m| m["role"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(roles, ["user", "assistant", "user", "assistant", "user"]);
}

#[test]
fn anthropic_without_a_key_is_one_line_naming_the_variable() {
    let server = MockLlmServer::start([]);
    let project = TempProject::new();
    let mut cmd = code_mesh(&project, &server);
    cmd.env_remove("ANTHROPIC_API_KEY")
        .env_remove("ANTHROPIC_BASE_URL");

    let out = run(&mut cmd, &["run", "-m", "anthropic/claude-test", "hello"]);

    assert!(!out.status.success());
    let err = stderr_text(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("ANTHROPIC_API_KEY"), "{err}");
    assert!(server.requests().is_empty());
}

#[test]
fn anthropic_rejecting_the_key_is_a_clear_error_naming_the_variable() {
    let server = MockLlmServer::start([MockResponse::error(401, "invalid x-api-key")]);
    let project = TempProject::new();

    let out = run(
        &mut code_mesh(&project, &server),
        &["run", "-m", "anthropic/claude-test", "hello"],
    );

    assert!(!out.status.success());
    let err = stderr_text(&out);
    assert!(err.contains("401"), "{err}");
    assert!(err.contains("invalid x-api-key"), "{err}");
    assert!(err.contains("ANTHROPIC_API_KEY"), "{err}");
    assert_eq!(server.requests().len(), 1, "a rejected key is not retried");
}
