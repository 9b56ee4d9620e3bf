use crate::support::Project;
use code_mesh_runtime::tool::ToolError;
use code_mesh_tools::ListTool;
use serde_json::json;

#[tokio::test(flavor = "current_thread")]
async fn list_draws_a_tree_with_directories_first_and_trailing_slashes() {
    let project = Project::new();
    project
        .file("Cargo.toml", "")
        .file("README.md", "")
        .file("src/main.rs", "")
        .file("src/cli/args.rs", "")
        .file("docs/guide.md", "")
        .file(".github/ci.yml", "");
    let listed = project.call(&ListTool, json!({})).await.expect("listed");
    assert_eq!(
        listed.output,
        "./\n  .github/\n    ci.yml\n  docs/\n    guide.md\n  src/\n    cli/\n      args.rs\n    \
         main.rs\n  Cargo.toml\n  README.md"
    );
    assert_eq!(listed.title, ".");
}

#[tokio::test(flavor = "current_thread")]
async fn list_leaves_out_default_ignored_directories_at_any_depth() {
    let project = Project::new();
    project
        .file("node_modules/left/index.js", "")
        .file(".git/HEAD", "")
        .file("target/debug/app", "")
        .file("web/dist/bundle.js", "")
        .file("py/__pycache__/m.pyc", "")
        .file(".venv/bin/python", "")
        .file("web/index.ts", "");
    let listed = project.call(&ListTool, json!({})).await.expect("listed");
    assert_eq!(listed.output, "./\n  py/\n  web/\n    index.ts");
}

#[tokio::test(flavor = "current_thread")]
async fn list_leaves_out_the_ignore_globs_and_gitignored_files() {
    let project = Project::new();
    project
        .file(".gitignore", "secret.txt\n")
        .file("secret.txt", "")
        .file("app.log", "")
        .file("fixtures/big.json", "")
        .file("src/lib.rs", "");
    let listed = project
        .call(
            &ListTool,
            json!({ "path": ".", "ignore": ["*.log", "fixtures/"] }),
        )
        .await
        .expect("listed");
    assert_eq!(listed.output, "./\n  src/\n    lib.rs\n  .gitignore");
}

#[tokio::test(flavor = "current_thread")]
async fn list_of_a_subdirectory_starts_from_it() {
    let project = Project::new();
    project.file("src/a/b.rs", "").file("src/c.rs", "");
    let listed = project
        .call(&ListTool, json!({ "path": "src" }))
        .await
        .expect("listed");
    assert_eq!(listed.output, "src/\n  a/\n    b.rs\n  c.rs");
}

#[tokio::test(flavor = "current_thread")]
async fn list_shows_at_most_100_entries_shallowest_first_with_a_note() {
    let project = Project::new();
    project.file("top.txt", "");
    for n in 0..150 {
        project.file(&format!("deep/f{n:03}.txt"), "");
    }
    let listed = project.call(&ListTool, json!({})).await.expect("listed");
    assert!(listed.output.contains("\n  deep/\n"), "{}", listed.output);
    assert!(listed.output.contains("\n  top.txt\n"), "{}", listed.output);
    // The root's two entries, then 98 files of deep/.
    assert_eq!(listed.output.matches("    f").count(), 98);
    assert!(listed.output.ends_with(
        "(Showing 100 of 152 entries, the shallowest first. List a subdirectory, or pass \
         ignore patterns, to see the rest.)"
    ));
}

#[tokio::test(flavor = "current_thread")]
async fn list_of_a_file_says_to_read_it() {
    let project = Project::new();
    project.file("a.txt", "");
    let error = project
        .call(&ListTool, json!({ "path": "a.txt" }))
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, ToolError::InvalidArguments { message, .. } if message.contains("read tool")),
        "{error}"
    );
}
