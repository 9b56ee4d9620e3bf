use crate::support::{Project, outside};
use code_mesh_runtime::fs::Disk;
use code_mesh_runtime::tool::ToolError;
use code_mesh_tools::{EditTool, ReadTool, Workspace, WriteTool};
use serde_json::json;
use std::fs;

#[cfg(unix)]
use std::os::unix::fs::symlink;

#[tokio::test(flavor = "current_thread")]
async fn read_refuses_parent_dir_escape() {
    let project = Project::new();
    let error = project
        .call(&ReadTool, json!({ "filePath": "../../etc/passwd" }))
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
    assert!(error.to_string().contains("outside the project"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn read_refuses_absolute_path_outside_project() {
    let project = Project::new();
    let elsewhere = outside();
    fs::write(elsewhere.path().join("secret.txt"), "secret").expect("fixture");
    let path = elsewhere.path().join("secret.txt");
    let error = project
        .call(&ReadTool, json!({ "filePath": path }))
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn absolute_path_inside_project_and_dot_dot_that_stays_inside_are_allowed() {
    let project = Project::new();
    project.file("src/a.txt", "a\n");
    let absolute = project.path("src/a.txt");
    let read = project
        .call(&ReadTool, json!({ "filePath": absolute }))
        .await
        .expect("inside");
    assert_eq!(read.title, "src/a.txt");
    let read = project
        .call(&ReadTool, json!({ "filePath": "src/../src/./a.txt" }))
        .await
        .expect("inside");
    assert_eq!(read.title, "src/a.txt");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn read_refuses_symlink_pointing_outside_project() {
    let project = Project::new();
    let elsewhere = outside();
    fs::write(elsewhere.path().join("secret.txt"), "secret").expect("fixture");
    symlink(
        elsewhere.path().join("secret.txt"),
        project.path("link.txt"),
    )
    .expect("symlink");
    let error = project
        .call(&ReadTool, json!({ "filePath": "link.txt" }))
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn writing_tools_refuse_parent_dir_escape_and_touch_nothing() {
    let project = Project::new();
    let parent = project.root().parent().expect("parent").to_path_buf();
    let name = format!("escaped-{}.txt", std::process::id());
    let given = format!("../{name}");
    let error = project
        .call(&WriteTool, json!({ "filePath": given, "content": "x" }))
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        format!(
            "../{name} is outside the project ({}); tools may only touch files inside it, \
             unless the person allows it under `permission.external_directory` in \
             .code-mesh/config.json",
            project.root().display()
        )
    );
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": given, "oldString": "", "newString": "x" }),
        )
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
    assert!(!parent.join(&name).exists());
}

#[tokio::test(flavor = "current_thread")]
async fn writing_tools_refuse_absolute_path_outside_and_touch_nothing() {
    let project = Project::new();
    let elsewhere = outside();
    let target = elsewhere.path().join("a.txt");
    fs::write(&target, "theirs\n").expect("fixture");
    let error = project
        .call(&WriteTool, json!({ "filePath": target, "content": "x" }))
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
    assert!(error.to_string().contains("outside the project"), "{error}");
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": target, "oldString": "theirs", "newString": "ours" }),
        )
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
    assert_eq!(fs::read_to_string(&target).expect("read"), "theirs\n");
    assert!(project.changes().staged_paths().is_empty());
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn edit_refuses_symlink_pointing_outside_and_leaves_its_target() {
    let project = Project::new();
    let elsewhere = outside();
    let target = elsewhere.path().join("a.txt");
    fs::write(&target, "theirs\n").expect("fixture");
    symlink(&target, project.path("link.txt")).expect("symlink");
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": "link.txt", "oldString": "theirs", "newString": "ours" }),
        )
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("link.txt is outside the project"),
        "{error}"
    );
    assert_eq!(fs::read_to_string(&target).expect("read"), "theirs\n");
    assert!(
        fs::symlink_metadata(project.path("link.txt"))
            .expect("link")
            .file_type()
            .is_symlink()
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn write_refuses_new_file_under_symlinked_dir_pointing_outside() {
    let project = Project::new();
    let elsewhere = outside();
    symlink(elsewhere.path(), project.path("out")).expect("symlink");
    let error = project
        .call(
            &WriteTool,
            json!({ "filePath": "out/new/file.txt", "content": "x" }),
        )
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
    assert!(!elsewhere.path().join("new").exists());
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn write_refuses_dangling_symlink_pointing_outside() {
    let project = Project::new();
    let elsewhere = outside();
    let target = elsewhere.path().join("not-yet.txt");
    symlink(&target, project.path("dangling.txt")).expect("symlink");
    let error = project
        .call(
            &WriteTool,
            json!({ "filePath": "dangling.txt", "content": "x" }),
        )
        .await
        .expect_err("outside");
    assert!(matches!(error, ToolError::OutsideProject { .. }), "{error}");
    assert!(!target.exists());
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn symlink_inside_project_is_followed() {
    let project = Project::new();
    project.file("real/a.txt", "hello\n");
    symlink(project.path("real"), project.path("alias")).expect("symlink");
    let read = project
        .call(&ReadTool, json!({ "filePath": "alias/a.txt" }))
        .await
        .expect("inside");
    assert_eq!(read.title, "real/a.txt");
    assert!(read.output.contains("00001| hello"));
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn root_reached_through_a_symlink_accepts_paths_in_either_form() {
    let project = Project::new();
    project.file("a.txt", "a\n");
    let links = outside();
    let linked_root = links.path().join("project");
    symlink(project.root(), &linked_root).expect("symlink");
    let ctx = code_mesh_runtime::tool::ToolContext::new(&linked_root, project.ctx.agent);
    for path in [
        "a.txt".into(),
        linked_root.join("a.txt"),
        project.path("a.txt"),
    ] {
        let read =
            code_mesh_runtime::tool::Tool::call(&ReadTool, json!({ "filePath": path }), &ctx)
                .await
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert_eq!(read.title, "a.txt");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn writing_tools_refuse_paths_inside_git_dir() {
    let project = Project::new();
    project.file(".git/config", "[core]\n");
    let error = project
        .call(
            &WriteTool,
            json!({ "filePath": ".git/config", "content": "x" }),
        )
        .await
        .expect_err("denied");
    assert!(matches!(error, ToolError::PermissionDenied(_)), "{error}");
    let error = project
        .call(
            &EditTool,
            json!({ "filePath": "sub/.git/hooks/pre-commit", "oldString": "", "newString": "x" }),
        )
        .await
        .expect_err("denied");
    assert!(matches!(error, ToolError::PermissionDenied(_)), "{error}");
    assert_eq!(project.contents(".git/config"), "[core]\n");
    // Reading is fine.
    project
        .call(&ReadTool, json!({ "filePath": ".git/config" }))
        .await
        .expect("readable");
}

#[test]
fn workspace_shows_paths_relative_to_the_root() {
    let project = Project::new();
    let workspace = Workspace::new(project.root(), Disk::default()).expect("workspace");
    let path = workspace.resolve("src/./lib.rs").expect("inside");
    assert_eq!(workspace.relative(&path), "src/lib.rs");
    let root = workspace.resolve("").expect("root");
    assert_eq!(workspace.relative(&root), ".");
}

#[test]
fn workspace_of_a_missing_root_is_not_found() {
    let elsewhere = outside();
    let error =
        Workspace::new(&elsewhere.path().join("missing"), Disk::default()).expect_err("missing");
    assert!(matches!(error, ToolError::NotFound { .. }), "{error}");
}
