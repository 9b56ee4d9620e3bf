//! Permissions end to end: a command that needs a person's approval is
//! refused when nobody can give it (no terminal), runs with `--yes`, and a
//! `deny` in the config holds even with `--yes`. The agent is told why and
//! the run goes on.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, TempProject, assert_success, code_mesh_command,
    stderr_text, stdout_text,
};
use serde_json::json;
use std::process::Output;

/// Runs `code-mesh args…` in `project`, isolated, talking to `server`.
fn code_mesh(project: &TempProject, server: &MockLlmServer, args: &[&str]) -> Output {
    code_mesh_command(project)
        .env("OPENAI_BASE_URL", server.base_url())
        .args(args)
        .output()
        .expect("the code-mesh binary runs")
}

/// The model runs `command` once, then answers.
fn bash_script(command: &str) -> Vec<MockResponse> {
    vec![
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_bash",
            "bash",
            json!({"command": command, "description": "Do it"}),
        )]),
        MockResponse::text("Finished."),
    ]
}

#[test]
fn a_command_needing_approval_is_refused_without_a_terminal_and_the_run_goes_on() {
    let server = MockLlmServer::start(bash_script("touch marker.txt"));
    let project = TempProject::new();

    let out = code_mesh(&project, &server, &["run", "make the marker"]);

    assert_success(&out);
    assert!(!project.exists("marker.txt"));
    assert!(stdout_text(&out).contains("Finished."));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let result = requests[1].tool_result("call_bash").unwrap();
    assert!(result.contains("non-interactive"), "{result}");
    assert!(result.contains("--yes"), "{result}");
    let err = stderr_text(&out);
    let refusals: Vec<&str> = err
        .lines()
        .filter(|line| line.contains("`touch marker.txt`"))
        .collect();
    let [refusal] = refusals.as_slice() else {
        panic!("one line about the refusal, not {refusals:?}, in {err}");
    };
    assert!(refusal.starts_with("✗ bash  refused"), "{refusal}");
    assert!(refusal.contains("--yes"), "{refusal}");
    assert!(refusal.contains("permission.bash"), "{refusal}");
}

#[test]
fn json_output_refuses_too_and_shows_the_request_as_an_event() {
    let server = MockLlmServer::start(bash_script("touch marker.txt"));
    let project = TempProject::new();

    let out = code_mesh(&project, &server, &["run", "--format", "json", "make it"]);

    assert_success(&out);
    assert!(!project.exists("marker.txt"));
    let requested = stdout_text(&out)
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|event| event["type"] == "approval_requested")
        .expect("an approval_requested event");
    assert_eq!(requested["permission"], "bash");
    assert_eq!(requested["pattern"], "touch marker.txt");
}

#[test]
fn with_yes_the_command_runs() {
    let server = MockLlmServer::start(bash_script("touch marker.txt"));
    let project = TempProject::new();

    let out = code_mesh(&project, &server, &["run", "--yes", "make the marker"]);

    assert_success(&out);
    assert!(project.exists("marker.txt"));
    let result = server.requests()[1].tool_result("call_bash").unwrap();
    assert!(!result.contains("non-interactive"), "{result}");
}

#[test]
fn a_denied_command_is_refused_even_with_yes() {
    let server = MockLlmServer::start(bash_script("rm victim.txt"));
    let project = TempProject::new();
    project.write("victim.txt", "still here\n").write(
        ".code-mesh/config.json",
        json!({"permission": {"bash": {"rm *": "deny"}}}).to_string(),
    );

    let out = code_mesh(&project, &server, &["run", "--yes", "remove the victim"]);

    assert_success(&out);
    assert_eq!(project.read("victim.txt"), "still here\n");
    let result = server.requests()[1].tool_result("call_bash").unwrap();
    assert!(result.contains("denies"), "{result}");
    assert!(stdout_text(&out).contains("Finished."));
}
