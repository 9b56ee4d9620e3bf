use crate::support::Project;
use code_mesh_tools::MultiEditTool;
use serde_json::json;

#[tokio::test(flavor = "current_thread")]
async fn multiedit_applies_edits_in_order_on_the_text_in_memory() {
    let project = Project::new();
    project.file("a.rs", "let a = 1;\nlet b = 2;\n");
    let edited = project
        .call(
            &MultiEditTool,
            json!({
                "filePath": "a.rs",
                "edits": [
                    { "oldString": "let a = 1;", "newString": "let a = 10;" },
                    // Sees the first edit's result.
                    { "oldString": "a = 10", "newString": "alpha = 10" },
                    { "oldString": "let", "newString": "const", "replaceAll": true }
                ]
            }),
        )
        .await
        .expect("multiedit");
    assert_eq!(
        project.contents("a.rs"),
        "const alpha = 10;\nconst b = 2;\n"
    );
    assert!(
        edited.output.starts_with(
            "Edited a.rs with 3 edits:\n1. 1 replacement\n2. 1 replacement\n3. 2 replacements\n"
        ),
        "{}",
        edited.output
    );
    assert!(
        edited.output.contains("+const alpha = 10;"),
        "{}",
        edited.output
    );
}

#[tokio::test(flavor = "current_thread")]
async fn multiedit_writes_nothing_when_a_later_edit_fails_and_names_it() {
    let project = Project::new();
    let original = "one\ntwo\nthree\n";
    project.file("a.txt", original);
    let error = project
        .call(
            &MultiEditTool,
            json!({
                "filePath": "a.txt",
                "edits": [
                    { "oldString": "one", "newString": "1" },
                    { "oldString": "two", "newString": "2" },
                    { "oldString": "four", "newString": "4" }
                ]
            }),
        )
        .await
        .expect_err("third edit fails");
    let message = error.to_string();
    assert!(
        message.contains("edit 3 of 3 (edits[2]) failed"),
        "{message}"
    );
    assert!(message.contains("not found"), "{message}");
    assert!(
        message.contains("none of the edits was applied"),
        "{message}"
    );
    assert_eq!(project.contents("a.txt"), original);
}

#[tokio::test(flavor = "current_thread")]
async fn multiedit_refuses_identical_strings_in_any_edit_without_writing() {
    let project = Project::new();
    project.file("a.txt", "x\nx\n");
    let error = project
        .call(
            &MultiEditTool,
            json!({
                "filePath": "a.txt",
                "edits": [
                    { "oldString": "x\nx", "newString": "y\nx" },
                    { "oldString": "same", "newString": "same" }
                ]
            }),
        )
        .await
        .expect_err("identical strings");
    assert!(error.to_string().contains("edits[1]"), "{error}");
    assert!(error.to_string().contains("identical"), "{error}");
    assert_eq!(project.contents("a.txt"), "x\nx\n");
}

#[tokio::test(flavor = "current_thread")]
async fn multiedit_creates_a_file_with_an_empty_first_old_string() {
    let project = Project::new();
    let edited = project
        .call(
            &MultiEditTool,
            json!({
                "filePath": "src/new.rs",
                "edits": [
                    { "oldString": "", "newString": "fn main() {\n    todo!();\n}\n" },
                    { "oldString": "todo!();", "newString": "println!(\"$1\");" }
                ]
            }),
        )
        .await
        .expect("create");
    assert_eq!(
        project.contents("src/new.rs"),
        "fn main() {\n    println!(\"$1\");\n}\n"
    );
    assert!(
        edited
            .output
            .starts_with("Created src/new.rs with 2 edits:\n1. created the file\n")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn multiedit_keeps_crlf_and_reports_fuzzy_matches() {
    let project = Project::new();
    project.file("win.txt", "a\r\n    b\r\nc\r\n");
    let edited = project
        .call(
            &MultiEditTool,
            json!({
                "filePath": "win.txt",
                "edits": [
                    { "oldString": "a\n", "newString": "A\n" },
                    { "oldString": "  b  ", "newString": "    B" }
                ]
            }),
        )
        .await
        .expect("multiedit");
    assert_eq!(project.contents("win.txt"), "A\r\n    B\r\nc\r\n");
    assert!(
        edited
            .output
            .contains("2. 1 replacement; matched by the line-trimmed"),
        "{}",
        edited.output
    );
}

#[tokio::test(flavor = "current_thread")]
async fn multiedit_of_a_missing_file_is_not_found() {
    let project = Project::new();
    let error = project
        .call(
            &MultiEditTool,
            json!({ "filePath": "nope.txt", "edits": [{ "oldString": "a", "newString": "b" }] }),
        )
        .await
        .expect_err("missing");
    assert!(
        error.to_string().contains("File not found: nope.txt"),
        "{error}"
    );
    assert!(!project.path("nope.txt").exists());
}

#[tokio::test(flavor = "current_thread")]
async fn multiedit_refuses_paths_inside_git() {
    let project = Project::new();
    project.file(".git/config", "[core]\n");
    let error = project
        .call(
            &MultiEditTool,
            json!({ "filePath": ".git/config", "edits": [{ "oldString": "core", "newString": "x" }] }),
        )
        .await
        .expect_err("inside .git");
    assert!(error.to_string().contains(".git"), "{error}");
    assert_eq!(project.contents(".git/config"), "[core]\n");
}
