//! Reviewing changes end to end: a `run` without `--yes` and without a
//! terminal stages its edits instead of writing them, shows them and saves
//! them; `code-mesh diff`, `apply`, `reject` and `undo` then act on the
//! saved session.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_runtime::protocol::{Event, FileStatus};
use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, TempProject, assert_success, code_mesh_command,
    stderr_text, stdout_text,
};
use serde_json::json;
use std::process::Output;

/// LF with a trailing newline.
const NOTES: &[u8] = b"one\ntwo\n";
/// CRLF line endings and no trailing newline: kept byte for byte throughout.
const WINDOWS: &[u8] = b"alpha\r\nbeta\r\ngamma";

/// Runs `code-mesh args…` in `project`, isolated, talking to `server` when given.
fn code_mesh(project: &TempProject, server: Option<&MockLlmServer>, args: &[&str]) -> Output {
    let mut cmd = code_mesh_command(project);
    if let Some(server) = server {
        cmd.env("OPENAI_BASE_URL", server.base_url());
    }
    cmd.args(args).output().expect("the code-mesh binary runs")
}

/// The model reads both files, edits both, and answers.
fn edit_two_files_script() -> Vec<MockResponse> {
    vec![
        MockResponse::tool_calls(vec![
            MockToolCall::new("call_read_notes", "read", json!({"filePath": "notes.txt"})),
            MockToolCall::new(
                "call_read_windows",
                "read",
                json!({"filePath": "windows.txt"}),
            ),
        ]),
        MockResponse::tool_calls(vec![
            MockToolCall::new(
                "call_edit_notes",
                "edit",
                json!({"filePath": "notes.txt", "oldString": "two", "newString": "TWO"}),
            ),
            MockToolCall::new(
                "call_edit_windows",
                "edit",
                json!({"filePath": "windows.txt", "oldString": "beta", "newString": "BETA"}),
            ),
        ]),
        MockResponse::text("Both files are shouting now."),
    ]
}

fn project_with_two_files() -> TempProject {
    let project = TempProject::new();
    project
        .write("notes.txt", NOTES)
        .write("windows.txt", WINDOWS);
    project
}

fn assert_failure_saying(out: &Output, words: &str) {
    assert_eq!(out.status.code(), Some(1), "stdout: {}", stdout_text(out));
    let err = stderr_text(out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(words), "{err}");
}

/// Asserts that `text` holds both files' diffs.
fn assert_both_diffs(text: &str) {
    assert!(
        text.contains("--- a/notes.txt\n+++ b/notes.txt\n"),
        "{text}"
    );
    assert!(text.contains("-two\n+TWO\n"), "{text}");
    assert!(
        text.contains("--- a/windows.txt\n+++ b/windows.txt\n"),
        "{text}"
    );
    assert!(text.contains("-beta\r\n+BETA\r\n"), "{text}");
}

#[test]
fn unapproved_edits_are_staged_shown_and_saved_then_applied_and_undone_byte_for_byte() {
    let server = MockLlmServer::start(edit_two_files_script());
    let project = project_with_two_files();

    let run = code_mesh(&project, Some(&server), &["run", "shout in both files"]);

    assert_success(&run);
    assert_eq!(project.read_bytes("notes.txt"), NOTES);
    assert_eq!(project.read_bytes("windows.txt"), WINDOWS);
    assert!(stdout_text(&run).contains("Both files are shouting now."));
    assert_both_diffs(&stdout_text(&run));
    let err = stderr_text(&run);
    for line in ["M notes.txt +1 -1", "M windows.txt +1 -1"] {
        assert!(err.lines().any(|l| l == line), "{line:?} in {err}");
    }
    assert!(err.contains("notes.txt (staged)"), "{err}");
    assert!(err.contains("windows.txt (staged)"), "{err}");
    for hint in [
        "code-mesh diff",
        "code-mesh apply",
        "code-mesh reject",
        "-s ",
    ] {
        assert!(err.contains(hint), "{hint:?} in {err}");
    }
    // The agent saw its own edit as done.
    let edited = server.requests()[2]
        .tool_result("call_edit_windows")
        .unwrap();
    assert!(!edited.to_lowercase().contains("error"), "{edited}");

    let diff = code_mesh(&project, None, &["diff"]);
    assert_success(&diff);
    assert_both_diffs(&stdout_text(&diff));
    assert_eq!(project.read_bytes("notes.txt"), NOTES);

    let apply = code_mesh(&project, None, &["apply"]);
    assert_success(&apply);
    assert!(
        stderr_text(&apply).contains("applied notes.txt, windows.txt"),
        "{}",
        stderr_text(&apply)
    );
    assert_eq!(project.read_bytes("notes.txt"), b"one\nTWO\n");
    assert_eq!(project.read_bytes("windows.txt"), b"alpha\r\nBETA\r\ngamma");

    let undo = code_mesh(&project, None, &["undo"]);
    assert_success(&undo);
    assert!(
        stderr_text(&undo).contains("notes.txt, windows.txt"),
        "{}",
        stderr_text(&undo)
    );
    assert_eq!(project.read_bytes("notes.txt"), NOTES);
    assert_eq!(project.read_bytes("windows.txt"), WINDOWS);

    let again = code_mesh(&project, None, &["undo"]);
    assert_failure_saying(&again, "no applied change to undo");
    assert_eq!(project.read_bytes("notes.txt"), NOTES);
}

#[test]
fn a_named_session_is_the_one_acted_on() {
    let server = MockLlmServer::start(edit_two_files_script());
    let project = project_with_two_files();
    let run = code_mesh(
        &project,
        Some(&server),
        &["run", "--format", "json", "shout"],
    );
    assert_success(&run);
    let id = stdout_text(&run)
        .lines()
        .find_map(|line| match serde_json::from_str(line).unwrap() {
            Event::SessionStarted { session_id, .. } => Some(session_id),
            _ => None,
        })
        .unwrap();

    let unknown = code_mesh(&project, None, &["apply", "-s", "no-such-session"]);
    assert_failure_saying(&unknown, "no-such-session");
    let escape = code_mesh(&project, None, &["apply", "-s", "../x"]);
    assert_failure_saying(&escape, "not a session id");

    let apply = code_mesh(&project, None, &["apply", "-s", &id]);
    assert_success(&apply);
    assert_eq!(project.read_bytes("notes.txt"), b"one\nTWO\n");
}

#[test]
fn json_run_prints_the_staged_changes_as_an_event_after_the_turn() {
    let server = MockLlmServer::start(edit_two_files_script());
    let project = project_with_two_files();

    let run = code_mesh(
        &project,
        Some(&server),
        &["run", "--format", "json", "shout"],
    );

    assert_success(&run);
    let events: Vec<Event> = stdout_text(&run)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let staged: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::ChangeStaged { path, written, .. } => Some((path.as_str(), *written)),
            _ => None,
        })
        .collect();
    assert_eq!(staged, [("notes.txt", false), ("windows.txt", false)]);
    let turn_end = events
        .iter()
        .position(|e| matches!(e, Event::TurnComplete { .. }))
        .unwrap();
    let Some(Event::Changes { files, diff }) = events.get(turn_end + 1) else {
        panic!("no changes after the turn: {events:?}");
    };
    assert_eq!(files.len(), 2);
    assert!(files.iter().all(|f| f.status == FileStatus::Modified));
    assert_both_diffs(diff);
    assert_eq!(project.read_bytes("notes.txt"), NOTES);

    let apply = code_mesh(&project, None, &["apply"]);
    assert_success(&apply);
    assert_eq!(project.read_bytes("windows.txt"), b"alpha\r\nBETA\r\ngamma");
}

#[test]
fn rejected_changes_leave_the_disk_untouched_and_leave_nothing_to_apply() {
    let server = MockLlmServer::start(edit_two_files_script());
    let project = project_with_two_files();
    assert_success(&code_mesh(&project, Some(&server), &["run", "shout"]));

    let reject = code_mesh(&project, None, &["reject"]);

    assert_success(&reject);
    assert!(
        stderr_text(&reject).contains("rejected notes.txt, windows.txt"),
        "{}",
        stderr_text(&reject)
    );
    assert_eq!(project.read_bytes("notes.txt"), NOTES);
    assert_eq!(project.read_bytes("windows.txt"), WINDOWS);
    let apply = code_mesh(&project, None, &["apply"]);
    assert_failure_saying(&apply, "nothing to apply");
    assert_eq!(project.read_bytes("notes.txt"), NOTES);
    let diff = code_mesh(&project, None, &["diff"]);
    assert_success(&diff);
    assert!(stdout_text(&diff).is_empty(), "{}", stdout_text(&diff));
}

#[test]
fn applying_over_a_file_changed_since_is_refused_whole() {
    let server = MockLlmServer::start(edit_two_files_script());
    let project = project_with_two_files();
    assert_success(&code_mesh(&project, Some(&server), &["run", "shout"]));
    project.write("windows.txt", "the person's own edit");

    let apply = code_mesh(&project, None, &["apply"]);

    assert_failure_saying(&apply, "changed on disk");
    assert!(stderr_text(&apply).contains("windows.txt"));
    assert_eq!(project.read_bytes("notes.txt"), NOTES);
    assert_eq!(project.read("windows.txt"), "the person's own edit");
}

#[test]
fn with_yes_edits_are_written_at_once_and_can_be_undone() {
    let server = MockLlmServer::start(edit_two_files_script());
    let project = project_with_two_files();

    let run = code_mesh(&project, Some(&server), &["run", "--yes", "shout"]);

    assert_success(&run);
    assert_eq!(project.read_bytes("notes.txt"), b"one\nTWO\n");
    assert_eq!(project.read_bytes("windows.txt"), b"alpha\r\nBETA\r\ngamma");
    let err = stderr_text(&run);
    assert!(err.lines().any(|l| l == "• edit  notes.txt"), "{err}");
    assert!(!err.contains("(staged)"), "{err}");
    assert!(err.contains("code-mesh undo -s "), "{err}");
    assert!(
        !stdout_text(&run).contains("--- a/"),
        "{}",
        stdout_text(&run)
    );

    assert_success(&code_mesh(&project, None, &["undo"]));
    assert_eq!(project.read_bytes("notes.txt"), NOTES);
    assert_eq!(project.read_bytes("windows.txt"), WINDOWS);
}

#[test]
fn without_a_saved_session_the_commands_say_so() {
    let project = TempProject::new();
    for command in ["diff", "apply", "reject", "undo"] {
        let out = code_mesh(&project, None, &[command]);
        assert_failure_saying(&out, "no saved changes");
    }
}
