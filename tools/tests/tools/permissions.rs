//! The session's permission rules as the tools meet them: `bash` asks (or
//! is denied) before running, an approver's answers are honoured, `webfetch`
//! is checked, and paths outside the project go to `external_directory`.

use crate::support::{Project, ScriptedApprover, outside};
use code_mesh_runtime::permission::{
    ApprovalDecision, PermissionAction, PermissionGate, PermissionRule, PermissionRules,
};
use code_mesh_runtime::tool::ToolError;
use code_mesh_tools::{EditTool, ReadTool, WebFetchTool, WriteTool};
use serde_json::json;
use std::fs;
use std::rc::Rc;

#[cfg(unix)]
use code_mesh_tools::BashTool;

/// The default rules with `extra` after them (as a config's would be).
fn rules(extra: &[(&str, &str, PermissionAction)]) -> PermissionRules {
    let mut config = PermissionRules::empty();
    for (permission, pattern, action) in extra {
        config.push(PermissionRule::new(permission, pattern, *action));
    }
    PermissionRules::defaults().extended(&config)
}

/// A project under the default rules with `approver` to ask.
fn asking(approver: &Rc<ScriptedApprover>) -> Project {
    Project::with_gate(
        PermissionGate::new(PermissionRules::defaults()).with_approver(approver.clone()),
    )
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn bash_under_the_default_rules_asks_and_without_an_approver_does_not_run() {
    let project = Project::staged();
    let error = project
        .call(&BashTool, json!({ "command": "touch marker" }))
        .await
        .expect_err("refused");
    assert!(matches!(error, ToolError::PermissionDenied(_)), "{error}");
    let message = error.to_string();
    assert!(message.contains("needs a person's approval"), "{message}");
    assert!(message.contains("--yes"), "{message}");
    assert!(!project.exists("marker"), "the command ran");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn bash_runs_read_only_commands_under_the_default_rules() {
    let project = Project::staged();
    project.file("a.txt", "on disk\n");
    let ran = project
        .call(&BashTool, json!({ "command": "cat a.txt" }))
        .await
        .expect("ran");
    assert_eq!(ran.output, "on disk\nexit code 0");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn a_bash_deny_rule_refuses_even_with_yes() {
    let gate = PermissionGate::new(rules(&[("bash", "rm *", PermissionAction::Deny)])).yes(true);
    let project = Project::with_gate(gate);
    project.file("victim.txt", "keep me\n");
    let error = project
        .call(&BashTool, json!({ "command": "echo bye && rm victim.txt" }))
        .await
        .expect_err("denied");
    assert!(matches!(error, ToolError::PermissionDenied(_)), "{error}");
    assert!(error.to_string().contains("denies bash"), "{error}");
    assert_eq!(project.contents("victim.txt"), "keep me\n");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn bash_approved_once_runs_and_asks_again_next_time() {
    let approver = ScriptedApprover::answering(ApprovalDecision::Once);
    let project = asking(&approver);
    for marker in ["one", "two"] {
        project
            .call(
                &BashTool,
                json!({ "command": format!("touch {marker}"), "description": "Make a marker" }),
            )
            .await
            .expect("approved");
        assert!(project.exists(marker));
    }
    let asked = approver.asked();
    assert_eq!(asked.len(), 2);
    assert_eq!(asked[0].permission, "bash");
    assert_eq!(asked[0].pattern, "touch one");
    assert_eq!(asked[0].always, ["touch *"]);
    assert_eq!(asked[0].title, "Run `touch one` (Make a marker)");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn bash_approved_always_is_not_asked_again_for_the_same_command() {
    let approver = ScriptedApprover::answering(ApprovalDecision::Always);
    let project = asking(&approver);
    for marker in ["one", "two"] {
        project
            .call(&BashTool, json!({ "command": format!("touch {marker}") }))
            .await
            .expect("approved");
        assert!(project.exists(marker));
    }
    assert_eq!(approver.asked().len(), 1);
    // Another command is still asked for.
    project
        .call(&BashTool, json!({ "command": "mkdir dir" }))
        .await
        .expect("approved");
    assert_eq!(approver.asked().len(), 2);
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn bash_rejected_does_not_run_and_passes_on_the_persons_words() {
    let approver = ScriptedApprover::answering(ApprovalDecision::Reject {
        message: Some("use cargo check instead".to_string()),
    });
    let project = asking(&approver);
    let error = project
        .call(&BashTool, json!({ "command": "touch marker" }))
        .await
        .expect_err("rejected");
    assert!(matches!(error, ToolError::PermissionDenied(_)), "{error}");
    assert!(
        error.to_string().contains("use cargo check instead"),
        "{error}"
    );
    assert!(!project.exists("marker"), "the command ran");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn bash_output_says_which_staged_files_the_disk_does_not_have_yet() {
    let project = Project::staged();
    project.file("a.txt", "old\n");
    project
        .call(
            &EditTool,
            json!({ "filePath": "a.txt", "oldString": "old", "newString": "new" }),
        )
        .await
        .expect("staged");
    let ran = project
        .call(&BashTool, json!({ "command": "cat a.txt" }))
        .await
        .expect("ran");
    assert_eq!(
        ran.output,
        "old\nexit code 0\n\nNote: this command ran against the files on disk, where the \
         changes to 1 staged file (a.txt) are not written yet; they are written once the \
         person approves them."
    );

    for name in ["b", "c", "d", "e", "f"] {
        project
            .call(
                &WriteTool,
                json!({ "filePath": format!("{name}.txt"), "content": name }),
            )
            .await
            .expect("staged");
    }
    let ran = project
        .call(&BashTool, json!({ "command": "true" }))
        .await
        .expect("ran");
    assert!(
        ran.output.contains(
            "changes to 6 staged files (a.txt, b.txt, c.txt, d.txt, e.txt, and 1 more) are not \
             written yet"
        ),
        "{}",
        ran.output
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn bash_without_staged_changes_adds_no_note() {
    let project = Project::staged();
    let ran = project
        .call(&BashTool, json!({ "command": "echo hi" }))
        .await
        .expect("ran");
    assert_eq!(ran.output, "hi\nexit code 0");
}

#[tokio::test(flavor = "current_thread")]
async fn a_webfetch_deny_rule_refuses_before_fetching() {
    let gate = PermissionGate::new(rules(&[("webfetch", "*", PermissionAction::Deny)]));
    let project = Project::with_gate(gate);
    let error = project
        .call(
            &WebFetchTool,
            json!({ "url": "http://127.0.0.1:9/page", "format": "text" }),
        )
        .await
        .expect_err("denied");
    assert!(matches!(error, ToolError::PermissionDenied(_)), "{error}");
    assert!(error.to_string().contains("webfetch"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn an_external_directory_allow_rule_lets_read_read_a_file_outside() {
    let elsewhere = outside();
    let dir = fs::canonicalize(elsewhere.path()).expect("canonical");
    fs::write(dir.join("notes.txt"), "outside\n").expect("fixture");
    let other = outside();
    fs::write(other.path().join("secret.txt"), "secret\n").expect("fixture");
    let pattern = format!("{}/*", dir.display());
    let gate = PermissionGate::new(rules(&[(
        "external_directory",
        &pattern,
        PermissionAction::Allow,
    )]));
    let project = Project::with_gate(gate);

    let read = project
        .call(&ReadTool, json!({ "filePath": dir.join("notes.txt") }))
        .await
        .expect("allowed");
    assert!(read.output.contains("00001| outside"), "{}", read.output);
    // Any other directory outside is still refused.
    let error = project
        .call(
            &ReadTool,
            json!({ "filePath": other.path().join("secret.txt") }),
        )
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn an_external_directory_ask_rule_asks_about_the_files_directory() {
    let elsewhere = outside();
    let dir = fs::canonicalize(elsewhere.path()).expect("canonical");
    fs::write(dir.join("notes.txt"), "outside\n").expect("fixture");
    let approver = ScriptedApprover::answering(ApprovalDecision::Once);
    let gate = PermissionGate::new(rules(&[("external_directory", "*", PermissionAction::Ask)]))
        .with_approver(approver.clone());
    let project = Project::with_gate(gate);
    // Both temporary directories sit in the same parent: reach it through `..`.
    let name = dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    project
        .call(
            &ReadTool,
            json!({ "filePath": format!("../{name}/notes.txt") }),
        )
        .await
        .expect("approved");
    let asked = approver.asked();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].permission, "external_directory");
    assert_eq!(asked[0].pattern, format!("{}/*", dir.display()));
}

#[tokio::test(flavor = "current_thread")]
async fn git_directories_outside_stay_unwritable_when_outside_paths_are_allowed() {
    let elsewhere = outside();
    let dir = fs::canonicalize(elsewhere.path()).expect("canonical");
    let gate = PermissionGate::new(rules(&[(
        "external_directory",
        "*",
        PermissionAction::Allow,
    )]));
    let project = Project::with_gate(gate);
    let error = project
        .call(
            &WriteTool,
            json!({ "filePath": dir.join(".git/config"), "content": "x" }),
        )
        .await
        .expect_err("denied");
    assert!(matches!(error, ToolError::PermissionDenied(_)), "{error}");
    assert!(error.to_string().contains(".git"), "{error}");
    assert!(!dir.join(".git").exists());
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn bash_workdir_outside_runs_only_where_external_directory_allows() {
    let elsewhere = outside();
    let dir = fs::canonicalize(elsewhere.path()).expect("canonical");
    fs::write(dir.join("there.txt"), "").expect("fixture");
    let project = Project::staged();
    let error = project
        .call(&BashTool, json!({ "command": "ls", "workdir": dir }))
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");

    let pattern = format!("{}/*", dir.display());
    let gate = PermissionGate::new(rules(&[(
        "external_directory",
        &pattern,
        PermissionAction::Allow,
    )]));
    let project = Project::with_gate(gate);
    let ran = project
        .call(&BashTool, json!({ "command": "ls", "workdir": dir }))
        .await
        .expect("allowed");
    assert_eq!(ran.output, "there.txt\nexit code 0");
}
