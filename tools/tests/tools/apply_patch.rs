use crate::support::{Project, outside};
use code_mesh_runtime::tool::{ToolError, ToolOutput};
use code_mesh_tools::ApplyPatchTool;
use serde_json::json;
use std::fs;

async fn apply(project: &Project, patch: &str) -> Result<ToolOutput, ToolError> {
    project
        .call(&ApplyPatchTool, json!({ "patchText": patch }))
        .await
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_adds_updates_moves_and_deletes_files() {
    let project = Project::new();
    project
        .file("src/lib.rs", "pub fn a() {\n    one();\n}\n")
        .file("src/old.rs", "fn old() {}\n")
        .file("obsolete.txt", "bye\n");
    let patch = "*** Begin Patch
*** Add File: docs/notes.md
+# Notes
+
+Some text.
*** Update File: src/lib.rs
@@ pub fn a() {
-    one();
+    two();
 }
*** Update File: src/old.rs
*** Move to: src/new.rs
@@
-fn old() {}
+fn new() {}
*** Delete File: obsolete.txt
*** End Patch";
    let applied = apply(&project, patch).await.expect("apply");
    assert_eq!(project.contents("docs/notes.md"), "# Notes\n\nSome text.\n");
    assert_eq!(
        project.contents("src/lib.rs"),
        "pub fn a() {\n    two();\n}\n"
    );
    assert_eq!(project.contents("src/new.rs"), "fn new() {}\n");
    assert!(!project.path("src/old.rs").exists());
    assert!(!project.path("obsolete.txt").exists());
    assert_eq!(applied.title, "4 files");
    assert!(
        applied.output.starts_with(
            "Success. Updated the following files:\nA docs/notes.md\nM src/lib.rs\nR src/old.rs -> src/new.rs\nD obsolete.txt\n"
        ),
        "{}",
        applied.output
    );
    assert!(
        applied.output.contains("-    one();\n+    two();\n"),
        "{}",
        applied.output
    );
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_accepts_a_heredoc_wrapper() {
    let project = Project::new();
    project.file("a.txt", "old\n");
    for wrapper in ["<<'EOF'", "apply_patch <<\"EOF\"", "<<EOF"] {
        let patch = format!(
            "{wrapper}\n*** Begin Patch\n*** Update File: a.txt\n@@\n-old\n+new\n*** End Patch\nEOF\n"
        );
        apply(&project, &patch).await.expect(wrapper);
        assert_eq!(project.contents("a.txt"), "new\n");
        project.file("a.txt", "old\n");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_tolerates_surrounding_and_trailing_whitespace() {
    let project = Project::new();
    project.file("a.py", "def f():   \n    x = 1\n    return x\n");
    // Context without the file's trailing spaces; markers with stray spaces;
    // the whole patch indented by blank lines.
    let patch = "\n\n  *** Begin Patch  \n*** Update File: a.py \n@@ def f():\n     x = 1\n-    return x\n+    return x + 1\n*** End Patch   \n\n";
    apply(&project, patch).await.expect("apply");
    assert_eq!(
        project.contents("a.py"),
        "def f():   \n    x = 1\n    return x + 1\n"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_applies_several_hunks_to_one_file() {
    let project = Project::new();
    let lines: Vec<String> = (1..=30).map(|n| format!("line {n}")).collect();
    project.file("a.txt", &(lines.join("\n") + "\n"));
    let patch = "*** Begin Patch
*** Update File: a.txt
@@
 line 2
-line 3
+line three
 line 4
@@
 line 19
-line 20
+line twenty
@@
 line 29
-line 30
+line thirty
*** End of File
*** End Patch";
    apply(&project, patch).await.expect("apply");
    let contents = project.contents("a.txt");
    assert!(
        contents.contains("line 2\nline three\nline 4\n"),
        "{contents}"
    );
    assert!(
        contents.contains("line 19\nline twenty\nline 21\n"),
        "{contents}"
    );
    assert!(contents.ends_with("line 29\nline thirty\n"), "{contents}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_patch_whose_second_hunk_fails_writes_nothing_at_all() {
    let project = Project::new();
    project.file("first.txt", "keep\n").file(
        "a.rs",
        "fn a() {\n    one();\n}\n\nfn b() {\n    two();\n}\n",
    );
    let patch = "*** Begin Patch
*** Add File: added.txt
+new file
*** Update File: first.txt
@@
-keep
+changed
*** Update File: a.rs
@@ fn a() {
-    one();
+    uno();
@@ fn b() {
-    three();
+    tres();
*** End Patch";
    let error = apply(&project, patch).await.expect_err("second hunk fails");
    let message = error.to_string();
    assert!(message.contains("wrote nothing"), "{message}");
    assert!(message.contains("a.rs"), "{message}");
    assert!(message.contains("hunk 2 of 2"), "{message}");
    assert!(message.contains("`@@ fn b() {`"), "{message}");
    assert!(message.contains("    |    three();"), "{message}");
    assert!(!project.path("added.txt").exists());
    assert_eq!(project.contents("first.txt"), "keep\n");
    assert_eq!(
        project.contents("a.rs"),
        "fn a() {\n    one();\n}\n\nfn b() {\n    two();\n}\n"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_refuses_a_path_outside_the_project_and_writes_nothing() {
    let project = Project::new();
    let elsewhere = outside();
    let escape = format!(
        "../{}/evil.txt",
        elsewhere.path().file_name().unwrap().to_string_lossy()
    );
    let patch = format!(
        "*** Begin Patch\n*** Add File: inside.txt\n+x\n*** Add File: {escape}\n+evil\n*** End Patch"
    );
    let error = apply(&project, &patch).await.expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
    assert!(!project.path("inside.txt").exists());
    assert!(!elsewhere.path().join("evil.txt").exists());
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_refuses_paths_inside_git_and_writes_nothing() {
    let project = Project::new();
    project
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("a.txt", "a\n");
    let patch = "*** Begin Patch
*** Update File: a.txt
@@
-a
+b
*** Update File: .git/HEAD
@@
-ref: refs/heads/main
+ref: refs/heads/evil
*** End Patch";
    let error = apply(&project, patch).await.expect_err(".git");
    assert!(matches!(error, ToolError::PermissionDenied(_)), "{error}");
    assert_eq!(project.contents("a.txt"), "a\n");
    assert_eq!(project.contents(".git/HEAD"), "ref: refs/heads/main\n");
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_refuses_to_add_an_existing_file() {
    let project = Project::new();
    project.file("a.txt", "mine\n");
    let error = apply(
        &project,
        "*** Begin Patch\n*** Add File: a.txt\n+theirs\n*** End Patch",
    )
    .await
    .expect_err("exists");
    assert!(error.to_string().contains("already exists"), "{error}");
    assert!(
        error.to_string().contains("*** Update File: a.txt"),
        "{error}"
    );
    assert_eq!(project.contents("a.txt"), "mine\n");
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_refuses_to_update_or_delete_a_missing_file() {
    let project = Project::new();
    project.file("src/main.rs", "fn main() {}\n");
    let error = apply(
        &project,
        "*** Begin Patch\n*** Delete File: src/mian.rs\n*** End Patch",
    )
    .await
    .expect_err("missing");
    let message = error.to_string();
    assert!(message.contains("File not found: src/mian.rs"), "{message}");
    assert!(message.contains("src/main.rs"), "{message}");
    let error = apply(
        &project,
        "*** Begin Patch\n*** Update File: nope.rs\n@@\n-a\n+b\n*** End Patch",
    )
    .await
    .expect_err("missing");
    assert!(
        error.to_string().contains("Update File: nope.rs"),
        "{error}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_refuses_to_move_onto_an_existing_file() {
    let project = Project::new();
    project.file("a.txt", "a\n").file("b.txt", "b\n");
    let error = apply(
        &project,
        "*** Begin Patch\n*** Update File: a.txt\n*** Move to: b.txt\n@@\n-a\n+A\n*** End Patch",
    )
    .await
    .expect_err("target exists");
    assert!(
        error.to_string().contains("b.txt already exists"),
        "{error}"
    );
    assert_eq!(project.contents("a.txt"), "a\n");
    assert_eq!(project.contents("b.txt"), "b\n");
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_keeps_crlf_and_bom_of_updated_files() {
    let project = Project::new();
    project.file("win.txt", "\u{feff}one\r\ntwo\r\n");
    apply(
        &project,
        "*** Begin Patch\n*** Update File: win.txt\n@@\n one\n-two\n+2\n*** End Patch",
    )
    .await
    .expect("apply");
    assert_eq!(project.contents("win.txt"), "\u{feff}one\r\n2\r\n");
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_can_change_a_file_it_added_earlier_in_the_patch() {
    let project = Project::new();
    apply(
        &project,
        "*** Begin Patch\n*** Add File: a.txt\n+one\n*** Update File: a.txt\n@@\n-one\n+two\n*** End Patch",
    )
    .await
    .expect("apply");
    assert_eq!(project.contents("a.txt"), "two\n");
}

#[tokio::test(flavor = "current_thread")]
async fn apply_patch_explains_a_malformed_patch() {
    let project = Project::new();
    let error = apply(&project, "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")
        .await
        .expect_err("not the format");
    let message = error.to_string();
    assert!(message.contains("line 1 of the patch"), "{message}");
    assert!(message.contains("*** Begin Patch"), "{message}");
    let error = apply(&project, "*** Begin Patch\n*** Update File: x\n@@\n-a\n")
        .await
        .expect_err("cut short");
    assert!(error.to_string().contains("*** End Patch"), "{error}");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn apply_patch_refuses_a_symlink_pointing_outside() {
    let project = Project::new();
    let elsewhere = outside();
    fs::write(elsewhere.path().join("target.txt"), "outside\n").expect("fixture");
    std::os::unix::fs::symlink(
        elsewhere.path().join("target.txt"),
        project.path("link.txt"),
    )
    .expect("symlink");
    let error = apply(
        &project,
        "*** Begin Patch\n*** Update File: link.txt\n@@\n-outside\n+inside\n*** End Patch",
    )
    .await
    .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
    assert_eq!(
        fs::read_to_string(elsewhere.path().join("target.txt")).expect("read"),
        "outside\n"
    );
}
