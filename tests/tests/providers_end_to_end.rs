//! Local and custom OpenAI-compatible providers through the built binary:
//! `-m ollama/<model>` and a provider declared only in the config reach the
//! mock server at the base URL the config gives them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, TempProject, code_mesh_command,
};
use serde_json::json;
use std::process::Output;

/// Runs `code-mesh` in `project` with no keys or base URLs from the environment.
fn code_mesh(project: &TempProject, args: &[&str]) -> Output {
    code_mesh_command(project)
        .env_remove("GATEWAY_API_KEY")
        .args(args)
        .output()
        .expect("the code-mesh binary runs")
}

fn edit_script() -> Vec<MockResponse> {
    vec![
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_edit",
            "edit",
            json!({"filePath": "notes.txt", "oldString": "draft", "newString": "final"}),
        )]),
        MockResponse::text("Marked the notes final."),
    ]
}

#[test]
fn ollama_model_reaches_the_base_url_from_the_config_without_a_key() {
    let server = MockLlmServer::start(edit_script());
    let project = TempProject::new();
    project.write("notes.txt", "draft\n");
    project.write(
        ".code-mesh/config.json",
        json!({"provider": {"ollama": {"baseURL": server.base_url()}}}).to_string(),
    );

    let out = code_mesh(
        &project,
        &[
            "run",
            "--yes",
            "-m",
            "ollama/qwen2.5-coder:7b",
            "finish the notes",
        ],
    );

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(project.read("notes.txt"), "final\n");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body["model"], "qwen2.5-coder:7b");
    assert_eq!(requests[0].header("authorization"), None);
}

#[test]
fn custom_provider_from_the_config_sends_its_key_and_headers() {
    let server = MockLlmServer::start(edit_script());
    let project = TempProject::new();
    project.write("notes.txt", "draft\n");
    project.write(
        ".code-mesh/config.json",
        json!({
            "model": "gateway/team-model",
            "provider": {"gateway": {
                "baseURL": server.base_url(),
                "apiKey": "gw-secret",
                "headers": {"X-Team": "core"}
            }}
        })
        .to_string(),
    );

    let out = code_mesh(&project, &["run", "--yes", "finish the notes"]);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Marked the notes final."));
    let requests = server.requests();
    assert_eq!(requests[0].body["model"], "team-model");
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer gw-secret")
    );
    assert_eq!(requests[0].header("x-team"), Some("core"));
}

#[test]
fn unknown_provider_is_a_one_line_error_listing_the_known_ones() {
    let project = TempProject::new();

    let out = code_mesh(&project, &["run", "-m", "nowhere/model", "hi"]);

    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    for known in ["anthropic", "ollama", "openai"] {
        assert!(err.contains(known), "{err}");
    }
}
