use crate::support::Project;
use code_mesh_runtime::tool::ToolError;
use code_mesh_tools::ReadTool;
use serde_json::json;

#[tokio::test(flavor = "current_thread")]
async fn read_numbers_lines_in_opencode_format() {
    let project = Project::new();
    project.file("src/main.rs", "fn main() {\n    println!(\"hi\");\n}\n");
    let read = project
        .call(&ReadTool, json!({ "filePath": "src/main.rs" }))
        .await
        .expect("read");
    assert_eq!(read.title, "src/main.rs");
    assert_eq!(
        read.output,
        "<file>\n00001| fn main() {\n00002|     println!(\"hi\");\n00003| }\n\n\
         (End of file - total 3 lines)\n</file>"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn read_with_offset_and_limit_says_where_to_continue() {
    let project = Project::new();
    let text: String = (1..=10).map(|n| format!("line {n}\n")).collect();
    project.file("ten.txt", &text);
    let read = project
        .call(
            &ReadTool,
            json!({ "filePath": "ten.txt", "offset": 3, "limit": 2 }),
        )
        .await
        .expect("read");
    assert_eq!(
        read.output,
        "<file>\n00004| line 4\n00005| line 5\n\n\
         (File has more lines. Use 'offset' parameter to read beyond line 5)\n</file>"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn read_defaults_to_2000_lines() {
    let project = Project::new();
    let text: String = (1..=2500).map(|n| format!("{n}\n")).collect();
    project.file("long.txt", &text);
    let read = project
        .call(&ReadTool, json!({ "filePath": "long.txt" }))
        .await
        .expect("read");
    assert!(read.output.contains("02000| 2000\n"));
    assert!(!read.output.contains("02001|"));
    assert!(read.output.contains("read beyond line 2000)"));
}

#[tokio::test(flavor = "current_thread")]
async fn read_offset_past_the_end_says_how_long_the_file_is() {
    let project = Project::new();
    project.file("short.txt", "a\nb\n");
    let error = project
        .call(&ReadTool, json!({ "filePath": "short.txt", "offset": 5 }))
        .await
        .expect_err("past the end");
    assert!(error.to_string().contains("has 2 lines"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn read_of_empty_file_says_so() {
    let project = Project::new();
    project.file("empty.txt", "");
    let read = project
        .call(&ReadTool, json!({ "filePath": "empty.txt" }))
        .await
        .expect("read");
    assert_eq!(
        read.output,
        "<file>\n(End of file - total 0 lines)\n</file>"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn read_cuts_lines_longer_than_2000_chars() {
    let project = Project::new();
    project.file("wide.txt", &format!("{}\nshort\n", "x".repeat(2500)));
    let read = project
        .call(&ReadTool, json!({ "filePath": "wide.txt" }))
        .await
        .expect("read");
    let expected = format!("00001| {}...\n00002| short\n", "x".repeat(2000));
    assert!(read.output.contains(&expected));
}

#[tokio::test(flavor = "current_thread")]
async fn read_missing_file_suggests_similar_names() {
    let project = Project::new();
    project
        .file("src/config.rs", "")
        .file("src/configure.rs", "")
        .file("src/lib.rs", "");
    let error = project
        .call(&ReadTool, json!({ "filePath": "src/confg.rs" }))
        .await
        .expect_err("missing");
    let ToolError::NotFound { message, .. } = &error else {
        panic!("expected NotFound, got {error}");
    };
    assert!(
        message.starts_with("File not found: src/confg.rs"),
        "{message}"
    );
    assert!(
        message.contains("Did you mean one of these?\nsrc/config.rs"),
        "{message}"
    );
    assert!(!message.contains("lib.rs"), "{message}");
}

#[tokio::test(flavor = "current_thread")]
async fn read_refuses_binary_file() {
    let project = Project::new();
    std::fs::write(project.path("image.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("fixture");
    let error = project
        .call(&ReadTool, json!({ "filePath": "image.png" }))
        .await
        .expect_err("binary");
    assert!(error.to_string().contains("binary"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn read_of_directory_is_refused() {
    let project = Project::new();
    project.file("src/lib.rs", "");
    let error = project
        .call(&ReadTool, json!({ "filePath": "src" }))
        .await
        .expect_err("directory");
    assert!(error.to_string().contains("is a directory"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn read_with_bad_arguments_reports_serdes_message() {
    let project = Project::new();
    let error = project
        .call(&ReadTool, json!({}))
        .await
        .expect_err("invalid");
    assert!(
        matches!(error, ToolError::InvalidArguments { .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("missing field `filePath`"),
        "{error}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn read_refuses_an_unknown_parameter_naming_the_known_ones() {
    let project = Project::new();
    let error = project
        .call(&ReadTool, json!({ "path": "a.txt" }))
        .await
        .expect_err("invalid");
    assert!(
        matches!(error, ToolError::InvalidArguments { .. }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("unknown field `path`, expected one of `filePath`, `offset`, `limit`"),
        "{error}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn read_of_a_10_000_line_file_with_offset_and_limit_returns_exactly_that_window() {
    let project = Project::new();
    let text: String = (1..=10_000).map(|n| format!("line {n}\n")).collect();
    project.file("big.txt", &text);
    let read = project
        .call(
            &ReadTool,
            json!({ "filePath": "big.txt", "offset": 9_000, "limit": 500 }),
        )
        .await
        .expect("read");
    let lines: Vec<&str> = read.output.lines().collect();
    assert_eq!(lines[0], "<file>");
    assert_eq!(lines[1], "09001| line 9001");
    assert_eq!(lines[500], "09500| line 9500");
    assert_eq!(lines[501], "");
    assert_eq!(
        lines[502],
        "(File has more lines. Use 'offset' parameter to read beyond line 9500)"
    );
    let read = project
        .call(&ReadTool, json!({ "filePath": "big.txt", "offset": 9_998 }))
        .await
        .expect("read");
    assert!(
        read.output.ends_with(
            "09999| line 9999\n10000| line 10000\n\n(End of file - total 10000 lines)\n</file>"
        ),
        "{}",
        read.output
    );
}

#[tokio::test(flavor = "current_thread")]
async fn read_stops_at_50_kb_and_says_where_to_continue() {
    let project = Project::new();
    let line = "y".repeat(1000);
    let text: String = (0..200).map(|_| format!("{line}\n")).collect();
    project.file("wide.txt", &text);
    let read = project
        .call(&ReadTool, json!({ "filePath": "wide.txt", "offset": 10 }))
        .await
        .expect("read");
    // 51 lines of 1000 characters (and 50 line breaks) fit in 50 KB.
    assert!(read.output.contains("00061| y"), "{}", &read.output[..100]);
    assert!(!read.output.contains("00062| "));
    assert!(
        read.output.ends_with(
            "(Output capped at 50 KB. Use 'offset' parameter to read beyond line 61)\n</file>"
        ),
        "{}",
        &read.output[read.output.len() - 200..]
    );
}
