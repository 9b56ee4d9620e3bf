//! Every subcommand and every `run` flag, each run once through the built
//! binary with `assert_cmd` (against the mock LLM server where a model is
//! needed). The behaviour behind each is pinned in depth by the other
//! end-to-end files; this one checks that each is wired and answers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, TempProject, code_mesh_command,
};
use serde_json::json;

/// `code-mesh args…` in `project`, isolated, no terminal, empty stdin.
fn code_mesh(project: &TempProject, args: &[&str]) -> Command {
    let mut cmd = Command::from_std(code_mesh_command(project));
    cmd.args(args).write_stdin("");
    cmd
}

/// The same, talking to `server` with a key set.
fn with(server: &MockLlmServer, project: &TempProject, args: &[&str]) -> Command {
    let mut cmd = code_mesh(project, args);
    cmd.env("OPENAI_BASE_URL", server.base_url())
        .env("OPENAI_API_KEY", "sk-test");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A model that edits notes.txt (after reading it), then answers.
fn editing_model() -> MockLlmServer {
    MockLlmServer::start([
        MockResponse::tool_calls(vec![MockToolCall::new(
            "c1",
            "edit",
            json!({ "filePath": "notes.txt", "oldString": "one", "newString": "ONE" }),
        )]),
        MockResponse::text("Done."),
    ])
}

#[test]
fn run_and_its_flags() {
    let project = TempProject::new();
    project.write("notes.txt", "one\n");

    // -m, staged without --yes, then diff / reject / apply / undo with -s.
    let server = editing_model();
    let out = with(&server, &project, &["run", "-m", "openai/mock", "shout"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(text(&out.stdout).contains("+ONE"));
    assert_eq!(project.read("notes.txt"), "one\n");
    let stderr = text(&out.stderr);
    let id = stderr
        .split("-s ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    code_mesh(&project, &["diff", "-s", &id])
        .assert()
        .success()
        .stdout(predicates::str::contains("+ONE"));
    code_mesh(&project, &["apply", "-s", &id])
        .assert()
        .success();
    assert_eq!(project.read("notes.txt"), "ONE\n");
    code_mesh(&project, &["undo", "-s", &id]).assert().success();
    assert_eq!(project.read("notes.txt"), "one\n");
    code_mesh(&project, &["reject", "-s", &id])
        .assert()
        .failure();

    // -c and -s continue; --format json prints only JSON lines.
    let server = MockLlmServer::start([MockResponse::text("Again."), MockResponse::text("More.")]);
    let out = with(
        &server,
        &project,
        &[
            "run",
            "-c",
            "--format",
            "json",
            "-m",
            "openai/mock",
            "again",
        ],
    )
    .assert()
    .success()
    .get_output()
    .clone();
    for line in text(&out.stdout).lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
    with(
        &server,
        &project,
        &["run", "-s", &id, "-m", "openai/mock", "more"],
    )
    .assert()
    .success();

    // --yes writes at once; --no-plan and --agent pick the single coder.
    let server = editing_model();
    with(
        &server,
        &project,
        &["run", "--yes", "--no-plan", "-m", "openai/mock", "shout"],
    )
    .assert()
    .success();
    assert_eq!(project.read("notes.txt"), "ONE\n");
    let server = MockLlmServer::start([MockResponse::text("Coded.")]);
    with(
        &server,
        &project,
        &["run", "--agent", "coder", "-m", "openai/mock", "hi"],
    )
    .assert()
    .success()
    .stdout(predicates::str::contains("Coded."));
    with(
        &server,
        &project,
        &["run", "--agent", "poet", "-m", "openai/mock", "hi"],
    )
    .assert()
    .failure()
    .stderr(predicates::str::contains("poet"));

    // --plan asks the planner; -f and stdin attach material.
    let server = MockLlmServer::start([MockResponse::text("Not a plan.")]);
    let out = with(
        &server,
        &project,
        &["run", "--plan", "-m", "openai/mock", "plan it"],
    )
    .assert()
    .get_output()
    .clone();
    assert!(
        server.requests()[0].body["tools"][0]["function"]["name"] == "plan",
        "{out:?}"
    );
    let server = MockLlmServer::start([MockResponse::text("Read it.")]);
    let mut cmd = with(
        &server,
        &project,
        &["run", "-f", "notes.txt", "-m", "openai/mock", "see"],
    );
    cmd.write_stdin("piped\n").assert().success();
    let asked = server.requests()[0].body.to_string();
    assert!(
        asked.contains("notes.txt") && asked.contains("piped"),
        "{asked}"
    );
}

#[test]
fn sessions_auth_models_and_the_rest() {
    let project = TempProject::new();
    let server = MockLlmServer::start([MockResponse::text("Hello.")]);
    with(&server, &project, &["run", "-m", "openai/mock", "greet me"])
        .assert()
        .success();

    let listed = code_mesh(&project, &["sessions", "list"])
        .assert()
        .success()
        .get_output()
        .clone();
    let listed = text(&listed.stdout);
    let id = listed
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    code_mesh(&project, &["sessions", "show", &id])
        .assert()
        .success()
        .stdout(predicates::str::contains("greet me"));
    code_mesh(&project, &["sessions", "export", &id, "--format", "json"])
        .assert()
        .success()
        .stdout(predicates::str::contains("\"kind\""));
    code_mesh(&project, &["sessions", "delete", &id])
        .assert()
        .success();
    code_mesh(&project, &["sessions", "show", &id])
        .assert()
        .failure();

    let mut login = code_mesh(&project, &["auth", "login", "--provider", "openai"]);
    login.write_stdin("sk-matrix-key\n").assert().success();
    code_mesh(&project, &["auth", "list"])
        .assert()
        .success()
        .stdout(predicates::str::contains("openai"));
    code_mesh(&project, &["auth", "logout", "openai"])
        .assert()
        .success();
    code_mesh(&project, &["models", "openai"])
        .assert()
        .success()
        .stdout(predicates::str::contains("openai/gpt-4o"));
    code_mesh(&project, &["status"]).assert().success();
    code_mesh(&project, &["upgrade"]).assert().success();
    code_mesh(&project, &["completions", "bash"])
        .assert()
        .success();
    code_mesh(&project, &["init", "--force"]).assert().success();
    code_mesh(&project, &["--log-level", "debug", "status"])
        .assert()
        .success();
    code_mesh(&project, &["--print-logs", "upgrade"])
        .assert()
        .success();
    code_mesh(&project, &["--version"])
        .assert()
        .success()
        .stdout(predicates::str::contains("code-mesh"));
    code_mesh(&project, &["--help"])
        .assert()
        .success()
        .stdout(predicates::str::contains("130"));
    code_mesh(&project, &["run", "--plan", "--no-plan", "x"])
        .assert()
        .code(2);
}

#[test]
fn without_a_terminal_there_are_no_escape_codes_even_without_no_color() {
    let project = TempProject::new();
    project.write("notes.txt", "one\n");
    let server = editing_model();
    let out = with(&server, &project, &["run", "-m", "openai/mock", "shout"])
        .env_remove("NO_COLOR")
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(text(&out.stdout).contains("+ONE"));
    assert!(!out.stdout.contains(&0x1b), "{}", text(&out.stdout));
    assert!(!out.stderr.contains(&0x1b), "{}", text(&out.stderr));
}
