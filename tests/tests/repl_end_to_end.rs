//! The interactive mode end to end, through a pseudo-terminal: a request
//! typed at the prompt is answered as it streams, its tool calls shown one
//! line each (`/tools` shows them in full), its diff approved at the
//! prompt and written; `/undo` puts the file back; Ctrl-D leaves.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, TempProject, code_mesh_command,
};
use expectrl::session::OsSession;
use expectrl::{ControlCode, Eof, Expect, Session};
use serde_json::json;
use std::time::Duration;

const NOTES: &str = "one\ntwo\n";

fn shout_script() -> Vec<MockResponse> {
    vec![
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_read",
            "read",
            json!({"filePath": "notes.txt"}),
        )]),
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_edit",
            "edit",
            json!({"filePath": "notes.txt", "oldString": "two", "newString": "TWO"}),
        )]),
        MockResponse::text("Shouting now."),
    ]
}

/// `code-mesh` with no command in `project`, on a pseudo-terminal.
fn interactive(project: &TempProject, server: &MockLlmServer) -> OsSession {
    interactive_with(project, server, |_| {})
}

/// [`interactive`], with the command changed by `adjust` first.
fn interactive_with(
    project: &TempProject,
    server: &MockLlmServer,
    adjust: impl FnOnce(&mut std::process::Command),
) -> OsSession {
    let mut cmd = code_mesh_command(project);
    cmd.env("OPENAI_BASE_URL", server.base_url())
        .env("TERM", "xterm");
    adjust(&mut cmd);
    let mut session = Session::spawn(cmd).expect("code-mesh starts on a pseudo-terminal");
    session.set_expect_timeout(Some(Duration::from_secs(30)));
    session
}

#[test]
fn a_request_is_answered_approved_at_the_prompt_and_undone_with_a_slash_command() {
    let server = MockLlmServer::start(shout_script());
    let project = TempProject::new();
    project.write("notes.txt", NOTES);
    let mut repl = interactive(&project, &server);

    repl.expect("session ").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("shout in notes.txt").unwrap();
    repl.expect("• read").unwrap();
    repl.expect("notes.txt (staged)").unwrap();
    repl.expect("Shouting now.").unwrap();
    repl.expect("+TWO").unwrap();
    repl.expect("Apply? [a]ll / [p]er file / [n]o").unwrap();
    assert_eq!(
        project.read("notes.txt"),
        NOTES,
        "nothing written before the answer"
    );
    repl.send_line("a").unwrap();
    repl.expect("applied notes.txt").unwrap();
    repl.expect("> ").unwrap();
    assert_eq!(project.read("notes.txt"), "one\nTWO\n");

    repl.send_line("/files").unwrap();
    repl.expect("applied  notes.txt").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("/undo").unwrap();
    repl.expect("undid the changes to notes.txt").unwrap();
    repl.expect("> ").unwrap();
    assert_eq!(project.read("notes.txt"), NOTES);

    repl.send_line("/history").unwrap();
    repl.expect("1  shout in notes.txt").unwrap();
    repl.expect("> ").unwrap();
    // The last turn's tool calls, and one's output as the model saw it.
    repl.send_line("/tools").unwrap();
    repl.expect("1  read   ok     notes.txt").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("/tools 1").unwrap();
    repl.expect("00002| two").unwrap();
    repl.expect("> ").unwrap();
    // The prompt's history is kept per project.
    let history = std::fs::read_dir(project.path().join(".code-mesh-home/history"))
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect::<String>();
    assert!(history.contains("shout in notes.txt"), "{history}");
    repl.send(ControlCode::EndOfTransmission).unwrap();
    repl.expect(Eof).unwrap();
    let status = repl.get_process().wait().unwrap();
    assert!(
        format!("{status:?}").contains("Exited(") && format!("{status:?}").ends_with(", 0)"),
        "{status:?}"
    );
}

#[test]
fn per_file_approval_writes_only_the_chosen_files_and_keeps_the_rest_staged() {
    let server = MockLlmServer::start(vec![
        MockResponse::tool_calls(vec![
            MockToolCall::new("r1", "read", json!({"filePath": "a.txt"})),
            MockToolCall::new("r2", "read", json!({"filePath": "b.txt"})),
        ]),
        MockResponse::tool_calls(vec![
            MockToolCall::new(
                "e1",
                "edit",
                json!({"filePath": "a.txt", "oldString": "a", "newString": "A"}),
            ),
            MockToolCall::new(
                "e2",
                "edit",
                json!({"filePath": "b.txt", "oldString": "b", "newString": "B"}),
            ),
        ]),
        MockResponse::text("Both done."),
    ]);
    let project = TempProject::new();
    project.write("a.txt", "a\n").write("b.txt", "b\n");
    let mut repl = interactive(&project, &server);

    repl.expect("> ").unwrap();
    repl.send_line("capitalise both").unwrap();
    repl.expect("Apply? [a]ll / [p]er file / [n]o").unwrap();
    repl.send_line("p").unwrap();
    repl.expect("Apply a.txt (+1 -1)? [y/N]").unwrap();
    repl.send_line("y").unwrap();
    repl.expect("Apply b.txt (+1 -1)? [y/N]").unwrap();
    repl.send_line("n").unwrap();
    repl.expect("applied a.txt").unwrap();
    repl.expect("> ").unwrap();
    assert_eq!(project.read("a.txt"), "A\n");
    assert_eq!(project.read("b.txt"), "b\n");

    repl.send_line("/files").unwrap();
    repl.expect("staged   b.txt").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("/reject").unwrap();
    repl.expect("rejected b.txt").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("/exit").unwrap();
    repl.expect(Eof).unwrap();
    assert_eq!(project.read("b.txt"), "b\n");
}

#[test]
fn ctrl_c_cancels_the_running_turn_and_the_prompt_comes_back() {
    let server = MockLlmServer::start(vec![
        MockResponse::stall_after("Thinking hard about this, for a long long while."),
        MockResponse::text("Back again."),
    ]);
    let project = TempProject::new();
    let mut repl = interactive(&project, &server);

    repl.expect("> ").unwrap();
    repl.send_line("think forever").unwrap();
    repl.expect("Thinking hard").unwrap(); // half the text, then nothing
    repl.send(ControlCode::EndOfText).unwrap();
    repl.expect("cancel").unwrap();
    repl.expect("> ").unwrap();
    // A line ending in `\` goes on on the next.
    repl.send_line("are you\\").unwrap();
    repl.expect("… ").unwrap();
    repl.send_line("there").unwrap();
    repl.expect("Back again.").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("/history").unwrap();
    repl.expect("2  are you ⏎ there").unwrap();
    repl.expect("> ").unwrap();
    // Give the line editor time to take the terminal (raw mode): a Ctrl-C
    // typed before that is a signal, not a key, and the prompt never sees it.
    std::thread::sleep(Duration::from_millis(300));
    repl.send(ControlCode::EndOfText).unwrap();
    repl.expect("Ctrl-C again").unwrap();
    repl.expect("> ").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    repl.send(ControlCode::EndOfText).unwrap();
    repl.expect(Eof).unwrap();
}

#[test]
fn on_a_terminal_without_no_color_the_diff_is_colored_and_a_spinner_shows_while_waiting() {
    let server = MockLlmServer::start(
        shout_script()
            .into_iter()
            .map(|response| response.with_delay(Duration::from_millis(400)))
            .collect::<Vec<_>>(),
    );
    let project = TempProject::new();
    project.write("notes.txt", NOTES);
    let mut repl = interactive_with(&project, &server, |cmd| {
        cmd.env_remove("NO_COLOR");
    });

    repl.expect("> ").unwrap();
    repl.send_line("shout in notes.txt").unwrap();
    repl.expect("thinking").unwrap();
    repl.expect("\u{1b}[32m+TWO\u{1b}[0m").unwrap();
    repl.expect("Apply?").unwrap();
    repl.send_line("n").unwrap();
    repl.expect("Kept staged").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("/exit").unwrap();
    repl.expect(Eof).unwrap();
    assert_eq!(project.read("notes.txt"), NOTES);
}

#[test]
fn switching_the_model_keeps_the_staged_changes_and_asks_the_new_model_next() {
    let mut script = shout_script();
    script.push(MockResponse::text("Hello from the other model."));
    let server = MockLlmServer::start(script);
    let project = TempProject::new();
    project.write("notes.txt", NOTES);
    let mut repl = interactive(&project, &server);

    repl.expect("> ").unwrap();
    repl.send_line("shout in notes.txt").unwrap();
    repl.expect("Apply?").unwrap();
    repl.send_line("n").unwrap();
    repl.expect("Kept staged").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("/model openai/gpt-4o-mini").unwrap();
    repl.expect("Model: openai/gpt-4o-mini").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("/diff").unwrap();
    repl.expect("+TWO").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("/plan").unwrap();
    repl.expect("plan> ").unwrap();
    repl.send_line("/new").unwrap();
    repl.expect("New session").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("/diff").unwrap();
    repl.expect("Nothing is staged.").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("hello").unwrap();
    repl.expect("Hello from the other model.").unwrap();
    repl.expect("> ").unwrap();
    repl.send_line("/sessions").unwrap();
    // Both sessions are in the store, newest first, each titled by its request.
    repl.expect("(this one)").unwrap();
    repl.expect("shout in notes.txt").unwrap();
    repl.send_line("/exit").unwrap();
    repl.expect(Eof).unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].body["model"], "gpt-4o");
    assert_eq!(requests.last().unwrap().body["model"], "gpt-4o-mini");
    assert_eq!(project.read("notes.txt"), NOTES);
}
