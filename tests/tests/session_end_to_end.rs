//! Sessions end to end: every run is kept as a JSON-lines log that survives
//! `kill -9`, loads again with damaged lines reported, continues with
//! `run -c`, exports as readable Markdown; one writer per project.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_runtime::protocol::Event;
use code_mesh_runtime::session::SessionRecord;
use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, TempProject, assert_success, code_mesh_command,
    stderr_text, stdout_text,
};
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `code-mesh args…` in `project`, talking to `server` when given.
fn code_mesh(project: &TempProject, server: Option<&MockLlmServer>, args: &[&str]) -> Output {
    let mut cmd = code_mesh_command(project);
    if let Some(server) = server {
        cmd.env("OPENAI_BASE_URL", server.base_url());
    }
    cmd.args(args).output().expect("the code-mesh binary runs")
}

/// Starts `code-mesh args…` in the background.
fn spawn(project: &TempProject, server: &MockLlmServer, args: &[&str]) -> Child {
    code_mesh_command(project)
        .env("OPENAI_BASE_URL", server.base_url())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the code-mesh binary starts")
}

/// The project's session logs (under its `CODE_MESH_HOME`).
fn session_logs(project: &TempProject) -> Vec<PathBuf> {
    let sessions = project.path().join(".code-mesh-home/sessions");
    let Ok(projects) = std::fs::read_dir(sessions) else {
        return Vec::new();
    };
    projects
        .flatten()
        .flat_map(|dir| {
            std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "jsonl"))
        .collect()
}

/// Waits (up to 30 s) until `project` has one session log holding `text`.
fn wait_for_log_with(project: &TempProject, text: &str) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let [log] = session_logs(project).as_slice()
            && std::fs::read_to_string(log).is_ok_and(|t| t.contains(text))
        {
            return log.clone();
        }
        assert!(Instant::now() < deadline, "no session log with {text:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The records of a log, asserting every whole line is a record; a last
/// line without its newline (torn by the kill) is left out.
fn whole_records(log: &PathBuf) -> Vec<SessionRecord> {
    let text = std::fs::read_to_string(log).unwrap();
    let whole = &text[..text.rfind('\n').map_or(0, |i| i + 1)];
    whole
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn session_id(records: &[SessionRecord]) -> String {
    match &records[0] {
        SessionRecord::Started { session_id, .. } => session_id.clone(),
        other => panic!("the first record is {other:?}"),
    }
}

fn edit_notes() -> MockResponse {
    MockResponse::tool_calls(vec![MockToolCall::new(
        "call_edit",
        "edit",
        json!({"filePath": "notes.txt", "oldString": "two", "newString": "TWO"}),
    )])
}

#[test]
fn a_run_killed_mid_answer_keeps_its_records_and_its_applied_change_undoable_then_continues() {
    let server =
        MockLlmServer::start([edit_notes(), MockResponse::stall_after("Thinking about it")]);
    let project = TempProject::new();
    project.write("notes.txt", "one\ntwo\n");

    let mut run = spawn(&project, &server, &["run", "--yes", "shout in notes"]);
    let log = wait_for_log_with(&project, "\"tool_call_end\"");
    // The model is now stalled on the second request.
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.requests().len() < 2 {
        assert!(Instant::now() < deadline, "the second request never came");
        std::thread::sleep(Duration::from_millis(20));
    }
    run.kill().unwrap(); // SIGKILL
    run.wait().unwrap();

    let records = whole_records(&log);
    let id = session_id(&records);
    assert!(records.iter().any(|r| matches!(
        r,
        SessionRecord::Event {
            event: Event::ChangeStaged { written: true, .. }
        }
    )));
    assert_eq!(project.read("notes.txt"), "one\nTWO\n");

    // The dead run's lock is taken over; the change it wrote is undone.
    let undo = code_mesh(&project, None, &["undo"]);
    assert_success(&undo);
    assert_eq!(project.read("notes.txt"), "one\ntwo\n");

    let list = code_mesh(&project, None, &["sessions", "list"]);
    assert_success(&list);
    assert!(stdout_text(&list).contains(&id), "{}", stdout_text(&list));
    assert!(stdout_text(&list).contains("shout in notes"));

    // `run -c` goes on in the same session, in the same log.
    let next = MockLlmServer::start([MockResponse::text("Carrying on.")]);
    let again = code_mesh(
        &project,
        Some(&next),
        &["run", "-c", "--format", "json", "go on"],
    );
    assert_success(&again);
    let started =
        stdout_text(&again)
            .lines()
            .find_map(|line| match serde_json::from_str(line).unwrap() {
                Event::SessionStarted { session_id, .. } => Some(session_id),
                _ => None,
            });
    assert_eq!(started.as_deref(), Some(id.as_str()));
    let after = code_mesh(
        &project,
        None,
        &["sessions", "export", &id, "--format", "json"],
    );
    assert_success(&after);
    let records: Vec<SessionRecord> = serde_json::from_str(&stdout_text(&after)).unwrap();
    let starts = records
        .iter()
        .filter(|r| matches!(r, SessionRecord::Started { .. }))
        .count();
    assert_eq!(starts, 1);
    assert!(stdout_text(&after).contains("Carrying on."));
    assert_eq!(session_logs(&project).len(), 1);
}

/// A finished session's log, for tests that damage it.
fn finished_session(project: &TempProject) -> (String, PathBuf) {
    let server = MockLlmServer::start([MockResponse::text("Done.")]);
    assert_success(&code_mesh(project, Some(&server), &["run", "say done"]));
    let log = wait_for_log_with(project, "turn_complete");
    let id = session_id(&whole_records(&log));
    (id, log)
}

#[test]
fn a_torn_last_line_and_a_corrupt_middle_line_load_with_warnings_naming_file_and_line() {
    let project = TempProject::new();
    let (id, log) = finished_session(&project);
    let text = std::fs::read_to_string(&log).unwrap();
    let lines = text.lines().count();

    std::fs::write(&log, format!("{text}{{\"kind\":\"mess")).unwrap();
    let show = code_mesh(&project, None, &["sessions", "show", &id]);
    assert_success(&show);
    let name = log.file_name().unwrap().to_str().unwrap();
    let expected = format!("{name}:{}", lines + 1);
    assert!(
        stderr_text(&show).contains(&expected),
        "{expected} in {}",
        stderr_text(&show)
    );
    assert!(
        stdout_text(&show).contains("Done."),
        "{}",
        stdout_text(&show)
    );

    let mut damaged: Vec<&str> = text.lines().collect();
    damaged.insert(1, "{not json");
    std::fs::write(&log, damaged.join("\n") + "\n").unwrap();
    let show = code_mesh(&project, None, &["sessions", "show", &id]);
    assert_success(&show);
    assert!(
        stderr_text(&show).contains(&format!("{name}:2")),
        "{}",
        stderr_text(&show)
    );
    assert!(stdout_text(&show).contains("Done."));
}

#[test]
fn an_exported_session_reads_as_markdown_with_request_tool_calls_answer_and_diff() {
    let server = MockLlmServer::start([
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_read",
            "read",
            json!({"filePath": "notes.txt"}),
        )]),
        edit_notes(),
        MockResponse::text("Shouted."),
    ]);
    let project = TempProject::new();
    project.write("notes.txt", "one\ntwo\n");
    assert_success(&code_mesh(
        &project,
        Some(&server),
        &["run", "shout in notes"],
    ));
    let log = wait_for_log_with(&project, "turn_complete");
    let id = session_id(&whole_records(&log));

    let export = code_mesh(&project, None, &["sessions", "export", &id]);
    assert_success(&export);
    let md = stdout_text(&export);
    for part in [
        "# shout in notes",
        "## Request\n\nshout in notes",
        "### Tool call `read`",
        "\"filePath\": \"notes.txt\"",
        "### Tool call `edit`",
        "Result:",
        "Staged `notes.txt`",
        "## Answer\n\nShouted.",
        "## Changes",
        "```diff",
        "-two\n+TWO",
    ] {
        assert!(md.contains(part), "{part:?} in\n{md}");
    }
}

#[test]
fn a_second_run_in_the_same_project_is_refused_naming_the_first_ones_pid() {
    let server = MockLlmServer::start([MockResponse::stall_after("Thinking")]);
    let project = TempProject::new();
    let mut first = spawn(&project, &server, &["run", "think"]);
    wait_for_log_with(&project, "\"started\"");

    let second = code_mesh(&project, Some(&server), &["run", "also think"]);
    // Reading the sessions needs no lock.
    let list = code_mesh(&project, None, &["sessions", "list"]);
    first.kill().unwrap();
    first.wait().unwrap();

    assert_eq!(second.status.code(), Some(1));
    let err = stderr_text(&second);
    assert!(err.contains(&format!("pid {}", first.id())), "{err}");
    assert!(err.contains("sessions list"), "{err}");
    assert_success(&list);
}

#[test]
fn a_continued_session_sends_the_model_the_conversation_so_far() {
    let project = TempProject::new();
    let server = MockLlmServer::start([
        MockResponse::text("The answer is 42."),
        MockResponse::text("You asked about the answer."),
    ]);
    assert_success(&code_mesh(
        &project,
        Some(&server),
        &["run", "-m", "openai/mock", "What is the answer?"],
    ));
    assert_success(&code_mesh(
        &project,
        Some(&server),
        &["run", "-c", "-m", "openai/mock", "What did I ask?"],
    ));

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let first = requests[0].body["messages"].as_array().unwrap().clone();
    let second = requests[1].body["messages"].as_array().unwrap().clone();
    // Exactly the first conversation, then the first answer and the new request.
    assert_eq!(second[..first.len()], first[..]);
    assert_eq!(second[first.len()]["role"], "assistant");
    assert_eq!(second[first.len()]["content"], "The answer is 42.");
    assert_eq!(second[first.len() + 1]["role"], "user");
    assert!(
        second[first.len() + 1]["content"]
            .as_str()
            .unwrap()
            .contains("What did I ask?")
    );
    assert_eq!(second.len(), first.len() + 2);

    // The log holds the messages, so `sessions list` counts them.
    let listed = code_mesh(&project, None, &["sessions", "list"]);
    assert_success(&listed);
    let table = stdout_text(&listed);
    assert!(table.contains("What is the answer?"), "{table}");
}

#[test]
fn with_history_on_each_run_is_appended_to_the_projects_history_log() {
    let project = TempProject::new();
    project.write(".code-mesh/config.json", r#"{ "history": true }"#);
    project.write("notes.txt", "one\n");
    let server = MockLlmServer::start([
        MockResponse::tool_calls(vec![MockToolCall::new(
            "c1",
            "read",
            json!({ "filePath": "notes.txt" }),
        )]),
        MockResponse::text("It says one."),
        MockResponse::text("Still one."),
    ]);
    for prompt in ["What do the notes say?", "And now?"] {
        assert_success(&code_mesh(
            &project,
            Some(&server),
            &["run", "-m", "openai/mock", prompt],
        ));
    }
    let log = project.read(".code-mesh/history.md");
    for text in [
        "What do the notes say?",
        "### Tool call `read`: notes.txt",
        "It says one.",
        "And now?",
        "Still one.",
    ] {
        assert!(log.contains(text), "{text} not in\n{log}");
    }
    assert_eq!(
        log.matches("\n---\n").count() + usize::from(log.starts_with("---")),
        2
    );
}
