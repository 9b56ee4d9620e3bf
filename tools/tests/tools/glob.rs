use crate::grep::touch;
use crate::support::Project;
use code_mesh_runtime::tool::ToolError;
use code_mesh_tools::GlobTool;
use serde_json::json;

#[tokio::test(flavor = "current_thread")]
async fn glob_without_a_slash_matches_names_at_any_depth_newest_first() {
    let project = Project::new();
    project
        .file("main.rs", "")
        .file("src/lib.rs", "")
        .file("src/deep/mod.rs", "")
        .file("src/notes.md", "");
    touch(&project, "main.rs", 1);
    touch(&project, "src/deep/mod.rs", 3);
    touch(&project, "src/lib.rs", 2);
    let found = project
        .call(&GlobTool, json!({ "pattern": "*.rs" }))
        .await
        .expect("globbed");
    assert_eq!(found.output, "src/deep/mod.rs\nsrc/lib.rs\nmain.rs");
}

#[tokio::test(flavor = "current_thread")]
async fn glob_with_a_slash_matches_paths_under_the_searched_directory() {
    let project = Project::new();
    project
        .file("src/a.ts", "")
        .file("src/ui/b.tsx", "")
        .file("test/c.ts", "");
    touch(&project, "src/a.ts", 1);
    touch(&project, "src/ui/b.tsx", 2);
    let found = project
        .call(&GlobTool, json!({ "pattern": "src/**/*.{ts,tsx}" }))
        .await
        .expect("globbed");
    assert_eq!(found.output, "src/ui/b.tsx\nsrc/a.ts");

    let under_src = project
        .call(&GlobTool, json!({ "pattern": "ui/*", "path": "src" }))
        .await
        .expect("globbed");
    assert_eq!(under_src.output, "src/ui/b.tsx");
}

#[tokio::test(flavor = "current_thread")]
async fn glob_respects_gitignore_and_finds_hidden_files_only_when_named() {
    let project = Project::new();
    project
        .file(".gitignore", "generated/\n")
        .file("generated/out.yml", "")
        .file(".github/workflows/ci.yml", "")
        .file("config.yml", "");
    let plain = project
        .call(&GlobTool, json!({ "pattern": "**/*.yml" }))
        .await
        .expect("globbed");
    assert_eq!(plain.output, "config.yml");
    let hidden = project
        .call(&GlobTool, json!({ "pattern": ".github/**/*.yml" }))
        .await
        .expect("globbed");
    assert_eq!(hidden.output, ".github/workflows/ci.yml");
}

#[tokio::test(flavor = "current_thread")]
async fn glob_shows_at_most_100_files_with_a_note() {
    let project = Project::new();
    for n in 0..120 {
        project.file(&format!("f{n:03}.txt"), "");
    }
    let found = project
        .call(&GlobTool, json!({ "pattern": "*.txt" }))
        .await
        .expect("globbed");
    let lines: Vec<&str> = found.output.lines().collect();
    assert_eq!(
        lines.iter().filter(|line| line.ends_with(".txt")).count(),
        100
    );
    assert_eq!(
        lines.last().copied(),
        Some(
            "(Results are truncated: showing the 100 newest of 120 files. Consider using a \
             more specific path or pattern.)"
        )
    );
}

#[tokio::test(flavor = "current_thread")]
async fn glob_without_matches_says_no_files_found() {
    let project = Project::new();
    project.file("a.txt", "");
    let found = project
        .call(&GlobTool, json!({ "pattern": "**/*.rs" }))
        .await
        .expect("globbed");
    assert_eq!(found.output, "No files found");
}

#[tokio::test(flavor = "current_thread")]
async fn glob_invalid_pattern_is_refused_with_an_example() {
    let project = Project::new();
    let error = project
        .call(&GlobTool, json!({ "pattern": "src/[a-" }))
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, ToolError::InvalidArguments { message, .. } if message.contains("**/*.rs")),
        "{error}"
    );
}
