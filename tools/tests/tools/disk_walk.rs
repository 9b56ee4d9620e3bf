//! The walk of a disk that is not the machine's (Node's `fs`, memory)
//! against ripgrep's own walker, on the same files: the machine's disk
//! seen through [`ElsewhereFs`], which makes the tools take their
//! non-native paths. grep, glob and list must answer the same either way.

use crate::grep::touch;
use crate::support::Project;
use code_mesh_runtime::tool::Tool;
use code_mesh_tools::{GlobTool, GrepTool, ListTool};
use serde_json::json;

/// A project exercising every rule: nested ignore files with negations, a
/// `.ignore` overriding a `.gitignore`, `.git/info/exclude`, hidden files
/// and directories, default-ignored directories, and symlinks (which are
/// not followed, one of them pointing outside, into the returned
/// directory).
fn tricky_project() -> (Project, tempfile::TempDir) {
    let project = Project::new();
    project
        .file(".gitignore", "*.log\nbuild-out/\n/rooted.txt\n")
        .file(".ignore", "!kept.log\n")
        .file(".git/info/exclude", "excluded.txt\n")
        .file(".git/HEAD", "needle\n")
        .file("kept.log", "needle in kept.log\n")
        .file("drop.log", "needle in drop.log\n")
        .file("rooted.txt", "needle at the root\n")
        .file("excluded.txt", "needle excluded\n")
        .file("build-out/x.rs", "needle built\n")
        .file("src/rooted.txt", "needle not rooted\n")
        .file("src/main.rs", "fn main() { needle(); }\n")
        .file("src/.gitignore", "gen/\n!special.log\n")
        .file("src/special.log", "needle special\n")
        .file("src/gen/g.rs", "needle generated\n")
        .file("src/deep/er/mod.rs", "// needle deep\n")
        .file(".hidden/h.rs", "needle hidden\n")
        .file(".env", "needle=1\n")
        .file(".github/workflows/ci.yml", "needle: ci\n")
        .file("node_modules/dep/index.js", "needle dep\n")
        .file("docs/guide.md", "no match\n");
    for (n, relative) in [
        "kept.log",
        "src/main.rs",
        "src/special.log",
        "src/deep/er/mod.rs",
        "src/rooted.txt",
        ".github/workflows/ci.yml",
        "docs/guide.md",
        ".env",
        "node_modules/dep/index.js",
    ]
    .iter()
    .enumerate()
    {
        touch(&project, relative, n as u64 + 1);
    }
    let outside = crate::support::outside();
    std::fs::write(outside.path().join("far.rs"), "needle far away\n").expect("fixture");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), project.path("linked-dir")).expect("symlink");
        std::os::unix::fs::symlink(project.path("src/main.rs"), project.path("link.rs"))
            .expect("symlink");
    }
    (project, outside)
}

/// The outputs of `tool` with each of `calls`, on the machine's disk and
/// through `ElsewhereFs`, which must be equal.
async fn same_answers(project: &Project, tool: &dyn Tool, calls: &[serde_json::Value]) {
    let elsewhere = project.elsewhere_ctx();
    for arguments in calls {
        let native = tool.call(arguments.clone(), &project.ctx).await;
        let other = tool.call(arguments.clone(), &elsewhere).await;
        match (native, other) {
            (Ok(native), Ok(other)) => {
                assert_eq!(native.output, other.output, "{arguments}");
                assert_eq!(native.title, other.title, "{arguments}");
            }
            (Err(native), Err(other)) => {
                assert_eq!(native.to_string(), other.to_string(), "{arguments}");
            }
            (native, other) => panic!("{arguments}: {native:?} natively, {other:?} elsewhere"),
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn grep_through_another_disk_finds_what_ripgreps_walker_finds() {
    let (project, _outside) = tricky_project();
    same_answers(
        &project,
        &GrepTool,
        &[
            json!({ "pattern": "needle" }),
            json!({ "pattern": "needle", "path": "src" }),
            json!({ "pattern": "needle", "path": "src/gen" }),
            json!({ "pattern": "needle", "include": "*.log" }),
            json!({ "pattern": "needle", "include": "*.{rs,yml}" }),
            json!({ "pattern": "needle", "path": ".github" }),
            json!({ "pattern": "needle", "path": "src/main.rs" }),
            json!({ "pattern": "needle", "path": "missing" }),
        ],
    )
    .await;
    let found = GrepTool
        .call(json!({ "pattern": "needle" }), &project.elsewhere_ctx())
        .await
        .expect("searched");
    assert!(found.output.contains("kept.log"), "{}", found.output);
    assert!(!found.output.contains("drop.log"), "{}", found.output);
    assert!(!found.output.contains("far"), "{}", found.output);
}

#[tokio::test(flavor = "current_thread")]
async fn glob_through_another_disk_finds_what_ripgreps_walker_finds() {
    let (project, _outside) = tricky_project();
    same_answers(
        &project,
        &GlobTool,
        &[
            json!({ "pattern": "*" }),
            json!({ "pattern": "**/*.rs" }),
            json!({ "pattern": "*.log" }),
            json!({ "pattern": ".*" }),
            json!({ "pattern": ".github/**" }),
            json!({ "pattern": "deep/**", "path": "src" }),
            json!({ "pattern": "*", "path": "kept.log" }),
        ],
    )
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn list_through_another_disk_draws_what_ripgreps_walker_draws() {
    let (project, _outside) = tricky_project();
    same_answers(
        &project,
        &ListTool,
        &[
            json!({}),
            json!({ "path": "src" }),
            json!({ "ignore": ["*.md", "deep/"] }),
            json!({ "path": "node_modules" }),
        ],
    )
    .await;
}
