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
            json!({ "filePath": "a.txt", "oldString": "\tdedented", "newString": "x" }),
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

/// Calls edit and returns its output, panicking on failure.
async fn edit(project: &Project, file: &str, old: &str, new: &str) -> String {
    project
        .call(
            &EditTool,
            json!({ "filePath": file, "oldString": old, "newString": new }),
        )
        .await
        .expect("edit")
        .output
}

#[tokio::test(flavor = "current_thread")]
async fn edit_with_replace_all_replaces_all_three_foos() {
    let project = Project::new();
    project.file("a.txt", "foo bar foo baz foo");
    let edited = project
        .call(
            &EditTool,
            json!({ "filePath": "a.txt", "oldString": "foo", "newString": "qux", "replaceAll": true }),
        )
        .await
        .expect("edit");
    assert_eq!(project.contents("a.txt"), "qux bar qux baz qux");
    assert!(edited.output.starts_with("Edited a.txt (3 replacements)."));
}

#[tokio::test(flavor = "current_thread")]
async fn edit_with_an_ambiguous_fuzzy_match_changes_nothing() {
    let project = Project::new();
    let original = "fn a() {\n    go();  \n}\nfn b() {\n  go();\n}\n";
    project.file("a.rs", original);
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": "a.rs", "oldString": "  go();\t", "newString": "stop();" }),
        )
        .await
        .expect_err("ambiguous");
    let message = error.to_string();
    assert!(message.contains("matches 2 places"), "{message}");
    assert!(message.contains("line-trimmed"), "{message}");
    assert!(message.contains("replaceAll"), "{message}");
    assert_eq!(project.contents("a.rs"), original);
}

#[tokio::test(flavor = "current_thread")]
async fn edit_keeps_crlf_line_endings_through_a_fuzzy_match() {
    let project = Project::new();
    project.file("win.txt", "if x {\r\n        go();\r\n}\r\n");
    let output = edit(&project, "win.txt", "    go();  \n", "    stop();\n").await;
    assert!(output.contains("line-trimmed"), "{output}");
    assert_eq!(
        project.contents("win.txt"),
        "if x {\r\n    stop();\r\n}\r\n"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn edit_keeps_a_byte_order_mark() {
    let project = Project::new();
    project.file("bom.txt", "\u{feff}first\r\nsecond\r\n");
    edit(&project, "bom.txt", "first\nsecond", "first\nthird").await;
    assert_eq!(project.contents("bom.txt"), "\u{feff}first\r\nthird\r\n");
}

#[tokio::test(flavor = "current_thread")]
async fn edit_applies_an_indentation_shifted_old_string_and_reindents_the_new_one() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "impl A {\n    fn f(&self) {\n        if ok {\n            run();\n        }\n    }\n}\n",
    );
    let output = edit(
        &project,
        "src/lib.rs",
        "if ok {\n    run();\n}",
        "if ok {\n    run();\n    log();\n}",
    )
    .await;
    assert!(output.contains("indentation-flexible"), "{output}");
    assert_eq!(
        project.contents("src/lib.rs"),
        "impl A {\n    fn f(&self) {\n        if ok {\n            run();\n            log();\n        }\n    }\n}\n"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn edit_matches_lines_that_differ_only_in_surrounding_whitespace() {
    let project = Project::new();
    project.file("a.py", "def f():\n    return 1   \n");
    let output = edit(
        &project,
        "a.py",
        "def f():\n  return 1",
        "def f():\n    return 2",
    )
    .await;
    assert!(output.contains("line-trimmed"), "{output}");
    assert_eq!(project.contents("a.py"), "def f():\n    return 2\n");
}

#[tokio::test(flavor = "current_thread")]
async fn edit_matches_a_block_by_its_anchors_when_the_middle_is_similar() {
    let project = Project::new();
    project.file(
        "a.rs",
        "fn total(items: &[u32]) -> u32 {\n    let mut sum = 0;\n    for item in items {\n        sum += item;\n    }\n    sum\n}\n",
    );
    // The model misremembered `item` as `it` in the middle lines.
    let output = edit(
        &project,
        "a.rs",
        "fn total(items: &[u32]) -> u32 {\n    let mut sum = 0;\n    for it in items {\n        sum += it;\n    }\n    sum\n}",
        "fn total(items: &[u32]) -> u32 {\n    items.iter().sum()\n}",
    )
    .await;
    assert!(output.contains("block-anchor"), "{output}");
    assert_eq!(
        project.contents("a.rs"),
        "fn total(items: &[u32]) -> u32 {\n    items.iter().sum()\n}\n"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn edit_refuses_an_anchored_block_whose_middle_is_too_different() {
    let project = Project::new();
    let original = "fn f() {\n    alpha_beta_gamma();\n    delta();\n}\n";
    project.file("a.rs", original);
    let error = project
        .call(
            &EditTool,
            json!({
                "filePath": "a.rs",
                "oldString": "fn f() {\n    completely_other_code();\n    and_more_of_it(1, 2, 3);\n}",
                "newString": "fn f() {}"
            }),
        )
        .await
        .expect_err("too different");
    assert!(error.to_string().contains("not found"), "{error}");
    assert_eq!(project.contents("a.rs"), original);
}

#[tokio::test(flavor = "current_thread")]
async fn edit_matches_text_with_different_spacing_inside_a_line() {
    let project = Project::new();
    project.file("a.js", "const total = price * count;\n");
    let output = edit(&project, "a.js", "price  *  count", "price * count * tax").await;
    assert!(output.contains("whitespace-normalised"), "{output}");
    assert_eq!(
        project.contents("a.js"),
        "const total = price * count * tax;\n"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn edit_unescapes_an_over_escaped_old_string() {
    let project = Project::new();
    project.file("a.rs", "println!(\"hi\");\nreturn;\n");
    // The model escaped its strings once too often: `\n` and `\"` literally.
    let output = edit(
        &project,
        "a.rs",
        r#"println!(\"hi\");\nreturn;"#,
        r#"println!(\"bye\");\nreturn;"#,
    )
    .await;
    assert!(output.contains("escape-normalised"), "{output}");
    assert_eq!(project.contents("a.rs"), "println!(\"bye\");\nreturn;\n");
}

#[tokio::test(flavor = "current_thread")]
async fn edit_ignores_whitespace_around_old_string_where_the_file_has_none() {
    let project = Project::new();
    project.file("a.rs", "let v = wrap(inner(x));\n");
    let output = edit(&project, "a.rs", "\n  inner(x)  \n", "\n  inner(y)  \n").await;
    assert!(output.contains("trimmed-boundary"), "{output}");
    assert_eq!(project.contents("a.rs"), "let v = wrap(inner(y));\n");
}

#[tokio::test(flavor = "current_thread")]
async fn edit_falls_back_to_anchors_with_half_the_middle_lines_matching() {
    let project = Project::new();
    project.file(
        "a.rs",
        "match kind {\n    A => 1,\n    B => 2,\n    C => 3,\n}\n",
    );
    let output = edit(
        &project,
        "a.rs",
        "match kind {\n    A => 1,\n    B => 2,\n    Something::Else { with, many, fields } => unreachable!(),\n}",
        "match kind {\n    A | B | C => 0,\n}",
    )
    .await;
    assert!(output.contains("context-aware"), "{output}");
    assert_eq!(
        project.contents("a.rs"),
        "match kind {\n    A | B | C => 0,\n}\n"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn edit_inserts_dollar_sequences_literally_after_a_fuzzy_match() {
    let project = Project::new();
    project.file("a.sh", "    echo NAME\n");
    edit(&project, "a.sh", "echo NAME  \n", "echo \"$1\" $& $0\n").await;
    assert_eq!(project.contents("a.sh"), "echo \"$1\" $& $0\n");
}

#[tokio::test(flavor = "current_thread")]
async fn edit_whose_fuzzy_match_would_change_nothing_is_refused() {
    let project = Project::new();
    project.file("a.txt", "x(keep)\n");
    // Trimmed-boundary matches `keep`, and newString loses the same spaces.
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": "a.txt", "oldString": " keep ", "newString": "keep" }),
        )
        .await
        .expect_err("no change");
    assert!(
        error.to_string().contains("would change nothing"),
        "{error}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn edit_with_replace_all_replaces_every_match_of_the_winning_strategy() {
    let project = Project::new();
    project.file(
        "a.py",
        "def f():\n    if x:\n        go()\n\ndef g():\n        if x:\n            go()\n",
    );
    let edited = project
        .call(
            &EditTool,
            json!({
                "filePath": "a.py",
                "oldString": "if x:\n    go()",
                "newString": "if x:\n    go()\n    stop()",
                "replaceAll": true
            }),
        )
        .await
        .expect("edit");
    assert!(
        edited
            .output
            .contains("2 replacements; matched by the indentation-flexible"),
        "{}",
        edited.output
    );
    // Each block is re-indented to its own depth.
    assert_eq!(
        project.contents("a.py"),
        "def f():\n    if x:\n        go()\n        stop()\n\ndef g():\n        if x:\n            go()\n            stop()\n"
    );
}
