use crate::support::{Project, outside};
use code_mesh_runtime::tool::ToolError;
use code_mesh_tools::GrepTool;
use serde_json::json;
use std::time::{Duration, SystemTime};

/// Sets `relative`'s modification time to `seconds` after the epoch.
pub fn touch(project: &Project, relative: &str, seconds: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(project.path(relative))
        .expect("open");
    file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + seconds))
        .expect("set mtime");
}

#[tokio::test(flavor = "current_thread")]
async fn grep_groups_matching_lines_under_their_file() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "fn alpha() {}\nfn beta() {}\nfn alphabet() {}\n",
    );
    project.file("notes.txt", "nothing here\n");
    let found = project
        .call(&GrepTool, json!({ "pattern": "fn alpha" }))
        .await
        .expect("searched");
    assert_eq!(
        found.output,
        "Found 2 matches\nsrc/lib.rs:\n  Line 1: fn alpha() {}\n  Line 3: fn alphabet() {}"
    );
    assert_eq!(found.title, "fn alpha");
}

#[tokio::test(flavor = "current_thread")]
async fn grep_respects_gitignore_and_skips_hidden_files() {
    let project = Project::new();
    project
        .file(".gitignore", "ignored/\n*.log\n")
        .file("ignored/a.rs", "needle\n")
        .file("debug.log", "needle\n")
        .file(".hidden/b.rs", "needle\n")
        .file(".env", "needle\n")
        .file("src/kept.rs", "needle\n");
    let found = project
        .call(&GrepTool, json!({ "pattern": "needle" }))
        .await
        .expect("searched");
    assert_eq!(
        found.output,
        "Found 1 matches\nsrc/kept.rs:\n  Line 1: needle"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn grep_include_filters_files_by_name_glob() {
    let project = Project::new();
    project
        .file("web/app.ts", "const needle = 1;\n")
        .file("web/view.tsx", "needle\n")
        .file("web/app.js", "needle\n")
        .file("README.md", "needle\n");
    let found = project
        .call(
            &GrepTool,
            json!({ "pattern": "needle", "include": "*.{ts,tsx}" }),
        )
        .await
        .expect("searched");
    assert!(
        found.output.starts_with("Found 2 matches\n"),
        "{}",
        found.output
    );
    assert!(found.output.contains("web/app.ts:\n"));
    assert!(found.output.contains("web/view.tsx:\n"));
    assert!(!found.output.contains("app.js"));
    assert!(!found.output.contains("README"));
}

#[tokio::test(flavor = "current_thread")]
async fn grep_searches_only_under_path() {
    let project = Project::new();
    project
        .file("a/one.rs", "needle\n")
        .file("b/two.rs", "needle\n");
    let found = project
        .call(&GrepTool, json!({ "pattern": "needle", "path": "b" }))
        .await
        .expect("searched");
    assert_eq!(found.output, "Found 1 matches\nb/two.rs:\n  Line 1: needle");
}

#[tokio::test(flavor = "current_thread")]
async fn grep_shows_at_most_100_matches_and_says_how_many_were_hidden() {
    let project = Project::new();
    let lines: String = (0..80).map(|n| format!("match {n}\n")).collect();
    project.file("a.txt", &lines).file("b.txt", &lines);
    let found = project
        .call(&GrepTool, json!({ "pattern": "^match" }))
        .await
        .expect("searched");
    assert!(
        found
            .output
            .starts_with("Found 160 matches (showing first 100)\n"),
        "{}",
        found.output
    );
    assert_eq!(found.output.matches("  Line ").count(), 100);
    assert!(found.output.ends_with(
        "(Results truncated: showing 100 of 160 matches (60 hidden). Consider using a more \
         specific path or pattern.)"
    ));
}

#[tokio::test(flavor = "current_thread")]
async fn grep_lists_newest_files_first() {
    let project = Project::new();
    project
        .file("old.rs", "needle\n")
        .file("newest.rs", "needle\n")
        .file("middle.rs", "needle\n");
    touch(&project, "old.rs", 10);
    touch(&project, "newest.rs", 30);
    touch(&project, "middle.rs", 20);
    let found = project
        .call(&GrepTool, json!({ "pattern": "needle" }))
        .await
        .expect("searched");
    let files: Vec<&str> = found
        .output
        .lines()
        .filter(|line| line.ends_with(".rs:"))
        .collect();
    assert_eq!(files, ["newest.rs:", "middle.rs:", "old.rs:"]);
}

#[tokio::test(flavor = "current_thread")]
async fn grep_cuts_long_lines() {
    let project = Project::new();
    project.file("wide.txt", &format!("needle{}\n", "x".repeat(3000)));
    let found = project
        .call(&GrepTool, json!({ "pattern": "needle" }))
        .await
        .expect("searched");
    let line = found.output.lines().last().expect("a line");
    assert_eq!(line, format!("  Line 1: needle{}...", "x".repeat(1994)));
}

#[tokio::test(flavor = "current_thread")]
async fn grep_skips_binary_files() {
    let project = Project::new();
    project.file("text.txt", "needle\n");
    std::fs::write(project.path("blob.bin"), b"needle\0\x01\x02").expect("write");
    let found = project
        .call(&GrepTool, json!({ "pattern": "needle" }))
        .await
        .expect("searched");
    assert_eq!(found.output, "Found 1 matches\ntext.txt:\n  Line 1: needle");
}

#[tokio::test(flavor = "current_thread")]
async fn grep_without_matches_says_no_files_found() {
    let project = Project::new();
    project.file("a.txt", "hay\n");
    let found = project
        .call(&GrepTool, json!({ "pattern": "needle" }))
        .await
        .expect("searched");
    assert_eq!(found.output, "No files found");
}

#[tokio::test(flavor = "current_thread")]
async fn grep_invalid_regex_says_how_to_escape() {
    let project = Project::new();
    let error = project
        .call(&GrepTool, json!({ "pattern": "fn main(" }))
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, ToolError::InvalidArguments { message, .. } if message.contains("backslash")),
        "{error}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn grep_refuses_a_path_outside_the_project() {
    let project = Project::new();
    let elsewhere = outside();
    std::fs::write(elsewhere.path().join("secret.txt"), "needle\n").expect("write");
    let error = project
        .call(
            &GrepTool,
            json!({ "pattern": "needle", "path": elsewhere.path().to_str() }),
        )
        .await
        .expect_err("refused");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn grep_does_not_follow_symlinks_out_of_the_project() {
    let project = Project::new();
    let elsewhere = outside();
    std::fs::write(elsewhere.path().join("secret.txt"), "needle\n").expect("write");
    std::os::unix::fs::symlink(elsewhere.path(), project.path("link")).expect("symlink");
    project.file("kept.txt", "needle\n");
    let found = project
        .call(&GrepTool, json!({ "pattern": "needle" }))
        .await
        .expect("searched");
    assert_eq!(found.output, "Found 1 matches\nkept.txt:\n  Line 1: needle");
}
