//! Editing a proposed plan at the terminal: `run --plan` on a
//! pseudo-terminal, answered `e`, opens `$EDITOR` on the plan as JSON; a
//! plan the Supervisor refuses is shown and the question asked again; the
//! plan read back is the one that runs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, TempProject, code_mesh_command,
};
use expectrl::{Eof, Expect, Session};
use serde_json::json;
use std::time::Duration;

/// What only the planner's request carries (the request wrapped for it).
const PLANNER_ASKED: &str = "<request>";

/// A coder's two answers to the request containing `asked`: write `file`,
/// then say so.
fn coder_answers(asked: &str, file: &str) -> [MockResponse; 2] {
    [
        MockResponse::tool_calls(vec![MockToolCall::new(
            format!("call_{}", file.replace('.', "_")),
            "write",
            json!({ "filePath": file, "content": "hello\n" }),
        )])
        .when_asked(asked),
        MockResponse::text(format!("Wrote {file}.")).when_asked(asked),
    ]
}

/// The plan of task `id`, writing `file`, after `after`.
fn task(id: &str, file: &str, after: &[&str]) -> serde_json::Value {
    json!({ "id": id, "description": format!("Greet in {file}"), "files": [file], "depends_on": after })
}

/// An editor that, the first time, writes a plan whose t2 waits for itself
/// (refused by the Supervisor), and after that the plan without t3.
fn editor_script(dir: &std::path::Path) -> std::path::PathBuf {
    let cyclic = json!({ "summary": "Greet.", "tasks": [task("t1", "a.txt", &[]), task("t2", "b.txt", &["t2"])] });
    let without_t3 = json!({ "summary": "Greet.", "tasks": [task("t1", "a.txt", &[]), task("t2", "b.txt", &[])] });
    let once = dir.join("edited-once");
    let script = dir.join("editor.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ -e '{once}' ]; then printf '%s' '{without_t3}' > \"$1\"; \
             else touch '{once}'; printf '%s' '{cyclic}' > \"$1\"; fi\n",
            once = once.display(),
        ),
    )
    .unwrap();
    script
}

#[test]
fn an_edited_plan_without_a_task_runs_only_the_tasks_kept() {
    let plan = json!({
        "summary": "Greet in three files.",
        "tasks": [task("t1", "a.txt", &[]), task("t2", "b.txt", &[]), task("t3", "c.txt", &[])]
    });
    let mut script = vec![
        MockResponse::tool_calls(vec![MockToolCall::new("call_plan", "plan", plan)])
            .when_asked(PLANNER_ASKED),
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_review",
            "review",
            json!({ "approved": true, "findings": [] }),
        )])
        .when_asked("Review the staged change"),
    ];
    script.extend(coder_answers("Your task (t1)", "a.txt"));
    script.extend(coder_answers("Your task (t2)", "b.txt"));
    script.extend(coder_answers("Your task (t3)", "c.txt"));
    let server = MockLlmServer::start(script);
    let project = TempProject::new();
    let tools = tempfile::tempdir().unwrap();
    let editor = editor_script(tools.path());

    let mut cmd = code_mesh_command(&project);
    cmd.env("OPENAI_BASE_URL", server.base_url())
        .env("TERM", "xterm")
        .env_remove("VISUAL")
        .env("EDITOR", format!("sh {}", editor.display()))
        .args(["run", "--plan", "-m", "openai/mock", "Greet thrice"]);
    let mut run = Session::spawn(cmd).expect("code-mesh starts on a pseudo-terminal");
    run.set_expect_timeout(Some(Duration::from_secs(30)));

    run.expect("3. [ ] t3 Greet in c.txt").unwrap();
    run.expect("Run this plan? [y]es / [n]o / [e]dit").unwrap();
    run.send_line("e").unwrap();
    run.expect("the edited plan cannot run").unwrap();
    run.expect("Run this plan? [y]es / [n]o / [e]dit").unwrap();
    run.send_line("e").unwrap();
    run.expect("Apply? [a]ll / [p]er file / [n]o").unwrap();
    run.send_line("y").unwrap();
    run.expect(Eof).unwrap();

    assert_eq!(project.read("a.txt"), "hello\n");
    assert_eq!(project.read("b.txt"), "hello\n");
    assert!(!project.exists("c.txt"), "t3 was dropped from the plan");
}
