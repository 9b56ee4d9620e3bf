//! `init`, `status`, `upgrade`, `completions`, the logging flags and the
//! exit codes, end to end: the built binary in a temporary project, checked
//! with `assert_cmd`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, TempProject, code_mesh_command,
};
use serde_json::json;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

/// `code-mesh args…` in `project`, isolated, without a terminal.
fn code_mesh(project: &TempProject, args: &[&str]) -> Command {
    let mut cmd = Command::from_std(code_mesh_command(project));
    cmd.args(args).write_stdin("");
    cmd
}

/// The same, talking to `server`.
fn code_mesh_with(project: &TempProject, server: &MockLlmServer, args: &[&str]) -> Command {
    let mut cmd = code_mesh(project, args);
    cmd.env("OPENAI_BASE_URL", server.base_url());
    cmd
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn init_writes_a_commented_config_and_ignores_local_state_once() {
    let project = TempProject::new();
    project.write(".gitignore", "target/");

    let out = code_mesh(&project, &["init"])
        .assert()
        .success()
        .get_output()
        .clone();

    let config = project.read(".code-mesh/config.json");
    assert!(config.starts_with("//"), "{config}");
    assert!(config.contains("\"compaction\""), "{config}");
    assert_eq!(
        project.read(".gitignore"),
        "target/\n# Code Mesh's local state\n.code-mesh/tool-output/\n"
    );
    let text = stdout(&out);
    assert!(
        text.contains("added .code-mesh/tool-output/ to .gitignore"),
        "{text}"
    );
    // Without a terminal nothing is asked, and the way to get one is named.
    assert!(!project.exists("AGENTS.md"));
    assert!(text.contains("--agents-md"), "{text}");
    // The commented file is read back: status sees the default model.
    let status = code_mesh(&project, &["status"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(
        stdout(&status).contains("openai/gpt-4o"),
        "{}",
        stdout(&status)
    );

    // A second init changes nothing and says why.
    project.write(".code-mesh/config.json", "{ \"model\": \"ollama/mine\" }");
    let again = code_mesh(&project, &["init"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    assert_eq!(
        project.read(".code-mesh/config.json"),
        "{ \"model\": \"ollama/mine\" }"
    );

    // --force rewrites the config; .gitignore keeps one entry.
    code_mesh(&project, &["init", "--force"]).assert().success();
    assert!(project.read(".code-mesh/config.json").starts_with("//"));
    let gitignore = project.read(".gitignore");
    assert_eq!(
        gitignore.matches(".code-mesh/tool-output/").count(),
        1,
        "{gitignore}"
    );
}

#[test]
fn init_agents_md_describes_the_layout_and_keeps_an_existing_file() {
    let project = TempProject::new();
    project
        .write("Cargo.toml", "[package]\nname = \"demo\"\n")
        .write("src/main.rs", "fn main() {}\n");

    code_mesh(&project, &["init", "--agents-md"])
        .assert()
        .success();

    let agents = project.read("AGENTS.md");
    assert!(agents.contains("`src/`"), "{agents}");
    assert!(agents.contains("`Cargo.toml`"), "{agents}");
    assert!(agents.contains("cargo test"), "{agents}");

    project.write("AGENTS.md", "mine\n");
    let out = code_mesh(&project, &["init", "--force", "--agents-md"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(project.read("AGENTS.md"), "mine\n");
    assert!(
        stdout(&out).contains("AGENTS.md exists"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn init_path_sets_up_that_directory() {
    let project = TempProject::new();
    code_mesh(&project, &["init", "sub/app"]).assert().success();
    assert!(project.exists("sub/app/.code-mesh/config.json"));
    assert!(project.exists("sub/app/.gitignore"));
}

#[test]
fn status_shows_the_latest_session_and_its_staged_changes() {
    let server = MockLlmServer::start([
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_edit",
            "edit",
            json!({"filePath": "greeting.txt", "oldString": "world", "newString": "there"}),
        )]),
        MockResponse::text("Changed the greeting."),
    ]);
    let project = TempProject::new();
    project.write("greeting.txt", "Hello, world\n");
    // No terminal and no --yes: the edit is staged and saved, not written.
    code_mesh_with(
        &project,
        &server,
        &["run", "-m", "openai/test-model", "say hello there"],
    )
    .assert()
    .success();
    assert_eq!(project.read("greeting.txt"), "Hello, world\n");

    let out = code_mesh(&project, &["status"])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = stdout(&out);
    assert!(text.contains("say hello there"), "{text}");
    assert!(text.contains("model          openai/test-model"), "{text}");
    assert!(text.contains("M greeting.txt +1 -1"), "{text}");
    assert!(!text.contains("a run is working"), "{text}");
}

#[test]
fn status_without_sessions_says_so() {
    let project = TempProject::new();
    let out = code_mesh(&project, &["status"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(stdout(&out).contains("none yet"), "{}", stdout(&out));
}

#[test]
fn ctrl_c_cancels_a_stalled_run_which_exits_130_and_status_names_it_meanwhile() {
    let server = MockLlmServer::start([MockResponse::stall_after("Thinking about")]);
    let project = TempProject::new();
    let run = code_mesh_command(&project)
        .env("OPENAI_BASE_URL", server.base_url())
        .args(["run", "-m", "openai/test-model", "think"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.requests().is_empty() {
        assert!(Instant::now() < deadline, "the request never came");
        std::thread::sleep(Duration::from_millis(20));
    }

    let status = code_mesh(&project, &["status"])
        .assert()
        .success()
        .get_output()
        .clone();
    let expected = format!("a run is working: pid {}", run.id());
    assert!(stdout(&status).contains(&expected), "{}", stdout(&status));

    let killed = std::process::Command::new("kill")
        .args(["-INT", &run.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = run.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "stderr: {}", stderr(&out));
    assert!(stderr(&out).contains("cancelled"), "{}", stderr(&out));
}

#[test]
fn a_failed_run_exits_1() {
    let server = MockLlmServer::start([
        MockResponse::error(401, "Incorrect API key provided"),
        MockResponse::error(401, "Incorrect API key provided"),
        MockResponse::error(401, "Incorrect API key provided"),
    ]);
    let project = TempProject::new();
    let out = code_mesh_with(&project, &server, &["run", "-m", "openai/test-model", "hi"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(stderr(&out).contains("error"), "{}", stderr(&out));
}

#[test]
fn a_usage_error_exits_2_and_help_lists_the_exit_codes() {
    let project = TempProject::new();
    code_mesh(&project, &["run", "--no-such-flag", "x"])
        .assert()
        .code(2);
    code_mesh(&project, &["no-such-command"]).assert().code(2);
    let help = code_mesh(&project, &["--help"])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = stdout(&help);
    assert!(text.contains("Exit codes:"), "{text}");
    assert!(text.contains("130"), "{text}");
}

#[test]
fn upgrade_names_the_version_and_the_upgrade_commands() {
    let project = TempProject::new();
    let out = code_mesh(&project, &["upgrade"])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = stdout(&out);
    assert!(text.contains(env!("CARGO_PKG_VERSION")), "{text}");
    assert!(text.contains("cargo install --locked --path cli"), "{text}");
    assert!(text.contains("npm i -g code-mesh"), "{text}");
}

#[test]
fn completions_are_printed_for_every_shell() {
    let project = TempProject::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = code_mesh(&project, &["completions", shell])
            .assert()
            .success()
            .get_output()
            .clone();
        let script = stdout(&out);
        assert!(script.contains("code-mesh"), "{shell}: {script}");
        assert!(script.contains("status"), "{shell}: no subcommands");
    }
    code_mesh(&project, &["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn logs_go_to_stderr_only_when_asked() {
    let project = TempProject::new();
    let out = code_mesh(
        &project,
        &["--print-logs", "--log-level", "debug", "status"],
    )
    .assert()
    .success()
    .get_output()
    .clone();
    assert!(stderr(&out).contains("DEBUG"), "{}", stderr(&out));
    assert!(!stdout(&out).contains("DEBUG"), "{}", stdout(&out));

    let quiet = code_mesh(&project, &["status"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
}

#[test]
fn status_shows_the_last_plan_the_log_recorded_and_nothing_when_there_is_none() {
    use code_mesh_runtime::config::project_id;
    use code_mesh_runtime::protocol::{Event, PlanStatus, PlanTaskStatus, TaskId, TaskState};
    use code_mesh_runtime::session::{JsonlSessionStore, SessionRecord, SessionRecorder};

    let project = TempProject::new();
    let store = JsonlSessionStore::new(
        &project.path().join(".code-mesh-home"),
        &project_id(project.path()),
    );
    let writer = store.writer("s1").unwrap();
    writer.record(&SessionRecord::Started {
        session_id: "s1".into(),
        project: project.path().display().to_string(),
        model: "openai/test-model".into(),
        created_ms: 0,
    });
    let before = code_mesh(&project, &["status"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(!stdout(&before).contains("plan"), "{}", stdout(&before));

    let task = |id: &str, n, state| PlanTaskStatus {
        id: id.into(),
        task: TaskId(n),
        description: format!("do {id}"),
        state,
    };
    writer.record(&SessionRecord::Event {
        event: Event::PlanUpdated {
            plan: PlanStatus {
                summary: "Two steps.".into(),
                tasks: vec![
                    task("t1", 2, TaskState::Done),
                    task("t2", 3, TaskState::Running),
                ],
            },
        },
    });
    drop(writer);

    let out = code_mesh(&project, &["status"])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = stdout(&out);
    assert!(text.contains("last plan: Two steps."), "{text}");
    assert!(text.contains("done     t1  do t1"), "{text}");
    assert!(text.contains("running  t2  do t2"), "{text}");
}
