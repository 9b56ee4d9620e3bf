//! The tools in a session's change set, as the Supervisor runs them under
//! the default rules (`edit: ask`): writing tools stage and leave the disk
//! alone, reading and searching tools see the staged state, and applying
//! the change set writes it all.

use crate::support::Project;
use code_mesh_runtime::permission::{
    PermissionAction, PermissionGate, PermissionRule, PermissionRules,
};
use code_mesh_runtime::tool::ToolError;
use code_mesh_tools::{
    ApplyPatchTool, EditTool, GlobTool, GrepTool, ListTool, MultiEditTool, ReadTool, WriteTool,
};
use serde_json::json;
use std::path::PathBuf;

/// The staged paths, relative to the project root, sorted.
fn staged(project: &Project) -> Vec<(String, bool)> {
    let root = std::fs::canonicalize(project.root()).expect("root");
    let mut paths: Vec<(String, bool)> = project
        .changes()
        .staged_paths()
        .into_iter()
        .map(|(path, exists)| {
            let relative = path.strip_prefix(&root).map(PathBuf::from).unwrap_or(path);
            (relative.display().to_string(), exists)
        })
        .collect();
    paths.sort();
    paths
}

/// A project with `a.txt`, `b.txt` and `c.txt` on disk, in which `a.txt`
/// is edited, `c.txt` deleted and `new/n.txt` created, all staged.
async fn project_with_staged_changes() -> Project {
    let project = Project::staged();
    project
        .file("a.txt", "alpha one\n")
        .file("b.txt", "bravo one\n")
        .file("c.txt", "charlie one\n");
    project
        .call(
            &ApplyPatchTool,
            json!({ "patchText": "*** Begin Patch\n\
                *** Update File: a.txt\n@@\n-alpha one\n+alpha two\n\
                *** Delete File: c.txt\n\
                *** Add File: new/n.txt\n+november one\n\
                *** End Patch" }),
        )
        .await
        .expect("patch");
    project
}

#[tokio::test(flavor = "current_thread")]
async fn write_stages_a_new_file_and_leaves_the_disk_untouched() {
    let project = Project::staged();
    let written = project
        .call(
            &WriteTool,
            json!({ "filePath": "src/new.rs", "content": "fn main() {}\n" }),
        )
        .await
        .expect("write");
    assert_eq!(written.title, "src/new.rs (staged)");
    assert_eq!(written.output, "Created src/new.rs (1 line).");
    assert!(!project.exists("src/new.rs"));
    assert!(!project.exists("src"));
    assert_eq!(staged(&project), [("src/new.rs".to_string(), true)]);
}

#[tokio::test(flavor = "current_thread")]
async fn write_may_overwrite_a_file_it_staged_without_reading_it() {
    let project = Project::staged();
    for content in ["one", "two"] {
        project
            .call(
                &WriteTool,
                json!({ "filePath": "a.txt", "content": content }),
            )
            .await
            .expect("write");
    }
    let read = project.read("a.txt").await;
    assert!(read.output.contains("00001| two"), "{}", read.output);
    assert!(!project.exists("a.txt"));
}

#[tokio::test(flavor = "current_thread")]
async fn edit_stages_and_a_second_edit_builds_on_the_staged_text() {
    let project = Project::staged();
    project.file("a.txt", "one\ntwo\n");
    for (old, new) in [("one", "uno"), ("uno\ntwo", "uno\ndos")] {
        let edited = project
            .call(
                &EditTool,
                json!({ "filePath": "a.txt", "oldString": old, "newString": new }),
            )
            .await
            .expect("edit");
        assert_eq!(edited.title, "a.txt (staged)");
    }
    assert_eq!(project.contents("a.txt"), "one\ntwo\n");
    assert_eq!(
        project
            .changes()
            .diff()
            .lines()
            .filter(|l| l.starts_with('+'))
            .count(),
        3,
        "{}",
        project.changes().diff()
    );
    let read = project.read("a.txt").await;
    assert!(
        read.output.contains("00001| uno\n00002| dos"),
        "{}",
        read.output
    );
}

#[tokio::test(flavor = "current_thread")]
async fn multiedit_stages_all_its_edits_as_one_change() {
    let project = Project::staged();
    project.file("a.txt", "one two three\n");
    let edited = project
        .call(
            &MultiEditTool,
            json!({ "filePath": "a.txt", "edits": [
                { "oldString": "one", "newString": "1" },
                { "oldString": "three", "newString": "3" }
            ] }),
        )
        .await
        .expect("multiedit");
    assert_eq!(edited.title, "a.txt (staged)");
    assert_eq!(project.contents("a.txt"), "one two three\n");
    assert_eq!(staged(&project), [("a.txt".to_string(), true)]);
    let read = project.read("a.txt").await;
    assert!(read.output.contains("00001| 1 two 3"), "{}", read.output);
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_stages_every_file_and_applying_the_change_set_writes_them() {
    let project = Project::staged();
    project
        .file("a.txt", "alpha\n")
        .file("b.txt", "bravo\n")
        .file("c.txt", "charlie\n");
    let patched = project
        .call(
            &ApplyPatchTool,
            json!({ "patchText": "*** Begin Patch\n\
                *** Add File: d.txt\n+delta\n\
                *** Update File: a.txt\n@@\n-alpha\n+ALPHA\n\
                *** Update File: b.txt\n*** Move to: e.txt\n@@\n-bravo\n+echo\n\
                *** Delete File: c.txt\n\
                *** End Patch" }),
        )
        .await
        .expect("patch");
    assert_eq!(patched.title, "4 files (staged)");
    assert!(patched.output.starts_with("Success."), "{}", patched.output);
    assert_eq!(project.contents("a.txt"), "alpha\n");
    assert_eq!(project.contents("b.txt"), "bravo\n");
    assert_eq!(project.contents("c.txt"), "charlie\n");
    assert!(!project.exists("d.txt") && !project.exists("e.txt"));
    assert_eq!(
        staged(&project),
        [
            ("a.txt".to_string(), true),
            ("b.txt".to_string(), false),
            ("c.txt".to_string(), false),
            ("d.txt".to_string(), true),
            ("e.txt".to_string(), true),
        ]
    );

    project.changes().apply().expect("apply");
    assert_eq!(project.contents("a.txt"), "ALPHA\n");
    assert_eq!(project.contents("d.txt"), "delta\n");
    assert_eq!(project.contents("e.txt"), "echo\n");
    assert!(!project.exists("b.txt") && !project.exists("c.txt"));
    assert!(staged(&project).is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn read_sees_staged_content_and_created_files_and_not_deleted_ones() {
    let project = project_with_staged_changes().await;
    let read = project.read("a.txt").await;
    assert!(read.output.contains("00001| alpha two"), "{}", read.output);
    let read = project.read("new/n.txt").await;
    assert!(
        read.output.contains("00001| november one"),
        "{}",
        read.output
    );
    let error = project
        .call(&ReadTool, json!({ "filePath": "c.txt" }))
        .await
        .expect_err("deleted");
    assert!(matches!(error, ToolError::NotFound { .. }), "{error}");
    let message = error.to_string();
    assert!(message.starts_with("File not found: c.txt"), "{message}");
    assert!(!message.contains("\nc.txt"), "not suggested: {message}");
    // Offsets work on staged content as on disk.
    let read = project
        .call(&ReadTool, json!({ "filePath": "a.txt", "offset": 1 }))
        .await
        .expect_err("past the end");
    assert!(read.to_string().contains("has 1 lines"), "{read}");
}

#[tokio::test(flavor = "current_thread")]
async fn grep_searches_staged_content_and_created_files_and_skips_deleted_ones() {
    let project = project_with_staged_changes().await;
    let found = project
        .call(&GrepTool, json!({ "pattern": "one|two" }))
        .await
        .expect("grep");
    assert!(
        found.output.starts_with("Found 3 matches"),
        "{}",
        found.output
    );
    assert!(
        found.output.contains("a.txt:\n  Line 1: alpha two"),
        "{}",
        found.output
    );
    assert!(
        found.output.contains("new/n.txt:\n  Line 1: november one"),
        "{}",
        found.output
    );
    assert!(
        found.output.contains("b.txt:\n  Line 1: bravo one"),
        "{}",
        found.output
    );
    assert!(!found.output.contains("c.txt"), "{}", found.output);
    // Staged files come first: they are newer than anything on disk.
    assert!(
        found.output.find("b.txt") > found.output.find("n.txt"),
        "{}",
        found.output
    );

    let found = project
        .call(
            &GrepTool,
            json!({ "pattern": "one", "path": "new", "include": "*.txt" }),
        )
        .await
        .expect("grep under a staged directory");
    assert_eq!(
        found.output,
        "Found 1 matches\nnew/n.txt:\n  Line 1: november one"
    );
    let found = project
        .call(&GrepTool, json!({ "pattern": "one", "include": "*.rs" }))
        .await
        .expect("grep");
    assert_eq!(found.output, "No files found");
}

#[tokio::test(flavor = "current_thread")]
async fn glob_finds_created_files_and_not_deleted_ones() {
    let project = project_with_staged_changes().await;
    let found = project
        .call(&GlobTool, json!({ "pattern": "**/*.txt" }))
        .await
        .expect("glob");
    let mut paths: Vec<&str> = found.output.lines().collect();
    // The staged ones first, then the disk's, newest first.
    assert_eq!(paths.last(), Some(&"b.txt"), "{}", found.output);
    paths.sort();
    assert_eq!(paths, ["a.txt", "b.txt", "new/n.txt"]);
}

#[tokio::test(flavor = "current_thread")]
async fn list_shows_created_files_in_their_new_directories_and_not_deleted_ones() {
    let project = project_with_staged_changes().await;
    let listed = project.call(&ListTool, json!({})).await.expect("list");
    assert_eq!(listed.output, "./\n  new/\n    n.txt\n  a.txt\n  b.txt");
    let listed = project
        .call(&ListTool, json!({ "path": "new" }))
        .await
        .expect("list a staged directory");
    assert_eq!(listed.output, "new/\n  n.txt");
    let listed = project
        .call(&ListTool, json!({ "ignore": ["new/"] }))
        .await
        .expect("list");
    assert_eq!(listed.output, "./\n  a.txt\n  b.txt");
}

#[tokio::test(flavor = "current_thread")]
async fn an_edit_deny_rule_refuses_and_stages_nothing() {
    let rules = PermissionRules::defaults().extended(&{
        let mut rules = PermissionRules::empty();
        rules.push(PermissionRule::new(
            "edit",
            "secret/*",
            PermissionAction::Deny,
        ));
        rules
    });
    let project = Project::with_gate(PermissionGate::new(rules));
    project
        .file("secret/key.txt", "k\n")
        .file("open.txt", "o\n");
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": "secret/key.txt", "oldString": "k", "newString": "K" }),
        )
        .await
        .expect_err("denied");
    assert!(matches!(error, ToolError::PermissionDenied(_)), "{error}");
    assert!(error.to_string().contains("secret/key.txt"), "{error}");

    // A patch touching it is refused as a whole: the allowed file is not
    // staged either.
    let error = project
        .call(
            &ApplyPatchTool,
            json!({ "patchText": "*** Begin Patch\n\
                *** Update File: open.txt\n@@\n-o\n+O\n\
                *** Update File: secret/key.txt\n@@\n-k\n+K\n\
                *** End Patch" }),
        )
        .await
        .expect_err("denied");
    assert!(matches!(error, ToolError::PermissionDenied(_)), "{error}");
    assert!(staged(&project).is_empty());
    assert_eq!(project.contents("secret/key.txt"), "k\n");
    assert_eq!(project.contents("open.txt"), "o\n");
}
