//! What `run` sends as the request: the prompt, files attached with `-f`,
//! and input piped on stdin — end to end with the built binary, checked
//! with `assert_cmd`, against the mock LLM server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use code_mesh_test_support::{MockLlmServer, MockResponse, TempProject, code_mesh_command};

/// `code-mesh run -m openai/mock args…` in `project`, talking to `server`,
/// with `stdin` piped in.
fn run(project: &TempProject, server: &MockLlmServer, args: &[&str], stdin: &str) -> Command {
    let mut cmd = Command::from_std(code_mesh_command(project));
    cmd.env("OPENAI_BASE_URL", server.base_url())
        .args(["run", "-m", "openai/mock"])
        .args(args)
        .write_stdin(stdin);
    cmd
}

/// The user message of the server's only request.
fn asked(server: &MockLlmServer) -> String {
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let messages = requests[0].body["messages"].as_array().unwrap().clone();
    let user = messages.iter().rev().find(|m| m["role"] == "user").unwrap();
    user["content"].as_str().unwrap().to_string()
}

#[test]
fn attached_files_and_piped_input_follow_the_prompt() {
    let project = TempProject::new();
    project.write("src/lib.rs", "pub fn answer() -> u32 { 41 }\n");
    let server = MockLlmServer::start([MockResponse::text("Looks fine.")]);

    run(
        &project,
        &server,
        &["review", "this", "-f", "src/lib.rs"],
        "diff --git a b\n+x\n",
    )
    .assert()
    .success();

    let user = asked(&server);
    assert!(user.starts_with("review this"), "{user}");
    assert!(
        user.contains("<file path=\"src/lib.rs\">\npub fn answer() -> u32 { 41 }\n"),
        "{user}"
    );
    assert!(
        user.contains("<stdin>\ndiff --git a b\n+x\n</stdin>"),
        "{user}"
    );
}

#[test]
fn piped_input_alone_is_the_request() {
    let project = TempProject::new();
    let server = MockLlmServer::start([MockResponse::text("Hi.")]);
    run(&project, &server, &[], "say hi\n").assert().success();
    assert!(asked(&server).contains("say hi"));
}

#[test]
fn nothing_to_ask_or_a_missing_attachment_is_a_clear_error() {
    let project = TempProject::new();
    let server = MockLlmServer::start([]);
    let out = run(&project, &server, &[], "")
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nothing to ask"), "{err}");

    let out = run(&project, &server, &["x", "-f", "missing.rs"], "")
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot attach missing.rs"), "{err}");
    assert!(server.requests().is_empty());
}
