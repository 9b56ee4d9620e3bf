use crate::support::Project;
use code_mesh_runtime::tool::ToolError;
use code_mesh_tools::EditTool;
use serde_json::json;

#[tokio::test(flavor = "current_thread")]
async fn edit_replaces_the_one_match_and_shows_a_diff() {
    let project = Project::new();
    project.file("src/lib.rs", "fn a() {}\nfn b() {}\nfn c() {}\n");
    let edited = project
        .call(
            &EditTool,
            json!({ "filePath": "src/lib.rs", "oldString": "fn b() {}", "newString": "fn bee() {}" }),
        )
        .await
        .expect("edit");
    assert_eq!(
        project.contents("src/lib.rs"),
        "fn a() {}\nfn bee() {}\nfn c() {}\n"
    );
    assert_eq!(edited.title, "src/lib.rs");
    assert!(
        edited
            .output
            .starts_with("Edited src/lib.rs (1 replacement).")
    );
    assert!(
        edited
            .output
            .contains("--- a/src/lib.rs\n+++ b/src/lib.rs\n")
    );
    assert!(
        edited.output.contains("-fn b() {}\n+fn bee() {}\n"),
        "{}",
        edited.output
    );
}

#[tokio::test(flavor = "current_thread")]
async fn edit_with_several_matches_asks_for_context() {
    let project = Project::new();
    project.file("a.txt", "x = 1\nx = 1\n");
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": "a.txt", "oldString": "x = 1", "newString": "x = 2" }),
        )
        .await
        .expect_err("ambiguous");
    let message = error.to_string();
    assert!(message.contains("matches 2 places"), "{message}");
    assert!(message.contains("more surrounding lines"), "{message}");
    assert!(message.contains("replaceAll"), "{message}");
    assert_eq!(project.contents("a.txt"), "x = 1\nx = 1\n");
}

#[tokio::test(flavor = "current_thread")]
async fn edit_with_replace_all_changes_every_occurrence() {
    let project = Project::new();
    project.file("a.txt", "x = 1\nx = 1\n");
    let edited = project
        .call(
            &EditTool,
            json!({ "filePath": "a.txt", "oldString": "x", "newString": "y", "replaceAll": true }),
        )
        .await
        .expect("edit");
    assert_eq!(project.contents("a.txt"), "y = 1\ny = 1\n");
    assert!(edited.output.starts_with("Edited a.txt (2 replacements)."));
}

#[tokio::test(flavor = "current_thread")]
async fn edit_of_missing_text_tells_the_model_to_read_again() {
    let project = Project::new();
    project.file("a.txt", "    indented\n");
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": "a.txt", "oldString": "\tindented", "newString": "x" }),
        )
        .await
        .expect_err("not found");
    let message = error.to_string();
    assert!(message.contains("not found in a.txt"), "{message}");
    assert!(message.contains("Read the file again"), "{message}");
}

#[tokio::test(flavor = "current_thread")]
async fn edit_with_identical_strings_is_refused() {
    let project = Project::new();
    project.file("a.txt", "same\n");
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": "a.txt", "oldString": "same", "newString": "same" }),
        )
        .await
        .expect_err("identical");
    assert!(error.to_string().contains("identical"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn edit_with_empty_old_string_creates_the_file() {
    let project = Project::new();
    let edited = project
        .call(
            &EditTool,
            json!({ "filePath": "new/file.md", "oldString": "", "newString": "# Title\n" }),
        )
        .await
        .expect("create");
    assert_eq!(project.contents("new/file.md"), "# Title\n");
    assert!(edited.output.starts_with("Created new/file.md (1 line)."));
    assert!(edited.output.contains("+# Title\n"));
}

#[tokio::test(flavor = "current_thread")]
async fn edit_with_empty_old_string_refuses_a_non_empty_file() {
    let project = Project::new();
    project.file("a.txt", "keep me\n");
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": "a.txt", "oldString": "", "newString": "x" }),
        )
        .await
        .expect_err("exists");
    assert!(
        error
            .to_string()
            .contains("already exists and is not empty"),
        "{error}"
    );
    assert_eq!(project.contents("a.txt"), "keep me\n");
}

#[tokio::test(flavor = "current_thread")]
async fn edit_inserts_dollar_signs_literally() {
    let project = Project::new();
    project.file("a.sh", "echo NAME\n");
    project
        .call(
            &EditTool,
            json!({ "filePath": "a.sh", "oldString": "NAME", "newString": "$1 $& $$ ${HOME}" }),
        )
        .await
        .expect("edit");
    assert_eq!(project.contents("a.sh"), "echo $1 $& $$ ${HOME}\n");
}

#[tokio::test(flavor = "current_thread")]
async fn edit_keeps_crlf_line_endings() {
    let project = Project::new();
    project.file("win.txt", "one\r\ntwo\r\nthree\r\n");
    project
        .call(
            &EditTool,
            json!({ "filePath": "win.txt", "oldString": "one\ntwo", "newString": "one\n2\nmore" }),
        )
        .await
        .expect("edit");
    assert_eq!(project.contents("win.txt"), "one\r\n2\r\nmore\r\nthree\r\n");
}

#[tokio::test(flavor = "current_thread")]
async fn edit_of_missing_file_is_not_found() {
    let project = Project::new();
    project.file("src/main.rs", "");
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": "src/mian.rs", "oldString": "a", "newString": "b" }),
        )
        .await
        .expect_err("missing");
    assert!(matches!(error, ToolError::NotFound { .. }), "{error}");
    assert!(error.to_string().contains("src/main.rs"), "{error}");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn edit_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new();
    project.file("run.sh", "echo a\n");
    let path = project.path("run.sh");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    project
        .call(
            &EditTool,
            json!({ "filePath": "run.sh", "oldString": "a", "newString": "b" }),
        )
        .await
        .expect("edit");
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
}
